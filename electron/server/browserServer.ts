import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isApiMethod, type ProfscopeApi } from '../contract';
import { dispatch } from '../services/createServices';
import { routeStatic } from './appRoutes';

export interface BrowserServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export interface BrowserServerOptions {
  services: ProfscopeApi;
  port?: number;
  /** Fixed token for tests; random otherwise. */
  token?: string;
}

const MAX_BODY_BYTES = 64 * 1024;

function sameToken(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/**
 * Browser mode: the renderer and the API over HTTP on 127.0.0.1. The token arrives in the
 * URL once (?token=) and is swapped for a SameSite=Strict cookie, so assets, the worker and
 * API calls all carry it; anything without it gets 401. The Host header is checked too,
 * so a DNS-rebound page cannot reach the API.
 */
export async function startBrowserServer(opts: BrowserServerOptions): Promise<BrowserServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  let port = 0;
  const cookieName = () => `profscope_${port}`;

  const authorized = (req: IncomingMessage, url: URL): boolean => {
    const given =
      (req.headers['x-profscope-token'] as string | undefined) ??
      url.searchParams.get('token') ??
      cookieValue(req, cookieName());
    return given !== undefined && given !== null && sameToken(given, token);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden host');
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!authorized(req, url)) {
      res
        .writeHead(401, { 'content-type': 'text/plain' })
        .end('unauthorized: open the URL with its token');
      return;
    }
    const common = {
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    };
    if (url.pathname.startsWith('/api/')) {
      const method = url.pathname.slice('/api/'.length);
      if (req.method !== 'POST' || !isApiMethod(method)) {
        res.writeHead(404, { 'content-type': 'text/plain', ...common }).end('no such API method');
        return;
      }
      let args: unknown;
      try {
        args = JSON.parse((await readBody(req)) || '[]');
      } catch {
        args = null;
      }
      const result = await dispatch(opts.services, method, args);
      if (result.ok && result.value instanceof Uint8Array) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', ...common });
        res.end(result.value);
      } else {
        res.writeHead(200, { 'content-type': 'application/json', ...common });
        res.end(JSON.stringify(result));
      }
      return;
    }
    const file = await routeStatic(url.pathname);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain', ...common }).end('not found');
      return;
    }
    const headers: Record<string, string> = {
      'content-type': file.contentType,
      ...common,
      ...file.headers,
    };
    if (file.contentType.startsWith('text/html')) {
      headers['set-cookie'] = `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    }
    res.writeHead(200, headers).end(file.body);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(err instanceof Error ? err.message : 'internal error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
