// Captures over a port-forward: plain HTTP GETs to the forward's 127.0.0.1 listener, with
// progress for timed profiles, cancel, and errors that name what went wrong on the way
// (the kubelet's error channel, a dropped WebSocket, the pod's own HTTP answer). And captures
// from a pprof URL, as `go tool pprof URL` fetches one.
import type { KubeConfig } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import {
  ApiError,
  CUMULATIVE_KINDS,
  type CaptureKind,
  type CaptureMeta,
  type CaptureRequest,
  type CaptureStatus,
  type LibraryEntry,
  type PodTarget,
  type PprofEndpoint,
  type UrlCaptureRequest,
} from '../contract';
import { redactUrls, stripUserinfo } from './errors';
import { safeComponent, type Library } from './library';
import type { Forward, ForwardManager } from './portForward';

/** Largest response kept in memory (a profile, or a trace of a busy program). */
const MAX_BODY = 512 * 1024 * 1024;

export function prefixOf(t: Pick<PodTarget, 'pathPrefix'>): string {
  const p = t.pathPrefix.replace(/\/+$/, '');
  return p === '' ? '' : p.startsWith('/') ? p : `/${p}`;
}

/** The URL path of one capture, as net/http/pprof serves it. */
export function capturePath(
  req: Pick<CaptureRequest, 'pathPrefix' | 'kind' | 'seconds' | 'delta'>,
): string {
  const base = prefixOf(req);
  switch (req.kind) {
    case 'cpu':
      return `${base}/profile?seconds=${req.seconds}`;
    case 'trace':
      return `${base}/trace?seconds=${req.seconds}`;
    default:
      return req.delta ? `${base}/${req.kind}?seconds=${req.seconds}` : `${base}/${req.kind}`;
  }
}

/** How long the pod takes to answer, at least: timed captures take their seconds. */
export function expectedMs(req: Pick<CaptureRequest, 'kind' | 'seconds' | 'delta'>): number {
  return req.kind === 'cpu' || req.kind === 'trace' || req.delta ? req.seconds * 1000 : 0;
}

/** Profiles listed by the /debug/pprof/ index page (Go 1.19 and later HTML). */
export function parseIndex(html: string): PprofEndpoint[] {
  const out: PprofEndpoint[] = [];
  const row = /<tr><td>(\d*)<\/td><td><a href=['"]?([^'"?>\s]+)[^>]*>([^<]+)<\/a>/g;
  for (let m = row.exec(html); m !== null; m = row.exec(html)) {
    out.push({ name: m[3].trim(), count: m[1] === '' ? null : Number(m[1]) });
  }
  return out;
}

export interface GetResult {
  status: number;
  body: Buffer;
  contentType: string;
}

/**
 * GET `path` through a forward. Failures prefer what the forward saw on that very
 * connection (error channel, WebSocket closed, upgrade refused) over the HTTP symptom.
 */
export function getThrough(
  fwd: Forward,
  path: string,
  opts: { signal?: AbortSignal; timeoutMs: number },
): Promise<GetResult> {
  return new Promise<GetResult>((resolve, reject) => {
    let clientPort: number | undefined;
    let settled = false;
    const done = (err: Error | null, value?: GetResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(value as GetResult);
    };
    const explain = (fallback: string): Error => {
      if (opts.signal?.aborted) return new ApiError('cancelled', 'capture cancelled');
      const seen = fwd.errorFor(clientPort);
      return new ApiError(
        seen?.includes('403') ? 'forbidden' : seen?.includes('404') ? 'not-found' : 'unavailable',
        seen ?? fallback,
      );
    };
    // The forward's own account (error channel, WebSocket close) may come just after the
    // local connection ends, later still on a busy machine: wait for it a little, in steps.
    const explainSoon = (fallback: string, waited = 0): void => {
      if (fwd.errorFor(clientPort) !== null || waited >= 500 || opts.signal?.aborted)
        done(explain(fallback));
      else setTimeout(() => explainSoon(fallback, waited + 25), 25);
    };
    const req = request({
      host: '127.0.0.1',
      port: fwd.localPort,
      path,
      method: 'GET',
      agent: false,
      headers: { connection: 'close', 'accept-encoding': 'identity', 'user-agent': 'profscope' },
    });
    const onAbort = () => {
      req.destroy();
      done(new ApiError('cancelled', 'capture cancelled'));
    };
    opts.signal?.addEventListener('abort', onAbort);
    const timer = setTimeout(() => {
      req.destroy();
      done(
        new ApiError(
          'unavailable',
          `no complete answer from the pod within ${Math.round(opts.timeoutMs / 1000)} s for ${path}`,
        ),
      );
    }, opts.timeoutMs);
    // Aborted while the forward was opening: an abort event will not come again.
    if (opts.signal?.aborted) onAbort();
    req.on('socket', (s) => {
      s.on('connect', () => (clientPort = s.localPort));
    });
    req.on('error', (err) => {
      setTimeout(() => explainSoon(`port-forward connection failed: ${err.message}`), 25);
    });
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          req.destroy();
          done(new ApiError('too-large', `${path}: answer larger than ${MAX_BODY} bytes`));
        } else chunks.push(c);
      });
      res.on('error', () => undefined);
      res.on('close', () => {
        if (!res.complete) {
          setTimeout(
            () => explainSoon(`the connection to the pod dropped after ${size} bytes of ${path}`),
            25,
          );
          return;
        }
        done(null, {
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks),
          contentType: String(res.headers['content-type'] ?? ''),
        });
      });
    });
    req.end();
  });
}

