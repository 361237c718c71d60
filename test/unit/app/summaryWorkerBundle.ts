// The pool's worker as scripts/build.mjs bundles it, built into a temporary folder: tests run
// from sources, where no dist/electron/summaryWorker.cjs sits beside the code.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(__dirname, '..', '..', '..');

let built: Promise<string> | null = null;

export function summaryWorkerBundle(): Promise<string> {
  built ??= (async () => {
    const outfile = join(mkdtempSync(join(tmpdir(), 'profscope-worker-')), 'summaryWorker.cjs');
    await build({
      entryPoints: [join(ROOT, 'electron', 'services', 'summaries', 'summaryWorker.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'warning',
    });
    return outfile;
  })();
  return built;
}
