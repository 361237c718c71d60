// The capture library's guards: what delete may touch, and names that concurrent saves claim.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaptureMeta } from '../../../electron/contract';
import { isInside, Library } from '../../../electron/kube/library';

const meta: CaptureMeta = {
  context: 'ctx',
  namespace: 'ns',
  pod: 'pod-1',
  container: 'c',
  port: 6060,
  pathPrefix: '/debug/pprof',
  kind: 'heap',
  delta: false,
  start: '2024-05-06T07:08:09.000Z',
  durationSec: 0,
  appVersion: 'test',
};

describe('isInside', () => {
  it('accepts paths below the root, refuses the root, its parents and siblings (POSIX)', () => {
    const p = path.posix;
    expect(isInside('/data/library', '/data/library/a/b.pb.gz', p)).toBe(true);
    expect(isInside('/data/library', '/data/library', p)).toBe(false);
    expect(isInside('/data/library', '/data/library/../x', p)).toBe(false);
    expect(isInside('/data/library', '/data/libraryX/a', p)).toBe(false);
    expect(isInside('/data/library', '/etc/passwd', p)).toBe(false);
    // Refused too, on the safe side: the library never makes names that start with dots.
    expect(isInside('/data/library', '/data/library/..x', p)).toBe(false);
  });

  it('refuses a path on another Windows drive, where relative() is absolute', () => {
    const w = path.win32;
    // The bug: relative('C:\\lib', 'D:\\x') is 'D:\\x', which has no '..' in it.
    expect(w.relative('C:\\data\\library', 'D:\\x')).toBe('D:\\x');
    expect(isInside('C:\\data\\library', 'D:\\x', w)).toBe(false);
    expect(isInside('C:\\data\\library', 'D:\\data\\library\\a.pb.gz', w)).toBe(false);
    expect(isInside('C:\\data\\library', '\\\\server\\share\\a.pb.gz', w)).toBe(false);
    expect(isInside('C:\\data\\library', 'C:\\data\\library\\ctx\\a.pb.gz', w)).toBe(true);
    expect(isInside('C:\\data\\library', 'C:\\data\\other\\a.pb.gz', w)).toBe(false);
  });

  it('deleteCapture refuses anything outside the library', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'profscope-lib-'));
    const outside = join(dir, 'outside.pb.gz');
    writeFileSync(outside, 'x');
    const lib = new Library(dir);
    await expect(lib.remove(outside)).rejects.toMatchObject({ code: 'bad-request' });
    expect(readFileSync(outside, 'utf8')).toBe('x');
  });

  it('deleteCapture does not follow a folder link planted in the library out of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'profscope-lib-'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'profscope-elsewhere-'));
    writeFileSync(join(elsewhere, 'precious.pb.gz'), 'x');
    const lib = new Library(dir);
    mkdirSync(lib.root, { recursive: true });
    symlinkSync(elsewhere, join(lib.root, 'ctx'));
    await expect(lib.remove(join(lib.root, 'ctx', 'precious.pb.gz'))).rejects.toMatchObject({
      code: 'bad-request',
    });
    expect(readFileSync(join(elsewhere, 'precious.pb.gz'), 'utf8')).toBe('x');
  });
});

describe('Library.save', () => {
  it('keeps every one of several concurrent saves with the same name', async () => {
    const lib = new Library(mkdtempSync(join(tmpdir(), 'profscope-lib-')));
    const n = 6;
    const entries = await Promise.all(
      Array.from({ length: n }, (_, i) => lib.save(meta, new Uint8Array([0x0a, i]))),
    );
    const names = entries.map((e) => e.name);
    expect(new Set(names).size).toBe(n);
    expect(names).toContain('2024-05-06_07_08_09.heap.pb.gz');
    expect(names).toContain('2024-05-06_07_08_09_2.heap.pb.gz');
    // Each file holds its own bytes, and has its own sidecar.
    for (const [i, e] of entries.entries()) {
      expect([...readFileSync(e.path)]).toEqual([0x0a, i]);
      expect(JSON.parse(readFileSync(`${e.path}.json`, 'utf8'))).toMatchObject({ pod: 'pod-1' });
    }
    const files = readdirSync(lib.podDir(meta));
    expect(files.filter((f) => !f.endsWith('.json'))).toHaveLength(n);
    expect(files.filter((f) => f.startsWith('.tmp-'))).toEqual([]);
    expect(await lib.list()).toHaveLength(n);
  });

  it('does not overwrite a profile that has no sidecar', async () => {
    const lib = new Library(mkdtempSync(join(tmpdir(), 'profscope-lib-')));
    const first = await lib.save(meta, new Uint8Array([0x0a, 1]));
    // Put there by hand: the profile stays, its sidecar is gone.
    rmSync(`${first.path}.json`);
    const second = await lib.save(meta, new Uint8Array([0x0a, 2]));
    expect(second.path).not.toBe(first.path);
    expect([...readFileSync(first.path)]).toEqual([0x0a, 1]);
  });
});
