// Decode benchmark: bytes → flame-ready tree, side by side with gunzip alone, pprof-format's
// decoder and `go tool pprof -top`. Each measurement runs in its own child process so peak
// memory (maxRSS) is per method. Run with `npm run bench` (bundled by esbuild, run by node).
//   node dist/bench/bench.cjs [--sizes 10000,200000,1000000] [--runs N] [--modes a,b]
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Profile as PProfile } from 'pprof-format';
import { buildFlameTree, decodeProfile, topTable } from '../../renderer/model/index';
import { gunzip } from '../../renderer/model/decoding/gunzip';
import { nodeGunzip } from '../../electron/nodeGunzip';
import { FLAME_PRUNE } from '../../renderer/views/flame/prune';
import { cachedProfile } from './generate';

// profscope and profscope-decode inflate with node:zlib, as the CLI does; profscope-web with
// DecompressionStream, as the app's worker does (Chromium's is faster than Node's: see the
// rendering benchmark for the engine in Chromium).
type Mode =
  | 'gunzip'
  | 'zlib-gunzipSync'
  | 'pprof-format'
  | 'profscope'
  | 'profscope-fine'
  | 'profscope-top'
  | 'profscope-web'
  | 'profscope-decode';

interface ChildResult {
  times: number[];
  maxRssMB: number;
  baseRssMB: number;
  detail: string;
}

async function runOnce(mode: Mode, bytes: Uint8Array): Promise<string> {
  switch (mode) {
    case 'gunzip':
      return `${(await gunzip(bytes)).length} bytes`;
    case 'zlib-gunzipSync':
      return `${gunzipSync(bytes).length} bytes`;
    case 'pprof-format': {
      const p = PProfile.decode(gunzipSync(bytes));
      return `${p.sample.length} samples`;
    }
    case 'profscope-top': {
      // The Top view's table (pprof's flat and cum per function).
      const p = await decodeProfile(bytes, { gunzip: nodeGunzip });
      return `${topTable(p).rows.length} rows`;
    }
    case 'profscope-decode': {
      const p = await decodeProfile(bytes, { gunzip: nodeGunzip });
      return `${p.samples.count} samples`;
    }
    case 'profscope':
    case 'profscope-fine':
    case 'profscope-web': {
      const p = await decodeProfile(bytes, mode === 'profscope-web' ? {} : { gunzip: nodeGunzip });
      // As the flame view builds its first tree (FLAME_PRUNE: narrower nodes are not drawn; zoomed
      // in, it asks for the detail in view). profscope-fine: one tree pruned finely enough to zoom
      // 10× in, as the flame view built it before it asked for detail.
      const tree = buildFlameTree(p, {
        pruneFraction: mode === 'profscope-fine' ? 1e-5 : FLAME_PRUNE,
      });
      return `${p.samples.count} samples, ${tree.frame.length} tree nodes`;
    }
  }
}

/**
 * One measurement in a fresh process: a first run, whose peak memory is reported (later runs
 * would also count garbage the collector has not freed yet), then a second, warm run whose time
 * is reported.
 */
