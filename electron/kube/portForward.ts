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
import { PortForward, type KubeConfig } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import WebSocket from 'ws';
import { ApiError, type ForwardInfo, type PodTarget } from '../contract';
import { describeStatus } from './errors';
import { ensureCredentials } from './kubeconfig';

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
      captureRefusal(ws, this.target);
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
function captureRefusal(ws: GuardedWebSocket, target: PodTarget): void {
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
      ws.failure =
        code === 403
          ? new ApiError(
              'forbidden',
              `not allowed to port-forward to ${what}: RBAC must grant "create" on pods/portforward (403 Forbidden)${
                bodyMessage(body) ? ` — ${bodyMessage(body)}` : ''
              }`,
            )
          : code === 404
            ? new ApiError(
                'not-found',
                `${what} is gone (404): it was deleted or replaced${bodyMessage(body) ? ` — ${bodyMessage(body)}` : ''}`,
              )
            : describeStatus(code, body, what, `port-forward to ${what}`);
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
  localPort = 0;
  connections = 0;
  lastError: string | null = null;

  constructor(
    readonly kc: KubeConfig,
    readonly target: PodTarget,
  ) {}

  async listen(): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    server.on('error', (err) => (this.lastError = err.message));
    this.server = server;
    this.localPort = (server.address() as AddressInfo).port;
  }

  /** What went wrong on the connection whose client end is bound to `clientPort`, if anything. */
  errorFor(clientPort: number | undefined): string | null {
    return clientPort === undefined ? null : (this.records.get(clientPort)?.error ?? null);
  }

  private accept(socket: Socket): void {
    this.connections++;
    this.sockets.add(socket);
    const clientPort = socket.remotePort ?? -1;
    const record: ConnRecord = { error: null };
    this.records.set(clientPort, record);
    if (this.records.size > 256) this.records.delete(this.records.keys().next().value as number);
    const fail = (message: string) => {
      if (record.error === null) record.error = message;
      this.lastError = message;
      socket.destroy();
    };
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.sockets.delete(socket);
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
      lastError: this.lastError,
    };
  }

  async close(): Promise<void> {
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

/** All open forwards, reused per (context, namespace, pod, port). */
export class ForwardManager {
  private readonly forwards = new Map<string, Forward>();
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
    if (existing) return Promise.resolve(existing);
    const pending = this.opening.get(key);
    if (pending) return pending;
    // Identity, not just presence: after stopAll() a newer open of the same target may hold
    // the slot, and this one must still see that it was stopped.
    const isCurrent = (): boolean => this.opening.get(key) === created;
    const created = this.create(kc, target, key, isCurrent);
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
    const fwd = new Forward(kc, target);
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

  list(): ForwardInfo[] {
    return [...this.forwards.values()].map((f) => f.info());
  }

  async stop(id: string): Promise<void> {
    for (const [key, f] of this.forwards) {
      if (f.id === id) {
        this.forwards.delete(key);
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
