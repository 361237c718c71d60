import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServices, dispatch } from '../../../electron/services/createServices';
import { listProfileFolder } from '../../../electron/services/profileFiles';
import { readStatic } from '../../../electron/server/staticFiles';

describe('services', () => {
  it('opens the bundled sample when launched without files', async () => {
    const api = createServices({ mode: 'browser', launchFiles: [] });
    const files = await api.initialFiles();
    expect(files.map((f) => f.name)).toEqual(['fleet-controller-cpu.pb.gz']);
    const bytes = await api.readFile(files[0].path);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
  });

  it('turns a missing file into a not-found envelope naming the path', async () => {
    const api = createServices({ mode: 'browser', launchFiles: ['/nonexistent/cpu.pb.gz'] });
    const result = await dispatch(api, 'readFile', ['/nonexistent/cpu.pb.gz']);
    expect(result).toEqual({
      ok: false,
      error: { code: 'not-found', message: '/nonexistent/cpu.pb.gz: no such file' },
    });
  });

  it('reads a file in pieces that make up the whole, fewer bytes at its end', async () => {
    const api = createServices({ mode: 'browser', launchFiles: ['/nonexistent/cpu.pb.gz'] });
    const [sample] = await api.sampleFiles();
    const whole = await api.readFile(sample.path);
    const info = await api.fileInfo(sample.path);
    expect(info.size).toBe(whole.length);
    const pieces: number[] = [];
    for (let at = 0; at < info.size; at += 4096) {
      pieces.push(...(await api.readFileChunk(sample.path, at, 4096)));
    }
    expect(Uint8Array.from(pieces)).toEqual(whole);
    expect((await api.readFileChunk(sample.path, info.size - 10, 4096)).length).toBe(10);
    expect((await api.readFileChunk(sample.path, info.size + 1, 4096)).length).toBe(0);
    expect(await dispatch(api, 'readFileChunk', ['/nonexistent/cpu.pb.gz', 0, 10])).toEqual({
      ok: false,
      error: { code: 'not-found', message: '/nonexistent/cpu.pb.gz: no such file' },
    });
  });

  it('lists only profile files of a folder, by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'profscope-'));
    for (const n of ['b.pb.gz', 'a.pprof', 'notes.txt', 'c.prof']) writeFileSync(join(dir, n), 'x');
    mkdirSync(join(dir, 'sub.pb.gz'));
    expect((await listProfileFolder(dir)).map((f) => f.name)).toEqual([
      'a.pprof',
      'b.pb.gz',
      'c.prof',
    ]);
  });
});

describe('readStatic', () => {
  it('never serves files outside its root', async () => {
    const root = mkdtempSync(join(tmpdir(), 'static-'));
    writeFileSync(join(root, 'index.html'), '<p>hi</p>');
    expect((await readStatic(root, '/'))?.contentType).toMatch(/text\/html/);
    expect(await readStatic(root, '/../../etc/passwd')).toBeNull();
    expect(await readStatic(root, '/%2e%2e/%2e%2e/etc/passwd')).toBeNull();
  });
});
