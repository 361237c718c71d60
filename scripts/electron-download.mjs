// Electron's binary, fetched by the electron package's own install script, but without failing
// the install where it cannot be downloaded (no route to github.com): `npm ci` must succeed
// there and `npm start` falls back to browser mode. package.json's allowScripts denies the
// script npm would run itself, whose failure would end `npm ci` with exit code 1.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

let installScript;
try {
  installScript = join(dirname(require.resolve('electron/package.json')), 'install.js');
} catch {
  process.exit(0); // installed without dev dependencies: nothing to fetch
}
const run = spawnSync(process.execPath, [installScript], { encoding: 'utf8', stdio: 'pipe' });
if (run.status === 0) process.exit(0);
const reason =
  (run.stderr || run.stdout || '').split('\n').find((l) => l.trim()) ?? 'unknown error';
process.stdout.write(
  `Electron's binary could not be downloaded (${reason.trim()}); ` +
    '`npm start` will serve the app in browser mode. Run `npm run postinstall` where ' +
    'github.com is reachable, or set ELECTRON_PATH to an Electron binary.\n',
);
