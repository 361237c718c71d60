import type { ChunkReader, Gunzipper } from '../model/decoding/gunzip';
import { webGunzip } from '../model/decoding/gunzip';
import type { InflateMessage, InflateRequest } from './inflateProtocol';

/** Below this many gzipped bytes a worker's start-up costs more than it saves. */
const MIN_WORKER_BYTES = 4 << 20;

type Delivery = InflateMessage | { inflateHere: true };

/**
 * A Gunzipper that inflates large inputs in a worker of its own (inflate.worker.ts), with the
 * same results and errors as DecompressionStream on this thread. Where that worker cannot start
 * (no nested workers, a failed load), it inflates here.
 */
export function workerGunzip(spawn: () => Worker): Gunzipper {
  return (gz: Uint8Array): ChunkReader => {
    if (gz.length < MIN_WORKER_BYTES) return webGunzip(gz);
    let worker: Worker;
    try {
      worker = spawn();
    } catch {
      return webGunzip(gz);
    }
    const queue: Delivery[] = [];
    let waiting: ((m: Delivery) => void) | null = null;
    let received = false;
    let here: ChunkReader | null = null;
    const deliver = (m: Delivery): void => {
      const w = waiting;
      waiting = null;
      if (w) w(m);
      else queue.push(m);
    };
    worker.onmessage = (e: MessageEvent<InflateMessage>) => deliver(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      deliver(
        received ? { error: e.message || 'the inflate worker failed' } : { inflateHere: true },
      );
    };
    const post = (m: InflateRequest): void => worker.postMessage(m);
    // Posting copies the bytes: the caller keeps its own (a tab may decode them again).
    post({ gz });
    let finished = false;
    let consumed = 0;
    const finish = (): void => {
      finished = true;
      worker.terminate();
    };
    return {
      async read() {
        if (here) return here.read();
        if (finished) return { done: true };
        const m = queue.shift() ?? (await new Promise<Delivery>((r) => (waiting = r)));
        if ('chunk' in m) {
          received = true;
          consumed = m.consumed;
          post({ ack: true });
          return { done: false, value: m.chunk };
        }
        finish();
        if ('inflateHere' in m) {
          here = webGunzip(gz);
          return here.read();
        }
        if ('error' in m) throw new Error(m.error);
        return { done: true };
      },
      cancel() {
        finish();
        return here ? here.cancel() : Promise.resolve();
      },
      consumed: () => (here ? (here.consumed?.() ?? gz.length) : consumed),
    };
  };
}
