// Captures over a port-forward: plain HTTP GETs to the forward's 127.0.0.1 listener, with
// progress for timed profiles, cancel, and errors that name what went wrong on the way
// (the kubelet's error channel, a dropped WebSocket, the pod's own HTTP answer).
import type { KubeConfig } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import {
  ApiError,
  type CaptureKind,
  type CaptureMeta,
  type CaptureRequest,
  type CaptureStatus,
  type PodTarget,
  type PprofEndpoint,
} from '../contract';
import type { Library } from './library';
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
    req.on('socket', (s) => {
      s.on('connect', () => (clientPort = s.localPort));
    });
    req.on('error', (err) => {
      // Give the forward a moment: its error channel message may arrive just after the close.
      setTimeout(() => done(explain(`port-forward connection failed: ${err.message}`)), 50);
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
            () => done(explain(`the connection to the pod dropped after ${size} bytes of ${path}`)),
            50,
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

export interface CaptureDeps {
  kubeconfig(context: string): KubeConfig;
  forwards: ForwardManager;
  library: Library;
  appVersion: string;
}

interface Running {
  status: CaptureStatus;
  abort: AbortController;
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
    return this.deps.library.save(meta, res.body, fileName, dir);
  }

  start(req: CaptureRequest): string {
    const id = randomBytes(8).toString('hex');
    const abort = new AbortController();
    const status: CaptureStatus = {
      id,
      request: req,
      state: 'running',
      startedAt: Date.now(),
      elapsedMs: 0,
      progress: 0,
      error: null,
      entry: null,
    };
    this.captures.set(id, { status, abort });
    if (this.captures.size > 200) {
      for (const [k, v] of this.captures) {
        if (v.status.state !== 'running') {
          this.captures.delete(k);
          break;
        }
      }
    }
    this.run(req, abort.signal).then(
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
          : err instanceof Error
            ? err.message
            : String(err);
        status.elapsedMs = Date.now() - status.startedAt;
      },
    );
    return id;
  }

  status(id: string): CaptureStatus {
    const c = this.captures.get(id);
    if (!c) throw new ApiError('not-found', `no capture ${id}`);
    const s = c.status;
    if (s.state === 'running') {
      s.elapsedMs = Date.now() - s.startedAt;
      const total = expectedMs(s.request);
      s.progress = total > 0 ? Math.min(0.99, s.elapsedMs / total) : 0;
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