/** Turns a non-200 answer from net/http/pprof into a sentence. */
export function httpFailure(path: string, res: GetResult): ApiError {
  const text = res.body.toString('utf8').trim().slice(0, 400);
  if (res.status === 404) {
    return new ApiError(
      'not-found',
      `the pod answered 404 for ${path}: is net/http/pprof served at that path prefix?`,
    );
  }
  return new ApiError(
    'unavailable',
    `the pod answered HTTP ${res.status} for ${path}${text ? `: ${text}` : ''}`,
  );
}

export function looksLikeProfile(kind: CaptureKind, body: Buffer): boolean {
  if (body.length === 0) return false;
  if (kind === 'trace') return body.subarray(0, 16).toString('latin1').startsWith('go 1.');
  // gzipped protobuf (what net/http/pprof sends), or a raw profile.proto message.
  return (body[0] === 0x1f && body[1] === 0x8b) || body[0] === 0x0a;
}

/** net/http/pprof's handler names, and the kind each serves. */
const HANDLER_KINDS: Record<string, CaptureKind> = {
  profile: 'cpu',
  trace: 'trace',
  heap: 'heap',
  allocs: 'allocs',
  goroutine: 'goroutine',
  block: 'block',
  mutex: 'mutex',
  threadcreate: 'threadcreate',
};

function handlerOf(kind: CaptureKind): string {
  return kind === 'cpu' ? 'profile' : kind;
}

export interface PprofUrl {
  /** What is fetched (userinfo kept: Go sends it as basic auth). */
  url: URL;
  /** The profile the URL names (its handler), else the kind asked for. */
  kind: CaptureKind;
  /** The profile's own duration (`seconds`), 0 when it has none. */
  seconds: number;
  /** pprof's timeout: 1.5 × the duration, else 60 s; the headers may take 5 s more. */
  timeoutMs: number;
}

/**
 * cmd/pprof's adjustURL, for a capture of `kind` over `seconds`: a source without a scheme
 * gets http://; no path, or "/", gets /debug/pprof/<handler> (pprof's own default is always
 * the CPU profile: here it is the kind asked for), as does a path ending in /debug/pprof; any
 * other path is used as given. CPU and trace get seconds=N unless the URL has its own. The
 * query is re-encoded with sorted keys, as Go's url.Values.Encode does.
 */
export function pprofUrl(source: string, kind: CaptureKind, seconds: number): PprofUrl {
  const parse = (s: string): URL | null => {
    try {
      return new URL(s);
    } catch {
      return null;
    }
  };
  let u = parse(source);
  // "localhost:6060/x" parses with "localhost:" as its scheme, as in Go.
  if (!u || (u.host === '' && u.protocol !== 'file:')) u = parse(`http://${source}`);
  if (!u || u.host === '') throw new ApiError('bad-request', `${redactUrls(source)} is not a URL`);
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new ApiError(
      'bad-request',
      `${redactUrls(source)}: only http and https URLs are fetched`,
    );
  if (u.pathname === '' || u.pathname === '/') u.pathname = `/debug/pprof/${handlerOf(kind)}`;
  else if (/\/debug\/pprof\/?$/.test(u.pathname))
    u.pathname = `${u.pathname.replace(/\/$/, '')}/${handlerOf(kind)}`;
  const last = u.pathname.replace(/\/$/, '').split('/').pop() ?? '';
  const named = Object.hasOwn(HANDLER_KINDS, last) ? HANDLER_KINDS[last] : kind;
  const params = new URLSearchParams(u.search);
  if (!params.has('seconds') && (named === 'cpu' || named === 'trace'))
    params.set('seconds', String(seconds));
  const own = Number.parseInt(params.get('seconds') ?? '', 10);
  const duration = Number.isFinite(own) && own > 0 ? own : 0;
  params.sort();
  u.search = params.toString();
  return {
    url: u,
    kind: named,
    seconds: duration,
    timeoutMs: duration > 0 ? duration * 1500 : 60_000,
  };
}

