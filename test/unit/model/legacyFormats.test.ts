// Issue 16, item 6: profiles in the formats older than pprof's protobuf are named (Go's
// ?debug=1 text, C++ heapz/growthz/contentionz/threadz, Java heapz/contentionz, the binary CPU
// format) and the way out is said: for Go, capture with ?debug=0; for any of them,
// `go tool pprof -proto` converts the file, which is checked here with the real pprof.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeProfile, ProfileError } from '../../../renderer/model/index';
import { FIXTURES, fixture } from './helpers';

const hasGo = spawnSync('go', ['version']).status === 0;

/** Each file and the words its error must hold; `go` when the file is Go's ?debug=1 text. */
const CASES: [file: string, what: string, go: boolean][] = [
  ['go-heap.debug1.txt', 'a Go heap profile in the text format (?debug=1)', true],
  ['gobench.heap', 'a Go heap profile in the text format (?debug=1)', true],
  ['go-mutex.debug1.txt', 'a Go mutex profile in the text format (?debug=1)', true],
  ['go-block.debug1.txt', 'a Go block profile in the text format (?debug=1)', true],
  ['go.godoc.thread', 'a Go threadcreate profile in the text format (?debug=1)', true],
  ['cppbench.heap', 'a C++ heap profile (heapz)', false],
  ['cppbench.growth', 'a C++ heap growth profile (growthz)', false],
  ['cppbench.contention', 'a C++ contention profile (contentionz)', false],
  ['cppbench.thread', 'a C++ thread profile (threadz)', false],
  ['go.crc32.cpu', 'a CPU profile in the legacy binary format', false],
  ['java.heap', 'a Java heap profile (heapz)', false],
  ['java.contention', 'a Java contention profile (contentionz)', false],
  ['java.cpu', 'a Java CPU profile in the legacy binary format', false],
];

async function refusal(bytes: Uint8Array): Promise<ProfileError> {
  try {
    await decodeProfile(bytes);
  } catch (e) {
    if (e instanceof ProfileError) return e;
    throw e;
  }
  throw new Error('expected a ProfileError');
}

describe('legacy profile formats', () => {
  it.each(CASES)('%s is named and refused with what can be done', async (file, what, go) => {
    const raw = fixture('legacy', file);
    for (const bytes of [raw, new Uint8Array(gzipSync(raw))]) {
      const e = await refusal(bytes);
      expect(e.code).toBe('legacy-profile');
      expect(e.message).toContain(`this is ${what}`);
      expect(e.message).toContain('go tool pprof -proto FILE > FILE.pb.gz');
      expect(e.message.includes('?debug=0')).toBe(go);
    }
  });

  it.each(CASES)(
    '%s: go tool pprof -proto converts it to a profile profscope opens',
    async (file) => {
      if (!hasGo) {
        console.warn('SKIPPED: `go` is not on PATH');
        return;
      }
      const go = spawnSync('go', ['tool', 'pprof', '-proto', join(FIXTURES, 'legacy', file)], {
        maxBuffer: 1 << 26,
      });
      expect(go.status, go.stderr.toString()).toBe(0);
      const p = await decodeProfile(new Uint8Array(go.stdout));
      expect(p.samples.count).toBeGreaterThan(0);
    },
  );

  it('text that only looks like a legacy header is still refused as legacy text', async () => {
    const e = await refusal(new TextEncoder().encode('--- something else ---\n1 @ 0x1\n'));
    expect(e.code).toBe('legacy-profile');
    expect(e.message).toContain('legacy text profile');
  });
});