async function child(mode: Mode, file: string): Promise<void> {
  const buf = readFileSync(file);
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  gc?.();
  const baseRss = process.memoryUsage().rss;
  const detail = await runOnce(mode, bytes);
  const maxRss = process.resourceUsage().maxRSS * 1024;
  gc?.();
  const t0 = performance.now();
  await runOnce(mode, bytes);
  const result: ChildResult = {
    times: [performance.now() - t0],
    maxRssMB: maxRss / 1024 / 1024,
    baseRssMB: baseRss / 1024 / 1024,
    detail,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function measureOnce(mode: Mode, file: string): ChildResult {
  const r = spawnSync(
    process.execPath,
    ['--max-old-space-size=8192', '--expose-gc', process.argv[1], '--child', mode, file],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as ChildResult;
}

/**
 * Rounds of every method one after another, so a slow spell of this shared machine hits all
 * methods alike instead of one; the times of a method are its warm runs, its memory the highest
 * first-run peak.
 */
function measureInterleaved(modes: Mode[], file: string, rounds: number): ChildResult[] {
  const results = modes.map((): ChildResult => ({
    times: [],
    maxRssMB: 0,
    baseRssMB: 0,
    detail: '',
  }));
  for (let round = 0; round < rounds; round++) {
    modes.forEach((mode, i) => {
      const r = measureOnce(mode, file);
      const acc = results[i];
      acc.times.push(...r.times);
      if (r.maxRssMB - r.baseRssMB > acc.maxRssMB - acc.baseRssMB) {
        acc.maxRssMB = r.maxRssMB;
        acc.baseRssMB = r.baseRssMB;
      }
      acc.detail = r.detail;
    });
  }
  return results;
}

function measureGo(file: string, runs: number): ChildResult | null {
  if (spawnSync('go', ['version']).status !== 0) return null;
  const times: number[] = [];
  let maxRss = Number.NaN;
  // GNU time reports the child's peak RSS; without it only the wall time is shown.
  const gnuTime = spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const cmd = gnuTime ? '/usr/bin/time' : 'go';
    const args = ['tool', 'pprof', '-top', '-nodecount=20', file];
    const r = spawnSync(cmd, gnuTime ? ['-f', '%M', 'go', ...args] : args, {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`go tool pprof failed: ${r.stderr}`);
    if (gnuTime) {
      const kb = Number(r.stderr.trim().split('\n').pop());
      maxRss = Number.isNaN(maxRss) ? kb / 1024 : Math.max(maxRss, kb / 1024);
    }
  }
  return {
    times,
    maxRssMB: maxRss,
    baseRssMB: 0,
    detail: 'go tool pprof -top -nodecount=20 (wall time, includes process start)',
  };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    await child(process.argv[3] as Mode, process.argv[4]);
    return;
  }
  const sizes = (arg('--sizes') ?? '10000,200000,1000000').split(',').map(Number);
  const runsFlag = arg('--runs');
  // --modes profscope-decode,profscope: only those methods (and not go tool pprof), for quick
  // side-by-side runs while optimising.
  const modesFlag = arg('--modes');
  const modes = (
    modesFlag ??
    'gunzip,zlib-gunzipSync,profscope-decode,profscope,profscope-fine,profscope-top,pprof-format,profscope-web'
  ).split(',') as Mode[];
  console.log(
    `node ${process.version}, ${process.platform}/${process.arch}; each method in a fresh process per run, methods interleaved; time = median of warm runs, memory = peak of a first run (MiB)`,
  );
  for (const n of sizes) {
    const file = cachedProfile(n);
    const gz = statSync(file).size;
    const runs = runsFlag ? Number(runsFlag) : 5;
    console.log(
      `\n== ${n.toLocaleString('en-US')} samples: ${file} (${(gz / 1e6).toFixed(1)} MB gzipped) ==`,
    );
    const measured = measureInterleaved(modes, file, runs);
    const rows: [string, ChildResult][] = modes.map((mode, i) => [mode, measured[i]]);
    if (!modesFlag) {
      const go = measureGo(file, Math.min(runs, 3));
      if (go) rows.push(['go tool pprof -top', go]);
      else console.log('(go not on PATH: go tool pprof -top skipped)');
    }
    const gunzipMs = median((rows.find(([m]) => m === 'gunzip') ?? rows[0])[1].times);
    const ours = median((rows.find(([m]) => m === 'profscope') ?? rows[0])[1].times);
    console.log(
      `${'method'.padEnd(22)}${'median ms'.padStart(11)}${'× gunzip'.padStart(10)}${'× ours'.padStart(9)}${'peak RSS MiB'.padStart(13)}${'over base'.padStart(11)}  detail`,
    );
    for (const [mode, r] of rows) {
      const m = median(r.times);
      console.log(
        `${mode.padEnd(22)}${m.toFixed(0).padStart(11)}${(m / gunzipMs).toFixed(2).padStart(10)}${(m / ours).toFixed(2).padStart(9)}${r.maxRssMB.toFixed(0).padStart(13)}${(r.maxRssMB - r.baseRssMB).toFixed(0).padStart(11)}  ${r.detail}`,
      );
    }
    const pfRow = rows.find(([m]) => m === 'pprof-format');
    if (!pfRow) continue;
    // The ratio of each round (both measured one right after the other), then their median:
    // a slow spell of the machine then weighs on both sides of a ratio, not on one median.
    const oursTimes = (rows.find(([m]) => m === 'profscope') ?? rows[0])[1].times;
    const roundRatios = pfRow[1].times.map((t, i) => t / oursTimes[i]);
    const pfRatio = median(roundRatios);
    console.log(
      `bytes → flame tree: ${ours.toFixed(0)} ms; pprof-format decode is ${pfRatio.toFixed(1)}× slower (median of the rounds' ratios: ${roundRatios.map((r) => r.toFixed(2)).join(', ')})`,
    );
    if (n >= 1_000_000) {
      const oursRow = rows.find(([m]) => m === 'profscope')?.[1];
      const goRow = rows.find(([m]) => m === 'go tool pprof -top')?.[1];
      const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');
      const targets = [
        `bytes→tree ≤ 1000 ms: ${met(ours <= 1000)}`,
        `≥ 5× faster than pprof-format: ${met(pfRatio >= 5)}`,
      ];
      if (goRow) {
        const go = median(goRow.times);
        targets.push(
          `≥ 9× faster than go tool pprof -top (${(go / ours).toFixed(0)}×): ${met(go / ours >= 9)}`,
        );
      }
      if (oursRow) {
        const over = oursRow.maxRssMB - oursRow.baseRssMB;
        const raw = rawSizeMiB(file);
        targets.push(
          `peak memory ≤ 2× raw (${over.toFixed(0)} of ${(2 * raw).toFixed(0)} MiB): ${met(over <= 2 * raw)}`,
        );
      }
      console.log(`targets at 1M samples: ${targets.join('; ')}`);
    }
  }
}

/** The inflated size from the gzip trailer (ISIZE), in MiB. */
function rawSizeMiB(file: string): number {
  const b = readFileSync(file);
  return b.readUInt32LE(b.length - 4) / 1024 / 1024;
}

void main();