/**
 * GET as `go tool pprof` does (no proxy: these are local URLs or existing port-forwards):
 * headers within timeout + 5 s, then the body with at most 60 s between chunks.
 */
export function fetchPprof(
  target: PprofUrl,
  opts: { signal?: AbortSignal },
): Promise<GetResult & { statusText: string; goPprof: boolean }> {
  const shown = stripUserinfo(target.url.toString());
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (
      err: Error | null,
      value?: GetResult & { statusText: string; goPprof: boolean },
    ) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else if (value) resolve(value);
    };
    const send = target.url.protocol === 'https:' ? httpsRequest : request;
    const req = send(target.url, {
      method: 'GET',
      agent: false,
      headers: { 'accept-encoding': 'identity', 'user-agent': 'profscope' },
    });
    const onAbort = () => {
      req.destroy();
      done(new ApiError('cancelled', 'capture cancelled'));
    };
    let timer = setTimeout(() => {
      req.destroy();
      done(
        new ApiError(
          'unavailable',
          `${shown} did not answer within ${Math.round(target.timeoutMs / 1000) + 5} s`,
        ),
      );
    }, target.timeoutMs + 5000);
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort);
    req.on('error', (err) =>
      done(new ApiError('unavailable', redactUrls(`cannot fetch ${shown}: ${err.message}`))),
    );
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const stall = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          req.destroy();
          done(new ApiError('unavailable', `${shown} stopped sending after ${size} bytes`));
        }, 60_000);
      };
      stall();
      res.on('data', (c: Buffer) => {
        size += c.length;
        stall();
        if (size > MAX_BODY) {
          req.destroy();
          done(new ApiError('too-large', `${shown}: answer larger than ${MAX_BODY} bytes`));
        } else chunks.push(c);
      });
      res.on('error', () => undefined);
      res.on('close', () => {
        if (!res.complete) {
          done(new ApiError('unavailable', `${shown}: the connection dropped after ${size} bytes`));
          return;
        }
        done(null, {
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          body: Buffer.concat(chunks),
          contentType: String(res.headers['content-type'] ?? ''),
          goPprof: res.headers['x-go-pprof'] !== undefined,
        });
      });
    });
    req.end();
  });
}

export interface CaptureDeps {
  kubeconfig(context: string): KubeConfig;
  forwards: ForwardManager;
  library: Library;
  appVersion: string;
}

interface Running {
  status: CaptureStatus;
  abort: AbortController;
  /** How long the answer takes at least, for progress. */
  expectedMs: number;
}

export class CaptureManager {
  private readonly captures = new Map<string, Running>();

  constructor(private readonly deps: CaptureDeps) {}

  /** Runs one capture to its end (used by continuous capture too); saves before it resolves. */
  async run(req: CaptureRequest, signal: AbortSignal, fileName?: string, dir?: string) {
    const kc = this.deps.kubeconfig(req.context);
    const fwd = await this.deps.forwards.open(kc, req);
    const path = capturePath(req);
    const startMs = Date.now();
    const res = await getThrough(fwd, path, { signal, timeoutMs: expectedMs(req) + 60_000 });
    if (res.status !== 200) throw httpFailure(path, res);
    if (!looksLikeProfile(req.kind, res.body)) {
      throw new ApiError(
        'unavailable',
        `the pod answered ${path} with ${res.body.length} bytes of ${res.contentType || 'unknown type'} that are not a ${
          req.kind === 'trace' ? 'Go execution trace' : 'pprof profile'
        }`,
      );
    }
    if (signal.aborted) throw new ApiError('cancelled', 'capture cancelled');
    const meta: CaptureMeta = {
      context: req.context,
      namespace: req.namespace,
      pod: req.pod,
      container: req.container,
      port: req.port,
      pathPrefix: req.pathPrefix,
      kind: req.kind,
      delta: req.delta,
      start: new Date(startMs).toISOString(),
      durationSec: Math.round((Date.now() - startMs) / 100) / 10,
      appVersion: this.deps.appVersion,
    };
    // A delta's name says the window asked for: the time measured here adds the round trip.
    const name =
      fileName ?? this.deps.library.fileNameFor({ ...meta, durationSec: req.seconds }, startMs);
    return this.deps.library.save(meta, res.body, name, dir);
  }

