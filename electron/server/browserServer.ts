import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isApiMethod, type ProfscopeApi } from '../contract';
import { dispatch } from '../services/createServices';
import { routeApp, routeSpeedscope, type RoutedFile } from './appRoutes';
import {
  BROWSER_APP_HOST,
  BROWSER_SPEEDSCOPE_HOST,
  browserOrigins,
  SPEEDSCOPE_ORIGIN_META,
} from '../origins';

export interface BrowserServer {
  url: string;
  port: number;
  /** speedscope's origin is http://localhost:speedscopePort, another site than the page's. */
  speedscopePort: number;
  token: string;
  /**
   * A URL with a one-time code instead of the token, for another process to open (xdg-open's
   * argv is readable by every user of the machine): the code logs in once, within a minute.
   */
  oneTimeUrl(ttlMs?: number): string;
  close(): Promise<void>;
}

/** How long a one-time code can be used. */
const CODE_TTL_MS = 60_000;

export interface BrowserServerOptions {
  services: ProfscopeApi;
  port?: number;
  /** Fixed token for tests; random otherwise. */
  token?: string;
}

/** API bodies are small, but for a profile handed to speedscope (its JSON can be large). */
function maxBodyBytes(method: string): number {
  return method === 'stageSpeedscopeProfile' ? 1024 ** 3 : 64 * 1024;
}

function sameToken(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
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
 * URL once (?token=) and is swapped for a SameSite=Strict cookie that guards the page and
 * its assets; the API wants the token in a header, which only our page knows (from a meta
 * tag in its HTML). Anything without it gets 401. The Host header is checked, so a
 * DNS-rebound page cannot reach us: each port answers one name only, 127.0.0.1 the page and
 * localhost speedscope, whose frame is so another site with a process of its own.
 */
export async function startBrowserServer(opts: BrowserServerOptions): Promise<BrowserServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const codes = new Map<string, number>();
  let port = 0;
  let speedscopePort = 0;
  const cookieName = () => `profscope_${port}`;
  const common = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };

  const send = (
    res: ServerResponse,
    file: RoutedFile | null,
    extra: Record<string, string> = {},
  ) => {
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain', ...common }).end('not found');
      return;
    }
    res
      .writeHead(200, { 'content-type': file.contentType, ...common, ...file.headers, ...extra })
      .end(file.body);
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, method: string) => {
    // The API takes the token in a header only: a cookie would ride along with a request
    // forged by any other page on 127.0.0.1 (cookies ignore ports).
    const given = req.headers['x-profscope-token'];
    if (typeof given !== 'string' || !sameToken(given, token)) {
      res.writeHead(401, { 'content-type': 'text/plain', ...common }).end('unauthorized');
      return;
    }
    const json = (req.headers['content-type'] ?? '').startsWith('application/json');
    if (req.method !== 'POST' || !json || !isApiMethod(method)) {
      res.writeHead(404, { 'content-type': 'text/plain', ...common }).end('no such API method');
      return;
    }
    let args: unknown;
    try {
      args = JSON.parse((await readBody(req, maxBodyBytes(method))) || '[]');
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
  };

  /** speedscope's origin (its own port): public static files and capability URLs, nothing else. */
  const handleSpeedscope = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const host = req.headers.host ?? '';
    if (host !== `${BROWSER_SPEEDSCOPE_HOST}:${speedscopePort}`) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden host');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    const origins = browserOrigins(port, speedscopePort);
    send(res, req.method === 'GET' ? await routeSpeedscope(url.pathname, origins) : null);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const origins = browserOrigins(port, speedscopePort);
    const host = req.headers.host ?? '';
    const url = new URL(req.url ?? '/', origins.app);
    if (host !== `${BROWSER_APP_HOST}:${port}`) {
      res
        .writeHead(403, { 'content-type': 'text/plain' })
        .end(`forbidden host: open http://${BROWSER_APP_HOST}:${port}/`);
      return;
    }
    const fromUrl = url.searchParams.get('token');
    const code = url.searchParams.get('code');
    if (fromUrl !== null || code !== null) {
      const expires = code !== null ? codes.get(code) : undefined;
      if (code !== null) codes.delete(code);
      const ok =
        fromUrl !== null
          ? sameToken(fromUrl, token)
          : expires !== undefined && expires > Date.now();
      if (!ok) {
        res
          .writeHead(401, { 'content-type': 'text/plain' })
          .end(
            fromUrl !== null
              ? 'unauthorized: wrong token'
              : 'unauthorized: this link was used already or has expired; run profscope serve again',
          );
        return;
      }
      // Swap the URL's token or code for a cookie and drop it from the address bar and history.
      url.searchParams.delete('token');
      url.searchParams.delete('code');
      res
        .writeHead(302, {
          location: `${url.pathname}${url.search}${url.hash}`,
          'set-cookie': `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`,
          ...common,
        })
        .end();
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      await handleApi(req, res, url.pathname.slice('/api/'.length));
      return;
    }
    const cookie = cookieValue(req, cookieName());
    if (cookie === undefined || !sameToken(cookie, token)) {
      res
        .writeHead(401, { 'content-type': 'text/plain' })
        .end('unauthorized: open the URL with its token');
      return;
    }
    const file = await routeApp(url.pathname, origins);
    if (file?.contentType.startsWith('text/html')) {
      // The page reads the token from here for its API calls (see renderer/api/api.ts).
      const html = file.body
        .toString('utf8')
        .replace(
          '<head>',
          `<head><meta name="profscope-token" content="${token}" />` +
            `<meta name="${SPEEDSCOPE_ORIGIN_META}" content="${origins.speedscope}" />`,
        );
      send(res, { ...file, body: Buffer.from(html) });
      return;
    }
    send(res, file);
  };

  const listen = async (
    handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
    wanted: number,
  ): Promise<Server> => {
    const server = createServer((req, res) => {
      handler(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(err instanceof Error ? err.message : 'internal error');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(wanted, '127.0.0.1', () => resolve());
    });
    return server;
  };
  const close = (server: Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });

  const appServer = await listen(handle, opts.port ?? 0);
  port = (appServer.address() as AddressInfo).port;
  // Another port and another name: another origin and another site (see ../origins).
  const speedscopeServer = await listen(handleSpeedscope, 0);
  speedscopePort = (speedscopeServer.address() as AddressInfo).port;
  return {
    port,
    speedscopePort,
    token,
    url: `http://${BROWSER_APP_HOST}:${port}/?token=${token}`,
    oneTimeUrl: (ttlMs = CODE_TTL_MS) => {
      const now = Date.now();
      for (const [c, t] of codes) if (t <= now) codes.delete(c);
      const c = randomBytes(18).toString('base64url');
      codes.set(c, now + ttlMs);
      return `http://${BROWSER_APP_HOST}:${port}/?code=${c}`;
    },
    close: async () => {
      await Promise.all([close(appServer), close(speedscopeServer)]);
    },
  };
}
