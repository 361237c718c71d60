// Worker-pool benchmark (not a test): a day of one-minute Fleet files (1,440). `profscope top` of
// all of them against `go tool pprof -top` of the same files (the two reports must be the same),
// and the timeline's summaries of the folder cold, cached in memory and cached on disk. The pool
// size and the core count stand beside every figure: they are what the figures depend on.
// Run by `npm run bench`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTop } from '../../electron/cli/commands';
import { setCliPool } from '../../electron/cli/pool';
import { MAX_BATCH_FILES } from '../../electron/contract';
import { createServices } from '../../electron/services/createServices';
import { WorkerPool, defaultPoolSize } from '../../electron/services/summaries/pool';
import type { SummaryService } from '../../electron/services/summaries/summaryService';
import { withoutTime } from '../unit/cli/reportText';
import useTempRoot from '../tempRoot';
import { continuousFiles } from './continuousFiles';

/** The bundles beside this one's folder: dist/bench/ → dist/electron/. */
const CLI = join(__dirname, '..', 'electron', 'cli.cjs');
const WORKER = join(__dirname, '..', 'electron', 'summaryWorker.cjs');

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

async function timedAsync<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

async function main(): Promise<void> {
  const removeTemp = useTempRoot();
  try {
    const count = Number(process.env.SUMMARIES_BENCH_FILES ?? 1440);
    const dir = continuousFiles(count);
    const files = readdirSync(dir)
      .sort()
      .map((f) => join(dir, f));
    const size = defaultPoolSize();
    const pool = `pool of ${size}, ${availableParallelism()} cores`;
    console.log(`\nWorker pool, ${count.toLocaleString('en-US')} one-minute files (${dir})`);
    await topBench(files, pool);
    await summariesBench(dir, files, size, pool);
  } finally {
    removeTemp();
  }
}

async function topBench(files: string[], pool: string): Promise<void> {
  const env = { ...process.env, TZ: 'UTC' };
  const go = timed(() =>
    spawnSync('go', ['tool', 'pprof', '-top', ...files], {
      env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 ** 2,
    }),
  );
  if (go.value.status !== 0) throw new Error(`go tool pprof failed: ${go.value.stderr}`);
  const ours = timed(() =>
    spawnSync(process.execPath, [CLI, 'top', ...files], {
      env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 ** 2,
    }),
  );
  if (ours.value.status !== 0) throw new Error(`profscope top failed: ${ours.value.stderr}`);
  if (withoutTime(ours.value.stdout) !== withoutTime(go.value.stdout))
    throw new Error('profscope top and go tool pprof -top printed different reports');
  // The same command on this thread alone (no pool), in this process, for the pool's share.
  setCliPool(new WorkerPool({ script: null }));
  process.env.TZ = 'UTC';
  let alone = '';
  const single = await timedAsync(() => runTop(files, (s) => (alone += s)));
  setCliPool(null);
  if (alone !== ours.value.stdout) throw new Error('profscope top differs without the pool');
  const rows = go.value.stdout.split('\n').filter((l) => /^\s+\S+\s+\S+%/.exec(l)).length;
  console.log(
    `  profscope top (the CLI, a process of its own): ${ours.ms.toFixed(0)} ms (${pool}); go tool pprof -top: ${go.ms.toFixed(0)} ms; ratio ${(ours.ms / go.ms).toFixed(2)} (the same ${rows}-row report)`,
  );
  console.log(
    `  profscope top on one thread (no pool, in this process): ${single.ms.toFixed(0)} ms; the pool: ${(single.ms / ours.ms).toFixed(2)}× as fast (${pool})`,
  );
}

/** summarizeFiles over the whole folder as the timeline asks: batches, two in flight. */
async function summarizeAll(
  dataDir: string,
  dir: string,
  files: string[],
  size: number,
): Promise<{ ms: number; decoded: number; errors: number }> {
  let summaries: SummaryService | undefined;
  const pool = new WorkerPool({ script: WORKER, size });
  const api = createServices({
    mode: 'browser',
    launchFiles: [],
    configDir: join(dataDir, 'config'),
    dataDir,
    summaryPool: pool,
    onSummaries: (s) => (summaries = s),
  });
  await api.listFolder(dir);
  const batches: string[][] = [];
  for (let i = 0; i < files.length; i += MAX_BATCH_FILES)
    batches.push(files.slice(i, i + MAX_BATCH_FILES));
  let errors = 0;
  const { ms } = await timedAsync(async () => {
    let next = 0;
    await Promise.all(
      [0, 1].map(async () => {
        while (next < batches.length) {
          const results = await api.summarizeFiles(batches[next++]);
          errors += results.filter((r) => 'error' in r).length;
        }
      }),
    );
  });
  await pool.close();
  return { ms, decoded: summaries?.decoded ?? -1, errors };
}

async function summariesBench(
  dir: string,
  files: string[],
  size: number,
  pool: string,
): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'profscope-bench-data-'));
  const cold = await summarizeAll(dataDir, dir, files, size);
  const cached = await summarizeAll(dataDir, dir, files, size);
  const one = await summarizeAll(
    mkdtempSync(join(tmpdir(), 'profscope-bench-data-')),
    dir,
    files,
    1,
  );
  if (cold.errors || cached.errors || one.errors) throw new Error('a file was not summarised');
  if (cold.decoded !== files.length || cached.decoded !== 0)
    throw new Error(`decoded ${cold.decoded} cold and ${cached.decoded} cached`);
  const cacheDir = join(dataDir, 'summaries');
  const cacheBytes = readdirSync(cacheDir).reduce(
    (n, f) => n + statSync(join(cacheDir, f)).size,
    0,
  );
  console.log(
    `  summaries, cold (every file decoded): ${cold.ms.toFixed(0)} ms (${pool}); with one worker: ${one.ms.toFixed(0)} ms (pool of 1, ${availableParallelism()} cores)`,
  );
  console.log(
    `  summaries, cached (another start of the app, read from disk, nothing decoded): ${cached.ms.toFixed(0)} ms (${pool}); cache file ${(cacheBytes / 1024 ** 2).toFixed(1)} MiB`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
