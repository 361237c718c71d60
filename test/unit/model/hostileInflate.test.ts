// Inflating stops early on hostile gzip: once the data is not a profile, and once the ratio is
// a bomb's. Before, a parse failure kept inflating to the 2 GiB cap (a bomb "must still be
// reported as too large"), which is what took Chromium to 3–4.4 GB.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  MAX_INFLATE_RATIO,
  RATIO_CHECK_AFTER,
  webGunzip,
  type Gunzipper,
} from '../../../renderer/model/decoding/gunzip';
import { decodeProfile, isProfileError } from '../../../renderer/model/index';
import { gzipRepeated } from '../../hostile/protobuf';
import { fixture } from './helpers';

/** webGunzip, counting the inflated bytes it hands out. */
function counting(): { gunzip: Gunzipper; delivered: () => number } {
  let n = 0;
  return {
    delivered: () => n,
    gunzip: (gz) => {
      const r = webGunzip(gz);
      return {
        read: async () => {
          const x = await r.read();
          n += x.value?.length ?? 0;
          return x;
        },
        cancel: () => r.cancel(),
        consumed: () => r.consumed?.() ?? gz.length,
      };
    },
  };
}

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (isProfileError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a ProfileError');
}

const MiB = 1024 * 1024;

describe('inflating hostile gzip', () => {
  it('stops at the first chunk that is not a profile (256 MiB of zeros)', async () => {
    const c = counting();
    const bomb = gzipRepeated(new Uint8Array(0), new Uint8Array(16 * MiB), 16);
    const err = await failure(decodeProfile(bomb, { gunzip: c.gunzip }));
    expect(err.message).toMatch(/not a pprof profile/);
    expect(c.delivered()).toBeLessThan(4 * MiB);
  });

  it('refuses a profile-shaped bomb by its ratio soon after 16 MiB', async () => {
    const c = counting();
    // "" in the string table, then an unknown varint field over and over: all of it parses.
    const bomb = gzipRepeated(Uint8Array.of(0x32, 0), new Uint8Array(16 * MiB).fill(0x78), 16);
    const err = await failure(decodeProfile(bomb, { gunzip: c.gunzip }));
    expect(err.code).toBe('too-large');
    expect(err.message).toMatch(new RegExp(`decompression bomb: .* over ${MAX_INFLATE_RATIO}×`));
    expect(c.delivered()).toBeLessThan(RATIO_CHECK_AFTER + 4 * MiB);
  });

  it('a real profile, even a repetitive one, is far below the ratio', () => {
    for (const name of ['cpu', 'heap', 'goroutine', 'threadcreate']) {
      const gz = fixture('pprof', `${name}.pb.gz`);
      const inflated = new DataView(gz.buffer, gz.byteOffset + gz.length - 4).getUint32(0, true);
      expect(inflated / gz.length, name).toBeLessThan(MAX_INFLATE_RATIO / 10);
    }
  });

  it('gzip inside gzip is named, not inflated again', async () => {
    const twice = new Uint8Array(gzipSync(fixture('pprof', 'cpu.pb.gz')));
    expect((await failure(decodeProfile(twice))).message).toMatch(/gzip inside gzip/);
  });

  it('every cut of a gzipped profile is a typed error, at every layer', async () => {
    const gz = fixture('pprof', 'heap.pb.gz');
    for (let at = 1; at < gz.length; at += 37) {
      const err = await failure(decodeProfile(gz.subarray(0, at)));
      expect(
        ['truncated-gzip', 'corrupt-gzip', 'truncated', 'not-pprof'],
        `cut at ${at}`,
      ).toContain(err.code);
    }
  });
});
