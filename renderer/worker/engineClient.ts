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

/** Promise-per-request RPC to the engine worker. */
export class EngineClient {
  private readonly worker: Worker;
  private nextId = 1;
  /** Set once the worker has died (e.g. out of memory): every later call fails at once with it. */
  private failure: EngineError | null = null;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; onProgress?: (f: number) => void }
  >();

  constructor() {
    this.worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (event: MessageEvent<EngineResponse>) => {
      const msg = event.data;
      const p = this.pending.get(msg.id);
      if (!p) return;
      if ('progress' in msg) {
        p.onProgress?.(msg.progress);
        return;
      }
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new EngineError(msg.error.code, msg.error.message));
    };
    this.worker.onerror = (event) => {
      this.fail(
        `the profile engine stopped (${event.message || 'out of memory?'}); reload the window`,
      );
    };
    this.worker.onmessageerror = () =>
      this.fail('the profile engine sent a message that could not be read');
  }

  private fail(message: string): void {
    this.failure = new EngineError('internal', message);
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
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
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      this.worker.postMessage({ id, op, args } satisfies EngineMessage, transfer);
      signal?.addEventListener(
        'abort',
        () => this.worker.postMessage({ cancel: id } satisfies EngineMessage),
        { once: true },
      );
    });
  }
}

export const engine = new EngineClient();
