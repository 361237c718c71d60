// Every repeated field has a cap with a typed error: a file of 1 GiB of comments once ended
// `profscope top` with V8's "Fatal JavaScript invalid size error" (SIGTRAP).
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GrowableFloat64, MAX_GROWABLE_BYTES } from '../../../renderer/model/collections/growable';
import { decodeProfile, isProfileError } from '../../../renderer/model/index';

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** A string table of "" and field `field` (length-delimited) holding `body`. */
function profileWith(field: number, body: Uint8Array, times = 1): Uint8Array {
  const head = Uint8Array.of(0x32, 0x00); // string_table: ""
  const tag = [...varint((field << 3) | 2), ...varint(body.length)];
  const one = new Uint8Array(tag.length + body.length);
  one.set(tag);
  one.set(body, tag.length);
  const out = new Uint8Array(head.length + one.length * times);
  out.set(head);
  for (let i = 0; i < times; i++) out.set(one, head.length + i * one.length);
  return out;
}

async function decodeError(bytes: Uint8Array): Promise<unknown> {
  try {
    await decodeProfile(gzipSync(bytes));
    return null;
  } catch (e) {
    return e;
  }
}

describe('caps on repeated fields', () => {
  it('comments: two million are refused with a typed error', async () => {
    const err = await decodeError(profileWith(13, new Uint8Array(2_000_000)));
    expect(isProfileError(err) && err.code).toBe('too-large');
    expect(String(err)).toMatch(/more than \d+ comments/);
  });

  it('sample types: five thousand are refused with a typed error', async () => {
    const err = await decodeError(profileWith(1, new Uint8Array(0), 5000));
    expect(isProfileError(err) && err.code).toBe('too-large');
    expect(String(err)).toMatch(/sample types/);
  });
});

describe('typed-array fields', () => {
  it('refuse to grow past their cap with a typed error, before allocating', () => {
    const g = new GrowableFloat64(16);
    expect(() => g.grow(MAX_GROWABLE_BYTES / 8 + 1)).toThrow(/more than \d+ entries in one field/);
  });
});
