import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MIME_TYPES, rendererCsp, speedscopeCsp, workerCsp } from '../csp';
import { SPEEDSCOPE_PROFILES_PATH, type Origins } from '../origins';
import { rendererDir, speedscopeDir } from '../services/paths';
import { speedscopeStage } from '../services/speedscopeStage';
import { SPEEDSCOPE_SHIM_JS, SPEEDSCOPE_SHIM_PATH, withSpeedscopeShim } from './speedscopeShim';
import { readStatic, type StaticFile } from './staticFiles';

export interface RoutedFile extends StaticFile {
  /** Headers every response of this route carries (the CSP on pages and scripts). */
  headers: Record<string, string>;
}

/** The About dialog's third-party notice: speedscope's own license text. */
export const SPEEDSCOPE_LICENSE_PATH = '/speedscope-license.txt';

/**
 * The CSP of a page, and of a script, which is ignored when it is a page's script but is the
 * whole policy of a worker started from it. Browser mode and Electron's protocol handler both
 * send what this returns, so each origin's rule lives here once.
 */
function withCsp(file: StaticFile, csp: { page: string; script: string }): RoutedFile {
  const policy = file.contentType.startsWith('text/html')
    ? csp.page
    : file.contentType.startsWith('text/javascript')
      ? csp.script
      : null;
  return { ...file, headers: policy ? { 'content-security-policy': policy } : {} };
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
  return file && withCsp(file, { page: rendererCsp(origins), script: workerCsp() });
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
  const csp = speedscopeCsp(origins);
  if (urlPath === SPEEDSCOPE_SHIM_PATH) {
    const body = Buffer.from(SPEEDSCOPE_SHIM_JS);
    return withCsp({ body, contentType: MIME_TYPES['.js'] }, { page: csp, script: csp });
  }
  if (urlPath === '/speedscope' || urlPath.startsWith('/speedscope/')) {
    const inside = urlPath.slice('/speedscope'.length) || '/';
    const file = await readStatic(speedscopeDir(), inside);
    if (file && (inside === '/' || inside === '/index.html')) {
      file.body = withSpeedscopeShim(file.body);
    }
    // speedscope starts no workers; were it to, they would live under its page's policy.
    return file && withCsp(file, { page: csp, script: csp });
  }
  return null;
}
