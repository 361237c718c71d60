import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecentStore } from '../../../electron/services/recentItems';

describe('RecentStore', () => {
  it('keeps newest first, without duplicates, and marks missing files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recent-'));
    const present = join(dir, 'cpu.pb.gz');
    writeFileSync(present, 'x');
    const store = new RecentStore(join(dir, 'cfg', 'recent.json'));
    await store.add(present, 'file', 1);
    await store.add(join(dir, 'gone.pb.gz'), 'file', 2);
    await store.add(present, 'file', 3);
    expect(await store.list()).toEqual([
      { path: present, kind: 'file', openedAt: 3, exists: true },
      { path: join(dir, 'gone.pb.gz'), kind: 'file', openedAt: 2, exists: false },
    ]);
  });

  it('keeps every one of 20 concurrent adds (they once raced: 19 ENOENT, one entry kept)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recent-'));
    const store = new RecentStore(join(dir, 'recent.json'));
    const paths = Array.from({ length: 20 }, (_, i) => join(dir, `p${i}.pb.gz`));
    await Promise.all(paths.map((p, i) => store.add(p, 'file', i)));
    expect((await store.list()).map((i) => i.path)).toEqual([...paths].reverse());
  });

  it('survives a corrupt file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recent-'));
    writeFileSync(join(dir, 'recent.json'), '{not json');
    expect(await new RecentStore(join(dir, 'recent.json')).list()).toEqual([]);
  });
});
