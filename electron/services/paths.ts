import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder holding package.json, dist/ and resources/. Bundles live in dist/electron/,
 * and inside a packaged app.asar the same relative layout holds.
 */
export function appRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  throw new Error(`cannot find the app root above ${__dirname}`);
}

export function rendererDir(): string {
  return join(appRoot(), 'dist', 'renderer');
}

export function samplesDir(): string {
  return join(appRoot(), 'resources', 'samples');
}

export function speedscopeDir(): string {
  return join(appRoot(), 'node_modules', 'speedscope', 'dist', 'release');
}
