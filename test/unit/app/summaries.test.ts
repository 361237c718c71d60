// summarizeFiles through the services, on the real worker bundle: a folder of continuous
// profiles summarised on several threads, then again from the cache without decoding, a changed
// file alone decoded again; the same access checks as readFileBatch; errors naming their file.
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileSummaryResult, ProfscopeApi } from '../../../electron/contract';
import { createServices, dispatch } from '../../../electron/services/createServices';
import { WorkerPool } from '../../../electron/services/summaries/pool';
import type { SummaryService } from '../../../electron/services/summaries/summaryService';
import { nodeGunzip } from '../../../electron/nodeGunzip';
import { decodeProfile, fileSummary } from '../../../renderer/model/index';
import { summaryWorkerBundle } from './summaryWorkerBundle';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const CONTINUOUS = join(FIXTURES, 'continuous');

let script: string;
const pools: WorkerPool[] = [];

beforeAll(async () => {
  script = await summaryWorkerBundle();
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

/** A folder with copies of the continuous fixtures (oldest name first). */
function profileFolder(): { dir: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'profscope-summaries-'));
  const files = readdirSync(CONTINUOUS)
    .sort()
    .map((name) => {
      copyFileSync(join(CONTINUOUS, name), join(dir, name));
      return join(dir, name);
    });
  return { dir, files };
}

/** The services with `folder` chosen in the dialog, their data in `dataDir`. */
async function open(folder: string, dataDir: string, scriptPath = script) {
  const pool = new WorkerPool({ script: scriptPath, size: 2 });
  pools.push(pool);
  let summaries: SummaryService | undefined;
  const api = createServices({
    mode: 'electron',
    launchFiles: [],
    configDir: join(dataDir, 'config'),
    dataDir,
    dialogs: {
      chooseFiles: () => Promise.resolve(null),
      chooseFolder: () => Promise.resolve(folder),
    },
    summaryPool: pool,
    onSummaries: (s) => (summaries = s),
  });
  await api.chooseFolder();
  return { api, summaries: summaries!, pool };
}

async function summarize(api: ProfscopeApi, paths: string[]): Promise<FileSummaryResult[]> {
  // Through the method table, as IPC and HTTP call it, and through JSON, as HTTP carries it.
  const r = await dispatch(api, 'summarizeFiles', [paths]);
  if (!r.ok) throw new Error(r.error.message);
  return JSON.parse(JSON.stringify(r.value)) as FileSummaryResult[];
}

async function expected(path: string) {
  return fileSummary(await decodeProfile(readFileSync(path), { gunzip: nodeGunzip }));
}

