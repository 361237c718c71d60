// Hand-rolled protobuf and gzip writers for hostile files: the malformed and the absurd are
// exactly what a well-behaved encoder refuses to write.
import { constants, crc32, deflateRawSync, gzipSync } from 'node:zlib';

export function varint(v: bigint | number): number[] {
  // Negative int64s are written as protobuf does: ten bytes of two's complement.
  let n = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  while (n >= 0x80n) {
    out.push(Number(n & 0x7fn) | 0x80);
    n >>= 7n;
  }
  out.push(Number(n));
  return out;
}

type Part = Uint8Array | number[];

export function concat(...parts: Part[]): Uint8Array {
  return concatAll(parts);
}

/** concat for more parts than a call can take arguments. */
export function concatAll(parts: Part[]): Uint8Array {
  const arrays = parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** A varint field. */
export function uint(field: number, v: bigint | number): number[] {
  return [...varint(field * 8), ...varint(v)];
}

/** A length-delimited field. */
export function bytes(field: number, ...body: Part[]): Uint8Array {
  const b = concat(...body);
  return concat(varint(field * 8 + 2), varint(b.length), b);
}

export function str(field: number, s: string): Uint8Array {
  return bytes(field, new TextEncoder().encode(s));
}

export const gzip = (b: Uint8Array, level = 9): Uint8Array =>
  new Uint8Array(gzipSync(b, { level }));

/** Deflate that ends on a byte boundary with no final block, so such pieces concatenate. */
function deflatePiece(b: Uint8Array): Uint8Array {
  return new Uint8Array(
    deflateRawSync(b, { level: 9, finishFlush: constants.Z_FULL_FLUSH }) as Uint8Array,
  );
}

/**
 * gzip of head + block × times + tail, in a fraction of gzip's time: a full flush resets the
 * dictionary, so every copy of the block deflates to the same bytes, compressed once.
 * `isize` forges the trailer's length field.
 */
export function gzipRepeated(
  head: Uint8Array,
  block: Uint8Array,
  times: number,
  tail: Uint8Array = new Uint8Array(0),
  isize?: number,
): Uint8Array {
  const blockZ = deflatePiece(block);
  let crc = crc32(head);
  for (let i = 0; i < times; i++) crc = crc32(block, crc);
  crc = crc32(tail, crc);
  const size = head.length + block.length * times + tail.length;
  const trailer = new Uint8Array(8);
  const view = new DataView(trailer.buffer);
  view.setUint32(0, crc >>> 0, true);
  view.setUint32(4, (isize ?? size) >>> 0, true);
  const parts: Uint8Array[] = [
    Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3),
    deflatePiece(head),
  ];
  for (let i = 0; i < times; i++) parts.push(blockZ);
  parts.push(new Uint8Array(deflateRawSync(tail, { level: 9 }) as Uint8Array), trailer);
  return concat(...parts);
}

/** `pattern` repeated to fill `size` bytes. */
export function filled(size: number, pattern: Part): Uint8Array {
  const p = pattern instanceof Uint8Array ? pattern : Uint8Array.from(pattern);
  const out = new Uint8Array(size);
  for (let at = 0; at < size; at += p.length) out.set(p.subarray(0, size - at), at);
  return out;
}
