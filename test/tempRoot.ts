import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every temporary file and directory made from here on (the tests', the servers', Chromium's,
 * Go's) goes under one directory, removed by the function returned, instead of hundreds left in
 * /tmp. os.tmpdir() reads TMPDIR, and child processes and test workers inherit it. The default
 * export makes this vitest's global setup, which calls the returned function when a run ends.
 */
export default function useTempRoot(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'profscope-test-'));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
