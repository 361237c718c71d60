// The CLI over the hostile corpus (test/hostile/): every file ends in a clear error naming it or
// in a table, in a separate process, within a time and a memory bound, never by a signal.
// Decompression bombs once took `profscope top` to the 2 GiB inflate cap, and a GiB of comments
// ended it with V8's "invalid size error" (SIGTRAP).
import { basename } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE, hostileFile } from '../../hostile/corpus';
import { bundleCli, runCliTop } from '../../hostile/runCli';

/** Generous: a loaded two-core machine; a bomb stopped early takes well under a second. */
const TIME_BOUND_MS = 60_000;
/** The CLI's peak RSS: node itself takes ~50 MiB; inflating to the cap took it past 2 GiB. */
const MEMORY_BOUND_MIB = 600;

let bundle: Awaited<ReturnType<typeof bundleCli>>;

beforeAll(async () => {
  bundle = await bundleCli();
}, 60_000);

describe('profscope top over hostile files', () => {
  for (const c of HOSTILE) {
    it(`${c.name}: ${c.what}`, { timeout: TIME_BOUND_MS + 30_000 }, async () => {
      const file = hostileFile(c);
      const run = await runCliTop(bundle, file, TIME_BOUND_MS);
      const summary = `${c.name}: exit ${run.code} signal ${run.signal} in ${run.ms} ms, peak ${run.peakMiB.toFixed(0)} MiB\n${run.stderr.slice(0, 500)}`;
      expect(run.timedOut, summary).toBe(false);
      expect(run.signal, summary).toBeNull();
      expect(run.peakMiB, summary).toBeLessThan(MEMORY_BOUND_MIB);
      // No escape sequence of the file's reaches the terminal.
      // eslint-disable-next-line no-control-regex
      expect(run.stdout + run.stderr, summary).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      if (c.expect === 'view') {
        expect(run.code, summary).toBe(0);
        expect(run.stdout).toMatch(/flat%/);
      } else {
        expect(run.code, summary).toBe(1);
        // One line, naming the file, saying what is wrong.
        expect(run.stderr).toContain(basename(file));
        expect(run.stderr, summary).toMatch(c.expect);
        expect(run.stderr).not.toMatch(/\n\s+at /);
      }
    });
  }
});
