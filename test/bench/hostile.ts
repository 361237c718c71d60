// Memory benchmark in Chromium (not a test): the app's peak memory while it opens each
// decompression bomb of the hostile corpus (test/hostile/), and while it opens and closes the
// 1M-sample profile five times. Figures come from /proc: the renderer (the page with its engine
// and inflate workers, which are threads of it) and all of Chromium's processes summed, sampled
// every 50 ms, and the renderer's VmHWM.
//   node dist/bench/hostile.cjs [--cases name,name] [--cycles N]
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startBrowserServer, type BrowserServer } from '../../electron/server/browserServer';
import { createServices } from '../../electron/services/createServices';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/chromium';
import { HOSTILE, NORMAL_PROFILE, hostileFile } from '../hostile/corpus';
import { chromiumMemory } from '../hostile/procMemory';
import useTempRoot from '../tempRoot';
import { cachedProfile } from './generate';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function appServer(launchFiles: string[]): Promise<BrowserServer> {
  return startBrowserServer({
    services: createServices({
      mode: 'browser',
      launchFiles,
      configDir: mkdtempSync(join(tmpdir(), 'profscope-bench-')),
    }),
  });
}

interface Peaks {
  /** Highest sampled RSS of the renderer, and of all Chromium's processes together. */
  rendererRss: number;
  totalRss: number;
}

/** Samples Chromium's memory every 50 ms until stopped. */
function sampler(): { peaks: Peaks; stop: () => Peaks } {
  const peaks: Peaks = { rendererRss: 0, totalRss: 0 };
  const tick = (): void => {
    const all = chromiumMemory(process.pid).filter((m) => m.pid !== process.pid);
    const renderer = all.filter((m) => m.type === 'renderer').map((m) => m.rssMiB);
    peaks.rendererRss = Math.max(peaks.rendererRss, ...renderer);
    peaks.totalRss = Math.max(
      peaks.totalRss,
      all.reduce((n, m) => n + m.rssMiB, 0),
    );
  };
  tick();
  const timer = setInterval(tick, 50);
  return {
    peaks,
    stop: () => {
      clearInterval(timer);
      tick();
      return peaks;
    },
  };
}

function rendererHwm(): number {
  return Math.max(
    0,
    ...chromiumMemory(process.pid)
      .filter((m) => m.type === 'renderer')
      .map((m) => m.hwmMiB),
  );
}

/** Waits until no tab is loading and the active one shows a view or an error; returns which. */
async function settled(page: Page): Promise<string> {
  await page.waitForFunction(
    () =>
      document.querySelector('[role=tab]') !== null &&
      document.querySelector('[role=tab].tab-loading') === null &&
      document.querySelector('[data-testid=tab-error], [data-testid=profile-total]') !== null,
    undefined,
    { timeout: 120_000, polling: 50 },
  );
  const err = await page.evaluate(
    () => document.querySelector('[data-testid=tab-error] p')?.textContent ?? null,
  );
  return err ?? 'view';
}

const fmt = (n: number): string => n.toFixed(0).padStart(6);

async function main(): Promise<void> {
  const only = arg('--cases')?.split(',');
  const cycles = Number(arg('--cycles') ?? 5);
  const cases = HOSTILE.filter((c) => (only ? only.includes(c.name) : c.bomb));
  // Generated before the temporary root takes TMPDIR, so the cache outlives the run.
  const files = cases.map((c) => ({ c, file: hostileFile(c) }));
  const big = cachedProfile(1_000_000);
  const removeTemp = useTempRoot();
  console.log('Peak memory of the app in Chromium (MiB), a fresh browser per file:');
  console.log(
    `${'file'.padEnd(30)} ${'gzip'.padStart(9)} ${'renderer HWM'.padStart(12)} ${'renderer RSS'.padStart(12)} ${'all RSS'.padStart(8)} ${'ms'.padStart(6)}  result`,
  );
  try {
    for (const { c, file } of [
      { c: { name: basename(NORMAL_PROFILE) }, file: NORMAL_PROFILE },
      ...files,
    ]) {
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      const server = await appServer([file]);
      try {
        const page = await browser.newPage();
        const s = sampler();
        const started = Date.now();
        await page.goto(server.url);
        // A renderer that runs out of memory crashes the page: a figure too.
        const result = await settled(page).catch(
          (e: unknown) => `did not settle: ${String(e).split('\n')[0]}`,
        );
        const ms = Date.now() - started;
        const p = s.stop();
        console.log(
          `${c.name.padEnd(30)} ${String(statSync(file).size).padStart(9)} ${fmt(rendererHwm()).padStart(12)} ${fmt(p.rendererRss).padStart(12)} ${fmt(p.totalRss).padStart(8)} ${fmt(ms)}  ${result.slice(0, 90)}`,
        );
      } finally {
        await browser.close();
        await server.close();
      }
    }

    console.log(`\nOpening and closing ${big} (${statSync(big).size} bytes) ${cycles} times:`);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const server = await appServer([]);
    try {
      const page = await browser.newPage();
      await page.goto(server.url);
      // The bundled sample opens on a first start: the baseline includes it.
      await settled(page);
      const base = sampler().stop();
      console.log(`  before: renderer RSS ${fmt(base.rendererRss)}, all ${fmt(base.totalRss)}`);
      for (let i = 1; i <= cycles; i++) {
        const s = sampler();
        const started = Date.now();
        await page.getByTestId('file-input').setInputFiles(big);
        const title = basename(big);
        const tab = page.getByRole('tab', { name: title });
        await page.waitForFunction(
          (t) =>
            [...document.querySelectorAll('[role=tab].tab-ready, [role=tab].tab-error')].some((e) =>
              e.textContent?.includes(t),
            ),
          title,
          { timeout: 300_000, polling: 50 },
        );
        await page.getByRole('tabpanel').getByTestId('flame-canvas').waitFor({ timeout: 300_000 });
        const ms = Date.now() - started;
        await page.getByRole('button', { name: `Close ${title}` }).click();
        await tab.waitFor({ state: 'detached' });
        const p = s.stop();
        const after = sampler().stop();
        console.log(
          `  cycle ${i}: open ${fmt(ms)} ms; peak renderer RSS ${fmt(p.rendererRss)}, all ${fmt(p.totalRss)}; HWM ${fmt(rendererHwm())}; after close renderer RSS ${fmt(after.rendererRss)}`,
        );
      }
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    removeTemp();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
