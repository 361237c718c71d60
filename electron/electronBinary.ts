import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { appRoot } from './services/paths';

/**
 * Where the Electron binary is, without require('electron') (which throws in a plain Node
 * process when the binary was never downloaded): ELECTRON_PATH, else the npm package's
 * path.txt. Null when there is none, as on machines that cannot download it.
 */
export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  const fromEnv = env.ELECTRON_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  try {
    const req = createRequire(join(appRoot(), 'package.json'));
    const pkgDir = dirname(req.resolve('electron/package.json'));
    const rel = readFileSync(join(pkgDir, 'path.txt'), 'utf8').trim();
    const bin = join(pkgDir, 'dist', rel);
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}
