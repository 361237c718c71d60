import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RENDERER_CSP, SPEEDSCOPE_CSP } from '../csp';
import { rendererDir, speedscopeDir } from '../services/paths';
import { readStatic, type StaticFile } from './staticFiles';

export interface RoutedFile extends StaticFile {
  /** Headers every response of this route carries (the CSP on HTML pages). */
  headers: Record<string, string>;
}

/** The third-party notices page of the About dialog: speedscope's own license text. */
const SPEEDSCOPE_LICENSE = '/speedscope/LICENSE.txt';

/**
 * The app's static files, shared by Electron's https://profscope.invalid handler and
 * browser mode, so the two origins look the same to the renderer: `/` is our renderer,
 * `/speedscope/` the speedscope release from its npm package, under its own CSP.
 */
export async function routeStatic(urlPath: string): Promise<RoutedFile | null> {
  if (urlPath === SPEEDSCOPE_LICENSE) {
    const body = await readFile(join(speedscopeDir(), '..', '..', 'LICENSE')).catch(() => null);
    return body && { body, contentType: 'text/plain; charset=utf-8', headers: {} };
  }
  if (urlPath === '/speedscope' || urlPath.startsWith('/speedscope/')) {
    const file = await readStatic(speedscopeDir(), urlPath.slice('/speedscope'.length) || '/');
    return file && withCsp(file, SPEEDSCOPE_CSP);
  }
  const file = await readStatic(rendererDir(), urlPath);
  return file && withCsp(file, RENDERER_CSP);
}

function withCsp(file: StaticFile, csp: string): RoutedFile {
  return {
    ...file,
    headers: file.contentType.startsWith('text/html') ? { 'content-security-policy': csp } : {},
  };
}