describe('summarizeFiles', () => {
  it('summarises a folder in the pool, then from the cache, then only a changed file', async () => {
    const { dir, files } = profileFolder();
    const dataDir = mkdtempSync(join(tmpdir(), 'profscope-data-'));
    const { api, summaries, pool } = await open(dir, dataDir);
    expect(pool.workers).toBe(0);

    const cold = await summarize(api, files);
    expect(summaries.decoded).toBe(files.length);
    expect(pool.workers).toBe(2);
    expect(cold.map((r) => r.path)).toEqual(files);
    for (const [i, r] of cold.entries())
      expect(r).toEqual({ path: files[i], summary: await expected(files[i]) });
    const first = cold[0];
    if (!('summary' in first)) throw new Error(first.error);
    expect(first.summary.topFunction).toBe('crypto/sha256.block');
    expect(first.summary.sampleType).toEqual({ type: 'cpu', unit: 'nanoseconds' });
    // The cache file, named for the folder, in the data folder.
    expect(readdirSync(join(dataDir, 'summaries'))).toEqual([
      expect.stringMatching(/^[0-9a-f]{32}\.json$/),
    ]);

    // Asked again: nothing decoded.
    expect(await summarize(api, files)).toEqual(cold);
    expect(summaries.decoded).toBe(files.length);

    // Another start of the app reads the cache from disk: nothing decoded either.
    const again = await open(dir, dataDir);
    expect(await summarize(again.api, files)).toEqual(cold);
    expect(again.summaries.decoded).toBe(0);
    expect(again.pool.workers).toBe(0);

    // One file touched (same bytes, new mtime), another rewritten (new size): those two only.
    utimesSync(files[1], new Date(), new Date(Date.now() + 5000));
    copyFileSync(files[5], files[2]);
    const changed = await summarize(again.api, files);
    expect(again.summaries.decoded).toBe(2);
    expect(changed[1]).toEqual(cold[1]);
    expect(changed[2]).toEqual({
      path: files[2],
      summary: (cold[5] as { summary: unknown }).summary,
    });
    expect(changed.filter((r, i) => i !== 2)).toEqual(cold.filter((r, i) => i !== 2));
    const third = await open(dir, dataDir);
    expect(await summarize(third.api, files)).toEqual(changed);
    expect(third.summaries.decoded).toBe(0);
  });

  it('ignores a cache file that is not one, or not for this folder, or malformed', async () => {
    const { dir, files } = profileFolder();
    const dataDir = mkdtempSync(join(tmpdir(), 'profscope-data-'));
    const { api } = await open(dir, dataDir);
    const good = await summarize(api, files);
    const [cacheName] = readdirSync(join(dataDir, 'summaries'));
    const cacheFile = join(dataDir, 'summaries', cacheName);
    const valid = JSON.parse(readFileSync(cacheFile, 'utf8')) as {
      folder: string;
      entries: { summary: Record<string, unknown> }[];
    };
    const variants: [string, string][] = [
      ['not JSON', '{"format": "profscope-file-summ'],
      ['another folder', JSON.stringify({ ...valid, folder: '/elsewhere' })],
      ['another format', JSON.stringify({ ...valid, format: 'something' })],
      [
        'entries of the wrong shape',
        JSON.stringify({
          ...valid,
          entries: valid.entries.map((e) => ({ ...e, summary: { ...e.summary, totals: ['1'] } })),
        }),
      ],
    ];
    for (const [what, content] of variants) {
      writeFileSync(cacheFile, content);
      const fresh = await open(dir, dataDir);
      expect(await summarize(fresh.api, files), what).toEqual(good);
      expect(fresh.summaries.decoded, what).toBe(files.length);
    }
    // Fields the cache should not have are not handed on.
    writeFileSync(
      cacheFile,
      JSON.stringify({
        ...valid,
        entries: valid.entries.map((e) => ({ ...e, summary: { ...e.summary, html: '<img>' } })),
      }),
    );
    const fresh = await open(dir, dataDir);
    const read = await summarize(fresh.api, files);
    expect(fresh.summaries.decoded).toBe(0);
    expect(read).toEqual(good);
  });

  it('refuses what readFileBatch refuses, and names a file it cannot summarise', async () => {
    const { dir, files } = profileFolder();
    const broken = join(dir, '2026-11-24_13_51_00.pprof.fleetcontroller.samples.cpu.pb.gz');
    writeFileSync(broken, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5]));
    const outside = mkdtempSync(join(tmpdir(), 'profscope-outside-'));
    copyFileSync(files[0], join(outside, 'cpu.pb.gz'));
    const { api, summaries } = await open(dir, mkdtempSync(join(tmpdir(), 'profscope-data-')));

    const results = await summarize(api, [
      '/etc/passwd',
      join(outside, 'cpu.pb.gz'),
      broken,
      files[0],
      join(dir, 'gone.pb.gz'),
    ]);
    const errorOf = (r: FileSummaryResult) => ('error' in r ? r.error : '(no error)');
    expect(results.map((r) => r.path)).toEqual([
      '/etc/passwd',
      join(outside, 'cpu.pb.gz'),
      broken,
      files[0],
      join(dir, 'gone.pb.gz'),
    ]);
    expect(errorOf(results[0])).toMatch(/^\/etc\/passwd: not a file you opened/);
    expect(errorOf(results[1])).toContain('not a file you opened');
    expect(errorOf(results[2])).toMatch(new RegExp(`^${broken}: .*gzip`));
    expect(results[3]).toMatchObject({ summary: { topFunction: 'crypto/sha256.block' } });
    expect(errorOf(results[4])).toContain('gone.pb.gz');
    // Only what was read was decoded: the broken file and the good one.
    expect(summaries.decoded).toBe(2);

    const bad = await dispatch(api, 'summarizeFiles', [['relative/cpu.pb.gz']]);
    expect(bad.ok).toBe(true);
    expect(await dispatch(api, 'summarizeFiles', [[]])).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
  });

  it('a worker that dies fails only the file it held', async () => {
    const { dir, files } = profileFolder();
    const crash = join(dir, 'crash.pb.gz');
    copyFileSync(files[0], crash);
    // The real worker, behind a listener that ends the thread on the file named crash.
    const wrapper = join(mkdtempSync(join(tmpdir(), 'profscope-crash-')), 'crashing.cjs');
    writeFileSync(
      wrapper,
      `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => { if (m.task.path.endsWith('crash.pb.gz')) process.exit(3); });
require(${JSON.stringify(script)});`,
    );
    const { api, summaries } = await open(
      dir,
      mkdtempSync(join(tmpdir(), 'profscope-data-')),
      wrapper,
    );
    const results = await summarize(api, [files[0], crash, ...files.slice(1)]);
    expect(results[1]).toEqual({ path: crash, error: `${crash}: the worker stopped: exit code 3` });
    expect(results.filter((r) => 'summary' in r)).toHaveLength(files.length);
    expect(summaries.decoded).toBe(files.length + 1);
    // The crash is not cached: asked again, the file is tried again.
    await summarize(api, [crash]);
    expect(summaries.decoded).toBe(files.length + 2);
  });
});
