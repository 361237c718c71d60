import { ProfileError } from '../errors';

const TWO_32 = 4294967296;

/**
 * A cursor over protobuf wire data. Numbers come back as JS numbers: pprof ids, values and
 * addresses fit in 53 bits in practice, and typed arrays want numbers anyway.
 */
export class ProtobufReader {
  buf: Uint8Array;
  pos: number;
  end: number;

  constructor(buf: Uint8Array, pos = 0, end = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  /** Unsigned varint. Above 2^53 precision is lost, which only matters for addresses. */
  uint(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= this.end) throw truncated();
    let b = buf[pos++];
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let result = b & 0x7f;
    let shift = 7;
    // 28 bits fit in a signed 32-bit int, so bit operations are safe up to there.
    while (shift < 28) {
      if (pos >= this.end) throw truncated();
      b = buf[pos++];
      result |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return result >>> 0;
      }
      shift += 7;
    }
    let mul = 268435456; // 2^28
    result >>>= 0;
    for (let n = 4; n < 10; n++) {
      if (pos >= this.end) throw truncated();
      b = buf[pos++];
      result += (b & 0x7f) * mul;
      if (b < 0x80) {
        this.pos = pos;
        return result;
      }
      mul *= 128;
    }
    throw malformed('varint longer than 10 bytes');
  }

  /** Signed int64 as two's complement (negative values take 10 bytes). */
  int64(): number {
    const buf = this.buf;
    const pos = this.pos;
    // Fast path: varints of up to four bytes are positive numbers below 2^28 (most values).
    if (pos + 4 <= this.end) {
      const b0 = buf[pos];
      if (b0 < 0x80) {
        this.pos = pos + 1;
        return b0;
      }
      const b1 = buf[pos + 1];
      if (b1 < 0x80) {
        this.pos = pos + 2;
        return (b0 & 0x7f) | (b1 << 7);
      }
      const b2 = buf[pos + 2];
      if (b2 < 0x80) {
        this.pos = pos + 3;
        return (b0 & 0x7f) | ((b1 & 0x7f) << 7) | (b2 << 14);
      }
      const b3 = buf[pos + 3];
      if (b3 < 0x80) {
        this.pos = pos + 4;
        return (b0 & 0x7f) | ((b1 & 0x7f) << 7) | ((b2 & 0x7f) << 14) | (b3 << 21);
      }
    }
    let lo = 0;
    let hi = 0;
    let p = pos;
    let i = 0;
    for (; i < 10; i++) {
      if (p >= this.end) throw truncated();
      const b = buf[p++];
      if (i < 4) lo |= (b & 0x7f) << (i * 7);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (i * 7 - 32);
      if (b < 0x80) break;
    }
    if (i === 10) throw malformed('varint longer than 10 bytes');
    this.pos = p;
    return (hi | 0) * TWO_32 + (lo >>> 0);
  }

  bool(): boolean {
    return this.uint() !== 0;
  }

  /** Reads a length prefix and returns the end offset of the delimited bytes. */
  delimitedEnd(): number {
    const len = this.uint();
    const end = this.pos + len;
    if (end > this.end) throw truncated();
    return end;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.uint();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.pos = this.delimitedEnd();
        return;
      case 5:
        this.pos += 4;
        break;
      default:
        throw malformed(`unsupported wire type ${wireType}`);
    }
    if (this.pos > this.end) throw truncated();
  }
}

export function truncated(): ProfileError {
  return new ProfileError(
    'truncated',
    'truncated profile: the protobuf data ends in the middle of a field',
  );
}

export function malformed(detail: string): ProfileError {
  return new ProfileError('malformed', `malformed profile: ${detail}`);
}
