import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildFlameTree, decodeProfile, topTable } from '../../../renderer/model/index';
import { decodeProtobuf } from '../../../renderer/model/decoding/decode';
import type { Gunzipper } from '../../../renderer/model/index';
import { generateProfile } from '../../bench/generate';
import { prng } from '../../bench/prng';
import { fixture } from './helpers';

describe('streaming decode (parse while inflating)', () => {
  it('gives the same profile as decoding the inflated bytes in one go', async () => {
    // ~1 MB inflated: many DecompressionStream chunks, so fields straddle chunk boundaries.
    const gz = generateProfile(3000, 7);
    const raw = new Uint8Array(gunzipSync(gz));
    expect(raw.length).toBeGreaterThan(256 * 1024);
    const streamed = await decodeProfile(gz);
    const whole = decodeProtobuf(raw);
    expect(streamed.summary()).toEqual(whole.summary());
    expect(streamed.rawTrie.size).toBe(whole.rawTrie.size);
    expect(Array.from(streamed.samples.leaf)).toEqual(Array.from(whole.samples.leaf));
    const a = buildFlameTree(streamed, {});
    const b = buildFlameTree(whole, {});
    expect(a.frame.length).toBe(b.frame.length);
    expect(Array.from(a.total)).toEqual(Array.from(b.total));
    expect(topTable(streamed, {}).rows.slice(0, 10)).toEqual(topTable(whole, {}).rows.slice(0, 10));
  });

  it('parses chunks of any size in place or through the window alike', async () => {
    // Chunk sizes from 1 byte (a field cut many times) to 300 KB (parsed where they lie, with
    // fields cut at both ends), in a seeded random order.
    const gz = generateProfile(3000, 11);
    const raw = new Uint8Array(gunzipSync(gz));
    const whole = decodeProtobuf(raw);
    for (const seed of [1, 2, 3]) {
      const rand = prng(seed);
      const sizes = [1, 7, 100, 4096, 65_535, 65_536, 65_537, 100_000, 300_000];
      const chunked: Gunzipper = () => {
        let at = 0;
        return {
          read() {
            if (at >= raw.length) return Promise.resolve({ done: true });
            const n = sizes[Math.floor(rand() * sizes.length)];
            const value = raw.slice(at, Math.min(raw.length, at + n));
            at += n;
            return Promise.resolve({ done: false, value });
          },
          cancel: () => Promise.resolve(),
        };
      };
      const p = await decodeProfile(gz, { gunzip: chunked });
      expect(p.summary()).toEqual(whole.summary());
      expect(Array.from(p.samples.leaf)).toEqual(Array.from(whole.samples.leaf));
      expect(Array.from(p.samples.values)).toEqual(Array.from(whole.samples.values));
      expect(Array.from(p.samples.labelStr)).toEqual(Array.from(whole.samples.labelStr));
    }
  });

  it('agrees on the real fixtures', async () => {
    for (const name of ['cpu', 'heap', 'goroutine']) {
      const gz = fixture('pprof', `${name}.pb.gz`);
      const streamed = await decodeProfile(gz);
      const whole = decodeProtobuf(new Uint8Array(gunzipSync(gz)));
      expect(streamed.summary()).toEqual(whole.summary());
    }
  });
});
