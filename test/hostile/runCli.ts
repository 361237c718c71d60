// Runs `profscope top FILE` as a child process of the CLI bundled as the build bundles it, and
// reports how it ended and its peak resident memory (getrusage's maxRSS, i.e. VmHWM, written by
// a preload on exit: /proc/<pid>/status is gone by the time the parent hears of the exit).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak RSS in MiB, or NaN when the process died before it could say. */
  peakMiB: number;
  timedOut: boolean;
}

/** Bundles electron/cli.ts (as scripts/build.mjs does) with the peak-memory preload beside it. */
export async function bundleCli(): Promise<{ cli: string; preload: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'profscope-hostile-cli-'));
  const cli = join(dir, 'cli.cjs');
  await build({
    entryPoints: ['electron/cli.ts'],
    outfile: cli,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron', 'playwright-core'],
    logLevel: 'warning',
  });
  const preload = join(dir, 'peak.cjs');
  writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(process.env.PROFSCOPE_PEAK_FILE, String(process.resourceUsage().maxRSS)));\n`,
  );
  return { cli, preload };
}

export function runCliTop(
  bundle: { cli: string; preload: string },
  file: string,
  timeoutMs: number,
): Promise<CliRun> {
  const peakFile = join(mkdtempSync(join(tmpdir(), 'profscope-peak-')), 'peak');
  const started = Date.now();
  const child = spawn(process.execPath, ['-r', bundle.preload, bundle.cli, 'top', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PROFSCOPE_PEAK_FILE: peakFile },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let peakMiB = NaN;
      try {
        peakMiB = Number(readFileSync(peakFile, 'utf8')) / 1024;
      } catch {
        // Killed or crashed: no figure.
      }
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, peakMiB, timedOut });
    });
  });
}
