import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Profile paths from a command line: ours (`profscope FILE...`), Electron's own argv
 * (a second instance's, resolved against its working directory) and the `file://` URLs
 * that Linux desktop files pass for %U. Flags and the app's own script are skipped.
 */
export function profilePathsFromArgv(args: readonly string[], cwd: string): string[] {
  const paths: string[] = [];
  for (const arg of args) {
    if (arg === '' || arg.startsWith('-')) continue;
    if (/\bmain\.c?js$/.test(arg) || arg === '.') continue;
    if (arg.startsWith('file://')) {
      try {
        paths.push(fileURLToPath(arg));
      } catch {
        // A malformed URL is not a path we could open; skip it like any other junk argument.
      }
      continue;
    }
    paths.push(isAbsolute(arg) ? arg : resolve(cwd, arg));
  }
  return paths;
}

/** The user's arguments in an Electron argv: after the executable, and after the app folder in development. */
export function userArgs(argv: readonly string[], packaged: boolean): string[] {
  return argv.slice(packaged ? 1 : 2);
}
