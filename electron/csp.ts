// Content-Security-Policies, sent by Electron's protocol handler and by browser mode alike.

import type { Origins } from './origins';

/** The app's own pages: no inline script, no eval, no remote origins; frames only from speedscope's origin. */
export function rendererCsp(origins: Origins): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    `frame-src ${origins.speedscope}`,
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Our workers' scripts (the engine and the inflater beside it). A dedicated worker's CSP comes
 * from its own script's response, not from the page that starts it: without one, the engine,
 * which decodes files from strangers, could fetch any port of the machine. They load their
 * own module chunks and the engine starts the inflater; neither needs the network.
 */
export function workerCsp(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "worker-src 'self'",
    "connect-src 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/**
 * The embedded speedscope: only its own files, framed only by our page. It injects <style>
 * tags (aphrodite), so inline styles are allowed here and nowhere else; 'wasm-unsafe-eval'
 * is for its JFR importer's .wasm.
 */
export function speedscopeCsp(origins: Origins): string {
  return [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
    `frame-ancestors ${origins.app}`,
  ].join('; ');
}

export const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};
