import type { EngineMessage, EngineOp, EngineOps, EngineResponse } from './protocol';

export class EngineError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** What the client needs of a Worker: the real one, or a test's stand-in. */
export interface EngineWorker {
  onmessage: ((event: MessageEvent<EngineResponse>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  onmessageerror: ((event: MessageEvent) => void) | null;
  postMessage(message: EngineMessage, transfer: Transferable[]): void;
  terminate(): void;
}

export interface EngineHost {
  createWorker(): EngineWorker;
  /** Web Locks, where the context has them: how the end of a worker that says nothing is seen. */
  locks?: { request(name: string, granted: () => void): Promise<unknown> };
  now?: () => number;
}

/** The engine stopped: why, and whether a new one took over (else every call fails from now on). */
export interface EngineRestart {
  reason: string;
  restarted: boolean;
}

/**
 * A worker that dies this often is not dying of one bad profile (whose tab is not retried):
 * it cannot start, or something keeps killing it, and restarting again would only spin.
 */
export const MAX_RESTARTS = 3;
export const RESTART_WINDOW_MS = 60_000;

export const ENGINE_STOPPED = 'engine-stopped';

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: (f: number) => void;
}

/**
 * Promise-per-request RPC to the engine worker. The worker starts with the first call; when it
 * dies (an uncaught error, out of memory, `self.close()`), the calls it had are rejected with
 * an ENGINE_STOPPED error, listeners hear of it (the tabs reopen their profiles), and the next
 * call starts a new one.
 */
export class EngineClient {
  private worker: EngineWorker | null = null;
  /** Which worker is current: events of an earlier one are ignored. */
  private generation = 0;
  private nextId = 1;
  /** Profile ids stay unique across workers, so a tab never reaches another's profile by an old id. */
  private nextProfileId = 1;
  /** Set once restarts are used up: every later call fails at once with it. */
  private failure: EngineError | null = null;
  private readonly pending = new Map<number, Pending>();
  private deaths: number[] = [];
  private readonly listeners = new Set<(event: EngineRestart) => void>();

  constructor(private readonly host: EngineHost) {}

  /** Called after the engine stopped and its calls were rejected. */
  onRestart(listener: (event: EngineRestart) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private start(): EngineWorker {
    const generation = ++this.generation;
    const worker = this.host.createWorker();
    const lifeline = `profscope-engine-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    worker.onmessage = (event) => {
      if (generation === this.generation) this.receive(event.data, generation);
    };
    worker.onerror = (event) =>
      this.died(generation, event.message ? `crashed (${event.message})` : 'could not run');
    worker.onmessageerror = () => this.died(generation, 'sent a message that could not be read');
    worker.postMessage({ lifeline, firstProfileId: this.nextProfileId }, []);
    this.worker = worker;
    return worker;
  }

  private receive(msg: EngineResponse, generation: number): void {
    if ('alive' in msg) {
      // Granted only once the worker has gone: no Worker event says so after `self.close()` or
      // when its thread is torn down.
      void this.host.locks?.request(msg.alive, () => {
        this.died(generation, 'stopped (out of memory, or it crashed)');
      });
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    if ('progress' in msg) {
      p.onProgress?.(msg.progress);
      return;
    }
    this.pending.delete(msg.id);
    if (msg.ok) {
      const id = (msg.result as { profileId?: unknown } | null)?.profileId;
      if (typeof id === 'number') this.nextProfileId = Math.max(this.nextProfileId, id + 1);
      p.resolve(msg.result);
    } else p.reject(new EngineError(msg.error.code, msg.error.message));
  }

  private died(generation: number, reason: string): void {
    const worker = this.worker;
    if (generation !== this.generation || !worker) return;
    // Forgotten first: its lock, released by terminate(), must not report a second death.
    this.worker = null;
    worker.terminate();
    const now = this.host.now?.() ?? Date.now();
    this.deaths = [...this.deaths.filter((t) => now - t < RESTART_WINDOW_MS), now];
    const restarted = this.deaths.length <= MAX_RESTARTS;
    const what = `the profile engine ${reason}`;
    const error = restarted
      ? new EngineError(ENGINE_STOPPED, `${what} while working on it; it was restarted`)
      : new EngineError(
          'internal',
          `${what}, ${this.deaths.length} times in a minute; reload the window`,
        );
    if (!restarted) this.failure = error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    for (const listener of this.listeners) listener({ reason: what, restarted });
  }

  call<K extends EngineOp>(
    op: K,
    args: EngineOps[K]['args'],
    transfer: Transferable[] = [],
    onProgress?: (fraction: number) => void,
    /** Aborting tells the worker to stop (decoding stops at its next chunk). */
    signal?: AbortSignal,
  ): Promise<EngineOps[K]['result']> {
    if (this.failure) return Promise.reject(this.failure);
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      worker.postMessage({ id, op, args } satisfies EngineMessage, transfer);
      // Ids are never reused, so a cancel reaching a newer worker cancels nothing of its own.
      signal?.addEventListener('abort', () => worker.postMessage({ cancel: id }, []), {
        once: true,
      });
    });
  }
}

export const engine = new EngineClient({
  createWorker: () =>
    new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' }),
  locks:
    typeof navigator === 'undefined' ? undefined : (navigator as { locks?: LockManager }).locks,
});
