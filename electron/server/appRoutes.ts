import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rendererCsp, speedscopeCsp } from '../csp';
import { SPEEDSCOPE_PROFILES_PATH, type Origins } from '../origins';
import { rendererDir, speedscopeDir } from '../services/paths';
import { speedscopeStage } from '../services/speedscopeStage';
import { readStatic, type StaticFile } from './staticFiles';

export interface RoutedFile extends StaticFile {
  /** Headers every response of this route carries (the CSP on HTML pages). */
  headers: Record<string, string>;
}

/** The About dialog's third-party notice: speedscope's own license text. */
export const SPEEDSCOPE_LICENSE_PATH = '/speedscope-license.txt';

function withCsp(file: StaticFile, csp: string): RoutedFile {
  return {
    ...file,
    headers: file.contentType.startsWith('text/html') ? { 'content-security-policy': csp } : {},
  };
}

/**
 * The app origin's files, for Electron's protocol handler and browser mode alike: our
 * renderer under its CSP, and speedscope's license for the About dialog.
 */
export async function routeApp(urlPath: string, origins: Origins): Promise<RoutedFile | null> {
  if (urlPath === SPEEDSCOPE_LICENSE_PATH) {
    const body = await readFile(join(speedscopeDir(), '..', '..', 'LICENSE')).catch(() => null);
    return body && { body, contentType: 'text/plain; charset=utf-8', headers: {} };
  }
  const file = await readStatic(rendererDir(), urlPath);
  return file && withCsp(file, rendererCsp(origins));
}

/** The speedscope origin: its release from the npm package, and staged profiles by id. */
export async function routeSpeedscope(
  urlPath: string,
  origins: Origins,
): Promise<RoutedFile | null> {
  if (urlPath.startsWith(SPEEDSCOPE_PROFILES_PATH)) {
    const id = urlPath.slice(SPEEDSCOPE_PROFILES_PATH.length).replace(/\.json$/, '');
    const body = /^[0-9a-f]{32}$/.test(id) ? speedscopeStage.get(id) : undefined;
    return body ? { body, contentType: 'application/json', headers: {} } : null;
  }
  if (urlPath === '/speedscope' || urlPath.startsWith('/speedscope/')) {
    const file = await readStatic(speedscopeDir(), urlPath.slice('/speedscope'.length) || '/');
    return file && withCsp(file, speedscopeCsp(origins));
  }
  return null;
}
