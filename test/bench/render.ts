// Rendering benchmark in Chromium (not a test): the 1M-sample profile, from bytes arriving in
// the page to the first flame graph on screen, and the frame time of redraws while panning.
// Run by `npm run bench` after the engine benchmark.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startBrowserServer } from '../../electron/server/browserServer';
import { createServices } from '../../electron/services/createServices';
import { cachedProfile } from './generate';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

async function main(): Promise<void> {
  const samples = Number(process.env.RENDER_BENCH_SAMPLES ?? 1_000_000);
  const file = cachedProfile(samples);
  const server = await startBrowserServer({
    services: createServices({
      mode: 'browser',
      launchFiles: [file],
      configDir: mkdtempSync(join(tmpdir(), 'profscope-bench-')),
    }),
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const firsts: number[] = [];
    for (let run = 0; run < 3; run++) {
      await page.goto(server.url);
      const ms = await page.waitForFunction(
        () => {
          const a = performance.getEntriesByName('profscope:bytes-arrived')[0];
          const b = performance.getEntriesByName('profscope:first-flame')[0];
          return a && b ? b.startTime - a.startTime : null;
        },
        null,
        { timeout: 120_000, polling: 50 },
      );
      firsts.push((await ms.jsonValue()) as number);
    }
    // Zoom in so there is room to pan, then pan left and right, one frame per key press.
    await page.getByTestId('flame-canvas').waitFor();
    const frames = await page.evaluate(async () => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=flame-canvas]')!;
      const key = (k: string) => window.dispatchEvent(new KeyboardEvent('keydown', { key: k }));
      const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));
      for (let i = 0; i < 6; i++) {
        key('+');
        await frame();
      }
      const total: number[] = [];
      const draw: number[] = [];
      for (let i = 0; i < 120; i++) {
        const t0 = performance.now();
        key(i % 40 < 20 ? 'ArrowRight' : 'ArrowLeft');
        await frame();
        total.push(performance.now() - t0);
        draw.push(Number(canvas.dataset.drawMs));
      }
      return { total, draw, drawn: Number(canvas.dataset.drawn) };
    });
    const median = (v: number[]) => quantile(v, 0.5);
    console.log(`\nRendering in Chromium, ${samples.toLocaleString('en-US')} samples (${file})`);
    console.log(
      `  bytes arrived → first flame graph: median ${median(firsts).toFixed(0)} ms (runs: ${firsts.map((f) => f.toFixed(0)).join(', ')}; target ≤ 2000 ms)`,
    );
    console.log(
      `  pan redraw, draw only:      median ${median(frames.draw).toFixed(2)} ms, p95 ${quantile(frames.draw, 0.95).toFixed(2)} ms (${frames.drawn} frames drawn)`,
    );
    console.log(
      `  pan, key press → next frame: median ${median(frames.total).toFixed(2)} ms, p95 ${quantile(frames.total, 0.95).toFixed(2)} ms (target ≤ 16 ms median)`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
