// Builds everything the app runs: the renderer with Vite, and the Node side (Electron main,
// preload, CLI/browser-mode server, benchmark) with esbuild as CommonJS bundles. esbuild
// rather than electron-vite: the Node side is a few plain entry points and one more layer of
// config would hide that; Vite alone handles the React renderer and its Web Worker.
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';
import { existsSync } from 'node:fs';

const quiet = process.argv.includes('--quiet') || process.env.CI === 'true';

await viteBuild({ configFile: 'vite.config.ts', logLevel: quiet ? 'warn' : 'info' });

const nodeEntries = [
  ['electron/main.ts', 'dist/electron/main.cjs'],
  ['electron/preload.ts', 'dist/electron/preload.cjs'],
  ['electron/cli.ts', 'dist/electron/cli.cjs'],
  // The worker pool's thread (file summaries, the CLI's decodes), found beside the bundles above.
  ['electron/services/summaries/summaryWorker.ts', 'dist/electron/summaryWorker.cjs'],
  ['test/bench/bench.ts', 'dist/bench/bench.cjs'],
  ['test/bench/render.ts', 'dist/bench/render.cjs'],
  ['test/bench/triage.ts', 'dist/bench/triage.cjs'],
  ['test/bench/hostile.ts', 'dist/bench/hostile.cjs'],
  ['test/bench/summaries.ts', 'dist/bench/summaries.cjs'],
].filter(([src]) => existsSync(src));

await Promise.all(
  nodeEntries.map(([entry, outfile]) =>
    esbuild({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      sourcemap: true,
      // Everything is bundled but electron (the host) and the browser driver of the benchmark.
      external: ['electron', 'playwright-core'],
      logLevel: 'warning',
    }),
  ),
);
// The engine alone in a browser worker, for the rendering benchmark's engine figures.
if (existsSync('test/bench/engineWorker.ts')) {
  await Promise.all(
    [
      ['test/bench/engineWorker.ts', 'dist/bench/engineWorker.js'],
      ['renderer/worker/inflate.worker.ts', 'dist/bench/inflateWorker.js'],
    ].map(([entry, outfile]) =>
      esbuild({
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform: 'browser',
        format: 'iife',
        target: 'chrome120',
        logLevel: 'warning',
      }),
    ),
  );
}
if (!quiet) console.log(`built renderer and ${nodeEntries.length} Node bundles into dist/`);
