import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildFlameTree, decodeProfile, topTable } from '../../../renderer/model/index';
import { decodeProtobuf } from '../../../renderer/model/decode';
import { generateProfile } from '../../bench/generate';
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

  it('agrees on the real fixtures', async () => {
    for (const name of ['cpu', 'heap', 'goroutine']) {
      const gz = fixture('pprof', `${name}.pb.gz`);
      const streamed = await decodeProfile(gz);
      const whole = decodeProtobuf(new Uint8Array(gunzipSync(gz)));
      expect(streamed.summary()).toEqual(whole.summary());
    }
  });
});
