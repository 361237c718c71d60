// Port-forward through client-node's PortForward (WebSocket, v4.channel.k8s.io), one WebSocket
// per local connection, on a listener bound to 127.0.0.1 only. client-node leaves several
// faults to its caller, handled here:
//  - text on the error channel goes to a stream we pass; it is kept and ends the connection,
//    so a refused pod port reads as the kubelet's own message, not "socket hang up";
//  - it never ends the local socket when the WebSocket closes, nor closes the WebSocket when
//    the local socket ends: both are wired here;
//  - writes after close: the WebSocket's send() is guarded, and the local socket has an
//    error listener, so a late chunk can never throw in the main process;
//  - a refused upgrade (403 RBAC, 404 pod gone) only says "Unexpected server response": the
//    response body is read here and turned into a readable error.
// A forward unused for idleCloseMs closes its listener and stays listed as 'idle-closed'; the
// next open() of its target listens again (on the same local port when it is still free).
import { PortForward, type KubeConfig } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import WebSocket from 'ws';
import { ApiError, type ForwardInfo, type PodTarget } from '../contract';
import { redactUrls, statusError } from './errors';
import { credentialsRejected } from './execCredential';
import { ensureCredentials } from './kubeconfig';

/** How long an unused forward keeps its listener. */
export const DEFAULT_IDLE_CLOSE_MS = 5 * 60_000;

/** A WebSocket whose send() after close is a no-op instead of a throw or an error event. */
class GuardedWebSocket extends WebSocket {
  failure: Error | null = null;
  override send(data: unknown, ...rest: unknown[]): void {
    if (this.readyState !== WebSocket.OPEN) return;
    try {
      (super.send as (d: unknown, ...r: unknown[]) => void)(data, ...rest);
    } catch {
      // The socket closed between the check and the write: the close handler reports it.
    }
  }
}

const PROTOCOLS = ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

/**
 * client-node's WebSocketInterface, as its own WebSocketHandler implements it (same URL, TLS
 * and auth options from the KubeConfig) but with a guarded socket, the refusal body read, and
 * a one-time hook that hands the created socket back to the caller.
 */
class GuardedHandler {
  constructor(
    private readonly kc: KubeConfig,
    private readonly target: PodTarget,
    private readonly onCreate: (ws: GuardedWebSocket) => void,
  ) {}

  async connect(
    path: string,
    textHandler: ((text: string) => boolean) | null,
    binaryHandler: ((stream: number, buff: Buffer) => boolean) | null,
  ): Promise<WebSocket> {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new ApiError('not-found', 'the context names no cluster');
    const url = new URL(cluster.server);
    const uri = `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}${url.pathname.replace(/\/$/, '')}${path}`;
    const opts: WebSocket.ClientOptions = {};
    await this.kc.applyToHTTPSOptions(opts);
    return new Promise<WebSocket>((resolve, reject) => {
      const ws = new GuardedWebSocket(uri, PROTOCOLS, opts);
      captureRefusal(ws, this.target, this.kc);
      this.onCreate(ws);
      let opened = false;
      ws.on('open', () => {
        opened = true;
        resolve(ws);
      });
      ws.on('error', (err: Error) => {
        if (!opened) reject(ws.failure ?? err);
      });
      ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
        const buf = Buffer.isBuffer(data)
          ? data
          : Array.isArray(data)
            ? Buffer.concat(data)
            : Buffer.from(data);
        if (!isBinary) {
          if (textHandler && !textHandler(buf.toString('utf8'))) ws.close();
          return;
        }
        if (buf.length < 1) return;
        if (binaryHandler && !binaryHandler(buf[0], buf.subarray(1))) ws.close();
      });
    });
  }
}

/** Reads the body of a refused upgrade, then aborts the handshake with a readable error. */
function captureRefusal(ws: GuardedWebSocket, target: PodTarget, kc: KubeConfig): void {
  ws.on('unexpected-response', (_req: ClientRequest, res: IncomingMessage) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size < 64 * 1024) chunks.push(c);
    });
    const finish = () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const code = res.statusCode ?? 0;
      const what = `pod ${target.namespace}/${target.pod}`;
      // Expired exec credentials: the next connection runs the plugin again.
      if (code === 401) credentialsRejected(kc);
      ws.failure =
        code === 404
          ? new ApiError(
              'not-found',
              redactUrls(
                `${what} is gone (404): it was deleted or replaced${bodyMessage(body) ? ` — ${bodyMessage(body)}` : ''}`,
              ),
            )
          : statusError(code, body, {
              verb: 'create',
              resource: 'pods',
              subresource: 'portforward',
              namespace: target.namespace,
              name: target.pod,
            });
      ws.terminate();
    };
    res.on('end', finish);
    res.on('error', finish);
  });
}

function bodyMessage(body: string): string | null {
  try {
    const obj = JSON.parse(body) as { message?: unknown };
    return typeof obj.message === 'string' ? obj.message : null;
  } catch {
    return body.trim() ? body.trim().slice(0, 300) : null;
  }
}

