import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  buildFlameTree,
  decodeProfile,
  ProfileError,
  topTable,
} from '../../../renderer/model/index';
import { prng } from '../../bench/prng';
import { fixture } from './helpers';

function mutate(src: Uint8Array, rand: () => number): Uint8Array {
  const kind = Math.floor(rand() * 5);
  const at = Math.floor(rand() * src.length);
  switch (kind) {
    case 0: {
      const out = src.slice();
      const flips = 1 + Math.floor(rand() * 8);
      for (let i = 0; i < flips; i++)
        out[Math.floor(rand() * out.length)] ^= 1 << Math.floor(rand() * 8);
      return out;
    }
    case 1:
      return src.slice(0, at);
    case 2: {
      // Duplicate a run of bytes (repeats fields, or breaks lengths).
      const len = 1 + Math.floor(rand() * 64);
      const run = src.subarray(at, at + len);
      return concat(src.subarray(0, at + run.length), run, src.subarray(at + run.length));
    }
    case 3: {
      const out = src.slice();
      out[at] = Math.floor(rand() * 256);
      return out;
    }
    default: {
      // Delete a run.
      const len = 1 + Math.floor(rand() * 32);
      return concat(src.subarray(0, at), src.subarray(at + len));
    }
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('fuzz: mutated real profiles', () => {
  it('each case yields a Profile or a ProfileError, nothing else', async () => {
    const sources = ['cpu', 'heap', 'goroutine', 'mutex'].map(
      (n) => new Uint8Array(gunzipSync(fixture('pprof', `${n}.pb.gz`))),
    );
    const rand = prng(0xc0ffee);
    let profiles = 0;
    let errors = 0;
    for (let i = 0; i < 300; i++) {
      const src = sources[i % sources.length];
      let bytes = mutate(src, rand);
      if (rand() < 0.5) bytes = mutate(bytes, rand);
      if (i % 10 === 0) bytes = new Uint8Array(gzipSync(bytes));
      try {
        const p = await decodeProfile(bytes, { maxInflatedBytes: 64 * 1024 * 1024 });
        // The views must cope with whatever decoded.
        buildFlameTree(p, {});
        topTable(p, { granularity: i % 2 ? 'lines' : 'functions' });
        profiles++;
      } catch (e) {
        if (!(e instanceof ProfileError)) {
          throw new Error(`case ${i}: unexpected ${(e as Error)?.stack ?? String(e)}`, {
            cause: e,
          });
        }
        errors++;
      }
    }
    expect(profiles + errors).toBe(300);
    expect(errors).toBeGreaterThan(0);
  }, 60_000);
});
