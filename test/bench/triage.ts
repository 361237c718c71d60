// Triage benchmark (not a test): 30 pods over 3 contexts of the fake clusters (heap +
// goroutine), started from the app's Triage panel in Chromium. Reports how long after the
// slowest capture ended the whole table was on screen (target ≤ 2 s) and the peak memory of
// the process serving the app (browser mode's `profscope serve`, the main process's work).
// Run by `npm run bench`; TRIAGE_BENCH_ROUNDS sets the rounds (default 3).
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { TriageStatus } from '../../electron/contract';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/chromium';
import { startMultiCluster } from '../k8s/multiCluster';
import useTempRoot from '../tempRoot';

/** VmHWM (peak resident set) and VmRSS of a process, in MiB. */
function memoryOf(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { peak: kib('VmHWM') / 1024, now: kib('VmRSS') / 1024 };
}

function serve(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [join(__dirname, '../electron/cli.cjs'), 'serve', '--no-open'],
    {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?code=[\w-]+/.exec(out);
      if (m) resolve({ child, url: m[0] });
    });
    child.once('exit', (code) => reject(new Error(`profscope serve exited with ${code}: ${out}`)));
  });
}

async function main(): Promise<void> {
  const rounds = Number(process.env.TRIAGE_BENCH_ROUNDS ?? 3);
  const removeTemp = useTempRoot();
  const mc = await startMultiCluster('profscope-bench-triage-', {
    downstreams: 2,
    agentsPerCluster: 10,
    localAgents: 9,
  });
  const dataHome = join(mc.dir, 'data');
  const { child, url } = await serve({
    ...process.env,
    KUBECONFIG: mc.kubeconfig,
    XDG_DATA_HOME: dataHome,
    XDG_CONFIG_HOME: join(mc.dir, 'config'),
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const base = memoryOf(child.pid ?? 0);
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(url);
    await page.getByTestId('triage-button').waitFor();
    const lag: number[] = [];
    const wall: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      // Each round's table is the only one open.
      for (const close of await page.locator('.tab-close').all()) await close.click();
      await page.getByTestId('triage-button').click();
      await page.getByTestId('triage-preset-fleet').click();
      await page.locator('[data-testid="triage-kind"][data-kind="cpu"]').uncheck();
      const started = Date.now();
      await page.getByTestId('triage-start').click();
      // The whole table: every pod's row with its heap and goroutine figures.
      await page.waitForFunction(
        (n) => {
          const views = document.querySelectorAll('[data-testid="triage-view"]');
          const view = views[views.length - 1];
          if (!view || view.getAttribute('data-state') !== 'done') return false;
          const rows = view.querySelectorAll('[data-testid="triage-row"]');
          if (rows.length !== n) return false;
          return [...rows].every(
            (r) =>
              r.querySelector('[data-testid="triage-heapInuseBytes"][data-value]') &&
              r.querySelector('[data-testid="triage-goroutines"][data-value]'),
          );
        },
        mc.pods.length,
        { polling: 'raf', timeout: 300_000 },
      );
      const onScreen = Date.now();
      const dirs = readdirSync(join(dataHome, 'profscope', 'library'))
        .filter((d) => d.startsWith('triage-'))
        .sort();
      const saved = JSON.parse(
        readFileSync(
          join(dataHome, 'profscope', 'library', dirs[dirs.length - 1], 'summary.json'),
          'utf8',
        ),
      ) as TriageStatus;
      const ends = saved.pods.flatMap((p) =>
        Object.values(p.captures).map((c) => c?.finishedAt ?? 0),
      );
      const slowest = Math.max(...ends);
      lag.push(onScreen - slowest);
      wall.push(onScreen - started);
      const failed = saved.pods.flatMap((p) => Object.values(p.captures)).filter((c) => c?.error);
      console.log(
        `round ${round}: ${saved.pods.length} pods over ${new Set(saved.pods.map((p) => p.context)).size} contexts, ` +
          `${ends.length} captures (${failed.length} failed) in ${((onScreen - started) / 1000).toFixed(1)} s; ` +
          `table on screen ${onScreen - slowest} ms after the slowest capture ended`,
      );
    }
    const mem = memoryOf(child.pid ?? 0);
    const sorted = [...lag].sort((a, b) => a - b);
    console.log(
      `triage-table-lag: median ${sorted[sorted.length >> 1]} ms, worst ${sorted[sorted.length - 1]} ms ` +
        `(target ≤ 2000 ms; ${(2000 / Math.max(1, sorted[sorted.length - 1])).toFixed(1)}× under it at worst); ` +
        `triage wall time median ${([...wall].sort((a, b) => a - b)[wall.length >> 1] / 1000).toFixed(1)} s`,
    );
    console.log(
      `triage-main-memory: peak RSS ${mem.peak.toFixed(0)} MiB (at start ${base.now.toFixed(0)} MiB, ` +
        `peak over start ${(mem.peak - base.now).toFixed(0)} MiB) after ${rounds} triages of ${mc.pods.length} pods`,
    );
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    await mc.close();
    removeTemp();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