interface ConnRecord {
  error: string | null;
}

export class Forward {
  readonly id = randomBytes(6).toString('hex');
  readonly startedAt = Date.now();
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly sockWs = new Map<Socket, GuardedWebSocket>();
  /** Per local client port (the other end's localPort): what went wrong on that connection. */
  private readonly records = new Map<number, ConnRecord>();
  private idleTimer: NodeJS.Timeout | null = null;
  localPort = 0;
  connections = 0;
  lastError: string | null = null;
  state: ForwardInfo['state'] = 'open';
  lastUsedAt = Date.now();

  constructor(
    public kc: KubeConfig,
    readonly target: PodTarget,
    readonly idleCloseMs: number = DEFAULT_IDLE_CLOSE_MS,
  ) {}

  /** Listens on 127.0.0.1:`port` (0: any free port). */
  async listen(port = 0): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
    } catch (err) {
      this.state = 'failed';
      this.lastError = `cannot listen on 127.0.0.1: ${err instanceof Error ? err.message : String(err)}`;
      throw err;
    }
    server.on('error', (err) => {
      this.state = 'failed';
      this.lastError = err.message;
    });
    this.server = server;
    this.localPort = (server.address() as AddressInfo).port;
    this.state = 'open';
    this.lastUsedAt = Date.now();
    this.armIdle();
  }

  /** Listens again after an idle close or a failure, on the same port when it is free. */
  async reopen(kc: KubeConfig): Promise<void> {
    this.kc = kc;
    if (this.server) return;
    try {
      await this.listen(this.localPort);
    } catch {
      await this.listen(0);
    }
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.idleCloseMs <= 0 || this.sockets.size > 0 || !this.server) return;
    const due = this.lastUsedAt + this.idleCloseMs - Date.now();
    this.idleTimer = setTimeout(() => this.closeIfIdle(), Math.max(0, due));
    // A forward waiting to close must not keep a CLI or a test process alive.
    this.idleTimer.unref();
  }

  private closeIfIdle(): void {
    this.idleTimer = null;
    if (this.sockets.size > 0 || !this.server) return;
    if (Date.now() - this.lastUsedAt < this.idleCloseMs) {
      this.armIdle();
      return;
    }
    const server = this.server;
    this.server = null;
    this.state = 'idle-closed';
    server.close();
  }

  /** What went wrong on the connection whose client end is bound to `clientPort`, if anything. */
  errorFor(clientPort: number | undefined): string | null {
    return clientPort === undefined ? null : (this.records.get(clientPort)?.error ?? null);
  }

  private accept(socket: Socket): void {
    this.connections++;
    this.sockets.add(socket);
    this.lastUsedAt = Date.now();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    let opened = false;
    const clientPort = socket.remotePort ?? -1;
    const record: ConnRecord = { error: null };
    this.records.set(clientPort, record);
    if (this.records.size > 256) this.records.delete(this.records.keys().next().value as number);
    const fail = (message: string) => {
      const safe = redactUrls(message);
      if (record.error === null) record.error = safe;
      this.lastError = safe;
      socket.destroy();
    };
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.lastUsedAt = Date.now();
      // A connection that went through cleanly: an older error no longer describes the forward.
      if (opened && record.error === null) this.lastError = null;
      this.armIdle();
      const ws = this.sockWs.get(socket);
      this.sockWs.delete(socket);
      if (ws && ws.readyState === WebSocket.OPEN) ws.close(1000);
      else if (ws && ws.readyState === WebSocket.CONNECTING) ws.terminate();
    });
    // Guarded output: chunks after the local socket closed are dropped.
    const output = new Writable({
      write(chunk: Buffer, _enc, cb) {
        if (!socket.destroyed && socket.writable) socket.write(chunk);
        cb();
      },
    });
    const errors: Buffer[] = [];
    const errStream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        errors.push(chunk);
        const text = Buffer.concat(errors).toString('utf8').trim();
        if (text) fail(`port-forward error from the cluster: ${text}`);
        cb();
      },
    });
    let created: GuardedWebSocket | null = null;
    const target = this.target;
    const handler = new GuardedHandler(this.kc, target, (ws) => {
      created = ws;
      // Closing the local side before the upgrade finished: drop the half-open WebSocket.
      if (socket.destroyed) ws.terminate();
    });
    // disconnectOnErr=true: data on channels other than data/error closes the WebSocket.
    const pf = new PortForward(this.kc, true, handler);
    socket.pause();
    pf.portForward(target.namespace, target.pod, [target.port], output, errStream, socket)
      .then((ws) => {
        const live = ws as GuardedWebSocket;
        if (socket.destroyed) {
          live.close(1000);
          return;
        }
        this.sockWs.set(socket, live);
        opened = true;
        live.on('error', (err: Error) => fail(`port-forward WebSocket error: ${err.message}`));
        live.on('close', (code: number) => {
          this.sockWs.delete(socket);
          // Closed by the server while our side was still open: the data may be cut short.
          if (!socket.destroyed && code !== 1000) {
            fail(
              `port-forward WebSocket to ${target.namespace}/${target.pod} closed by the API server (code ${code})`,
            );
          } else if (!socket.destroyed) {
            socket.end();
          }
        });
        socket.resume();
      })
      .catch((err: unknown) => {
        const ws: GuardedWebSocket | null = created;
        const reason = ws?.failure?.message ?? errorEventMessage(err);
        fail(reason);
      });
  }

  info(): ForwardInfo {
    return {
      id: this.id,
      context: this.target.context,
      namespace: this.target.namespace,
      pod: this.target.pod,
      port: this.target.port,
      localPort: this.localPort,
      startedAt: this.startedAt,
      connections: this.connections,
      state: this.state,
      lastUsedAt: this.lastUsedAt,
      idleCloseMs: this.idleCloseMs,
      lastError: this.lastError,
    };
  }

  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    for (const [, ws] of this.sockWs) ws.terminate();
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function errorEventMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  const e = err as { message?: unknown; error?: unknown } | null;
  if (e && e.error instanceof Error) return `port-forward failed: ${e.error.message}`;
  if (e && typeof e.message === 'string') return `port-forward failed: ${e.message}`;
  return 'port-forward failed';
}