  /**
   * One capture from a pprof URL (see pprofUrl), saved under library/_url/<host:port>/ unless
   * `dir` says otherwise; its sidecar has the URL (without userinfo) and context ''.
   */
  async runUrl(req: UrlCaptureRequest, signal: AbortSignal, dir?: string): Promise<LibraryEntry> {
    const target = pprofUrl(req.url, req.kind, req.seconds);
    const shown = stripUserinfo(target.url.toString());
    const startMs = Date.now();
    const res = await fetchPprof(target, { signal });
    if (res.status !== 200) {
      // As pprof's statusCodeError: the body only when it is net/http/pprof's own plain text.
      const text =
        res.goPprof || res.contentType.includes('text/plain')
          ? res.body.toString('utf8').trim().slice(0, 400)
          : '';
      throw new ApiError(
        res.status === 404 ? 'not-found' : 'unavailable',
        `${shown} answered ${res.status} ${res.statusText}${text ? ` - ${text}` : ''}`,
      );
    }
    if (!looksLikeProfile(target.kind, res.body)) {
      throw new ApiError(
        'unavailable',
        `${shown} answered with ${res.body.length} bytes of ${res.contentType || 'unknown type'} that are not a ${
          target.kind === 'trace' ? 'Go execution trace' : 'pprof profile'
        }`,
      );
    }
    if (signal.aborted) throw new ApiError('cancelled', 'capture cancelled');
    const u = target.url;
    const meta: CaptureMeta = {
      context: '',
      namespace: '',
      pod: u.host,
      container: null,
      port: Number(u.port) || (u.protocol === 'https:' ? 443 : 80),
      pathPrefix: u.pathname.replace(/\/[^/]*$/, ''),
      kind: target.kind,
      delta: target.seconds > 0 && CUMULATIVE_KINDS.includes(target.kind),
      start: new Date(startMs).toISOString(),
      durationSec: Math.round((Date.now() - startMs) / 100) / 10,
      appVersion: this.deps.appVersion,
      url: shown,
    };
    const folder = dir ?? join(this.deps.library.root, '_url', safeComponent(u.host));
    return this.deps.library.save(meta, res.body, undefined, folder);
  }

  private track(
    request: CaptureRequest | UrlCaptureRequest,
    expected: number,
    run: (signal: AbortSignal) => Promise<LibraryEntry>,
  ): string {
    const id = randomBytes(8).toString('hex');
    const abort = new AbortController();
    const status: CaptureStatus = {
      id,
      request,
      state: 'running',
      startedAt: Date.now(),
      elapsedMs: 0,
      progress: 0,
      error: null,
      entry: null,
    };
    this.captures.set(id, { status, abort, expectedMs: expected });
    if (this.captures.size > 200) {
      for (const [k, v] of this.captures) {
        if (v.status.state !== 'running') {
          this.captures.delete(k);
          break;
        }
      }
    }
    run(abort.signal).then(
      (entry) => {
        status.state = 'done';
        status.entry = entry;
        status.progress = 1;
        status.elapsedMs = Date.now() - status.startedAt;
      },
      (err: unknown) => {
        status.state = abort.signal.aborted ? 'cancelled' : 'error';
        status.error = abort.signal.aborted
          ? 'capture cancelled'
          : redactUrls(err instanceof Error ? err.message : String(err));
        status.elapsedMs = Date.now() - status.startedAt;
      },
    );
    return id;
  }

  start(req: CaptureRequest): string {
    return this.track(req, expectedMs(req), (signal) => this.run(req, signal));
  }

  /** As start(), from a URL; a source that is no URL is refused at once. */
  startUrlCapture(req: UrlCaptureRequest): string {
    const target = pprofUrl(req.url, req.kind, req.seconds);
    return this.track(req, target.seconds * 1000, (signal) => this.runUrl(req, signal));
  }

  status(id: string): CaptureStatus {
    const c = this.captures.get(id);
    if (!c) throw new ApiError('not-found', `no capture ${id}`);
    const s = c.status;
    if (s.state === 'running') {
      s.elapsedMs = Date.now() - s.startedAt;
      s.progress = c.expectedMs > 0 ? Math.min(0.99, s.elapsedMs / c.expectedMs) : 0;
    }
    return { ...s };
  }

  cancel(id: string): void {
    const c = this.captures.get(id);
    if (!c) throw new ApiError('not-found', `no capture ${id}`);
    c.abort.abort();
  }

  cancelAll(): void {
    for (const c of this.captures.values()) c.abort.abort();
  }
}

/** Reads the pod's /debug/pprof/ index. */
export async function readIndex(deps: CaptureDeps, target: PodTarget): Promise<PprofEndpoint[]> {
  const kc = deps.kubeconfig(target.context);
  const fwd = await deps.forwards.open(kc, target);
  const path = `${prefixOf(target)}/`;
  const res = await getThrough(fwd, path, { timeoutMs: 30_000 });
  if (res.status !== 200) throw httpFailure(path, res);
  const list = parseIndex(res.body.toString('utf8'));
  if (list.length === 0)
    throw new ApiError('unavailable', `${path} on the pod is not a net/http/pprof index`);
  return list;
}
