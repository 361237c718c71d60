import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeProfile, ProfileError } from '../../../renderer/model/index';
import type { DecodeOptions, ProfileErrorCode } from '../../../renderer/model/index';
import { generateProfile } from '../../bench/generate';
import { fixture } from './helpers';

async function codeOf(
  bytes: Uint8Array,
  opts?: DecodeOptions,
): Promise<{ code: ProfileErrorCode; message: string }> {
  try {
    await decodeProfile(bytes, opts);
  } catch (e) {
    if (e instanceof ProfileError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a ProfileError');
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('ProfileError codes', () => {
  it('empty', async () => {
    expect((await codeOf(new Uint8Array(0))).code).toBe('empty');
    expect((await codeOf(new Uint8Array(gzipSync(Buffer.alloc(0))))).code).toBe('empty');
  });

  it('goroutine-text for ?debug=1 and ?debug=2', async () => {
    const r = await codeOf(fixture('pprof', 'goroutine-debug1.txt'));
    expect(r.code).toBe('goroutine-text');
    expect(r.message).toContain('?debug=1');
    expect(r.message).toContain('debug=0');
    const gz = await codeOf(new Uint8Array(gzipSync(fixture('pprof', 'goroutine-debug1.txt'))));
    expect(gz.code).toBe('goroutine-text');
    const d2 = await codeOf(text('goroutine 1 [running]:\nmain.main()\n'));
    expect(d2.code).toBe('goroutine-text');
    expect(d2.message).toContain('debug=2');
  });

  it('html', async () => {
    expect((await codeOf(fixture('pprof', 'debug-pprof-index.html'))).code).toBe('html');
    expect((await codeOf(text('<!DOCTYPE html><html></html>'))).code).toBe('html');
  });

  it('execution-trace', async () => {
    const r = await codeOf(text('go 1.21 trace\x00\x00\x00\x01\x02'));
    expect(r.code).toBe('execution-trace');
    expect(r.message).toContain('go tool trace');
  });

  it('not-pprof', async () => {
    expect((await codeOf(text('just some text'))).code).toBe('not-pprof');
    expect((await codeOf(text('heap profile: 1: 2 [3: 4] @ heap/1048576'))).code).toBe(
      'legacy-profile',
    );
  });

  it('truncated-gzip', async () => {
    const full = fixture('pprof', 'cpu.pb.gz');
    const r = await codeOf(full.subarray(0, full.length >> 1));
    expect(r.code).toBe('truncated-gzip');
    expect(r.message).toMatch(/truncated/);
  });

  it('corrupt-gzip', async () => {
    const bad = fixture('pprof', 'cpu.pb.gz').slice();
    bad[20] ^= 0xff;
    expect(['corrupt-gzip', 'truncated-gzip']).toContain((await codeOf(bad)).code);
  });

  it('too-large: a decompression bomb stops at the cap', async () => {
    // Parses as a profile ("", then an unknown varint field over and over): zeros would stop at once.
    const bomb = new Uint8Array(
      gzipSync(
        Buffer.concat([Buffer.of(0x32, 0), Buffer.alloc(64 * 1024 * 1024, '\x78\x00', 'latin1')]),
      ),
    );
    expect(bomb.length).toBeLessThan(128 * 1024);
    const r = await codeOf(bomb, { maxInflatedBytes: 1024 * 1024 });
    expect(r.code).toBe('too-large');
    expect(r.message).toContain('1.0 MiB');
  });

  it('cancelled: an aborted signal stops decoding at the next chunk', async () => {
    const before = new AbortController();
    before.abort();
    expect((await codeOf(fixture('pprof', 'cpu.pb.gz'), { signal: before.signal })).code).toBe(
      'cancelled',
    );
    // Aborted from the first progress report: no chunk is parsed after it.
    const during = new AbortController();
    let reportsAfterAbort = 0;
    const r = await codeOf(generateProfile(20_000), {
      signal: during.signal,
      onProgress: () => {
        if (during.signal.aborted) reportsAfterAbort++;
        during.abort();
      },
    });
    expect(r.code).toBe('cancelled');
    expect(reportsAfterAbort).toBe(0);
  });

  it('truncated protobuf', async () => {
    const raw = new Uint8Array(gunzipSync(fixture('pprof', 'cpu.pb.gz')));
    const r = await codeOf(raw.subarray(0, raw.length - 7));
    expect(['truncated', 'bad-index']).toContain(r.code);
    const mid = await codeOf(new Uint8Array(gzipSync(raw.subarray(0, 5000))));
    expect(['truncated', 'bad-index', 'malformed']).toContain(mid.code);
  });

  it('bad-index: a location id that does not exist', async () => {
    // Minimal profile: sample_type {type:1 unit:2}, sample {location_id: 99, value: 1}, strings "", "a", "b".
    const bytes = new Uint8Array([
      0x0a, 0x04, 0x08, 0x01, 0x10, 0x02, 0x12, 0x04, 0x08, 0x63, 0x10, 0x01, 0x32, 0x00, 0x32,
      0x01, 0x61, 0x32, 0x01, 0x62,
    ]);
    const r = await codeOf(bytes);
    expect(r.code).toBe('bad-index');
    expect(r.message).toContain('location id 99');
  });

  it('bad-index: a string index past the table', async () => {
    const bytes = new Uint8Array([
      0x0a, 0x04, 0x08, 0x07, 0x10, 0x02, 0x32, 0x00, 0x32, 0x01, 0x61, 0x32, 0x01, 0x62,
    ]);
    expect((await codeOf(bytes)).code).toBe('bad-index');
  });
});
