import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { nodeGunzip } from '../../../electron/nodeGunzip';
import { decodeProfile, ProfileError, pprofTop } from '../../../renderer/model/index';
import type { ProfileErrorCode } from '../../../renderer/model/index';
import { fixture } from '../model/helpers';

async function codeOf(bytes: Uint8Array, maxInflatedBytes?: number): Promise<ProfileErrorCode> {
  try {
    await decodeProfile(bytes, { gunzip: nodeGunzip, maxInflatedBytes });
  } catch (e) {
    if (e instanceof ProfileError) return e.code;
    throw e;
  }
  throw new Error('expected a ProfileError');
}

// The CLI and the benchmark inflate with node:zlib, the app's worker with DecompressionStream:
// both must give the same profile and the same typed errors.
describe('nodeGunzip', () => {
  it('decodes every fixture as DecompressionStream does', async () => {
    for (const name of ['cpu', 'heap', 'allocs', 'goroutine', 'mutex', 'block', 'threadcreate']) {
      const bytes = fixture('pprof', `${name}.pb.gz`);
      const web = await decodeProfile(bytes);
      const node = await decodeProfile(bytes, { gunzip: nodeGunzip });
      expect(node.samples.count, name).toBe(web.samples.count);
      expect(pprofTop(node, {}), name).toEqual(pprofTop(web, {}));
    }
  });

  it('reports truncated and corrupt gzip', async () => {
    const full = fixture('pprof', 'cpu.pb.gz');
    expect(await codeOf(full.subarray(0, full.length >> 1))).toBe('truncated-gzip');
    const bad = full.slice();
    bad[20] ^= 0xff;
    expect(['corrupt-gzip', 'truncated-gzip']).toContain(await codeOf(bad));
  });

  it('stops a decompression bomb at the cap', async () => {
    // Parses as a profile ("", then an unknown varint field over and over): zeros would stop at once.
    const bomb = new Uint8Array(
      gzipSync(
        Buffer.concat([Buffer.of(0x32, 0), Buffer.alloc(256 * 1024 * 1024, '\x78\x00', 'latin1')]),
      ),
    );
    expect(await codeOf(bomb, 4 * 1024 * 1024)).toBe('too-large');
  });
});