export interface ForwardOptions {
  /** Close a forward's listener after this long unused (0: never). */
  idleCloseMs?: number;
}

/** All forwards, reused per (context, namespace, pod, port); idle ones reopen on demand. */
export class ForwardManager {
  private readonly forwards = new Map<string, Forward>();
  readonly idleCloseMs: number;

  constructor(opts: ForwardOptions = {}) {
    this.idleCloseMs = opts.idleCloseMs ?? DEFAULT_IDLE_CLOSE_MS;
  }

  /**
   * Forwards being opened. The promise is stored before the first await, so concurrent
   * opens of one target share it: otherwise each would build its own listener, and all but
   * the last would leak (listening, unlisted, unstoppable).
   */
  private readonly opening = new Map<string, Promise<Forward>>();

  private static key(t: PodTarget): string {
    return JSON.stringify([t.context, t.namespace, t.pod, t.port]);
  }

  open(kc: KubeConfig, target: PodTarget): Promise<Forward> {
    const key = ForwardManager.key(target);
    const existing = this.forwards.get(key);
    if (existing?.state === 'open') return Promise.resolve(existing);
    const pending = this.opening.get(key);
    if (pending) return pending;
    // Identity, not just presence: after stopAll() a newer open of the same target may hold
    // the slot, and this one must still see that it was stopped.
    const isCurrent = (): boolean => this.opening.get(key) === created;
    const created = existing
      ? this.revive(existing, kc, key, isCurrent)
      : this.create(kc, target, key, isCurrent);
    this.opening.set(key, created);
    // A failed open is forgotten, so the next attempt starts afresh. This handler also keeps
    // the stored promise from ever counting as an unhandled rejection.
    created.then(
      () => undefined,
      () => {
        if (this.opening.get(key) === created) this.opening.delete(key);
      },
    );
    return created;
  }

  private async create(
    kc: KubeConfig,
    target: PodTarget,
    key: string,
    isCurrent: () => boolean,
  ): Promise<Forward> {
    await ensureCredentials(kc);
    const fwd = new Forward(kc, target, this.idleCloseMs);
    await fwd.listen();
    // stopAll() ran while this one was opening: it must not come alive afterwards.
    if (!isCurrent()) {
      await fwd.close();
      throw new ApiError('cancelled', 'port-forward stopped while it was opening');
    }
    this.opening.delete(key);
    this.forwards.set(key, fwd);
    return fwd;
  }

  /** An idle-closed or failed forward listens again; it keeps its id, counts and history. */
  private async revive(
    fwd: Forward,
    kc: KubeConfig,
    key: string,
    isCurrent: () => boolean,
  ): Promise<Forward> {
    await ensureCredentials(kc);
    await fwd.reopen(kc);
    if (!isCurrent()) {
      await fwd.close();
      throw new ApiError('cancelled', 'port-forward stopped while it was reopening');
    }
    this.opening.delete(key);
    return fwd;
  }

  list(): ForwardInfo[] {
    return [...this.forwards.values()].map((f) => f.info());
  }

  async stop(id: string): Promise<void> {
    for (const [key, f] of this.forwards) {
      if (f.id === id) {
        this.forwards.delete(key);
        // A reopen under way sees it is no longer current and closes what it opened.
        this.opening.delete(key);
        await f.close();
        return;
      }
    }
    throw new ApiError('not-found', `no active port-forward ${id}`);
  }

  async stopAll(): Promise<void> {
    const all = [...this.forwards.values()];
    this.forwards.clear();
    // Forwards still opening see their entry gone and close themselves (see create()).
    this.opening.clear();
    await Promise.allSettled(all.map((f) => f.close()));
  }
}
