// Inflates gzip for the engine worker on a thread of its own, so inflating (about a third of
// decoding a large profile) overlaps parsing instead of alternating with it on the engine's
// thread, as node:zlib's threadpool does for the CLI. At most INFLATE_WINDOW batches are in
// flight: a slow parse must not let the whole inflated profile pile up in the engine's queue.
import { webGunzip } from '../model/decoding/gunzip';
import {
  INFLATE_BATCH,
  INFLATE_WINDOW,
  type InflateMessage,
  type InflateRequest,
} from './inflateProtocol';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<InflateRequest>) => void) | null;
  postMessage: (m: InflateMessage, transfer?: Transferable[]) => void;
};

let credit = INFLATE_WINDOW;
let wake: (() => void) | null = null;

function send(chunk: Uint8Array, consumed: number): Promise<void> {
  scope.postMessage({ chunk, consumed }, [chunk.buffer]);
  credit--;
  if (credit > 0) return Promise.resolve();
  return new Promise((resolve) => (wake = resolve));
}

async function run(gz: Uint8Array): Promise<void> {
  const reader = webGunzip(gz);
  let batch = new Uint8Array(INFLATE_BATCH);
  let used = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done || value === undefined) break;
    let at = 0;
    while (at < value.length) {
      const n = Math.min(value.length - at, batch.length - used);
      batch.set(value.subarray(at, at + n), used);
      used += n;
      at += n;
      if (used === batch.length) {
        await send(batch, reader.consumed?.() ?? gz.length);
        batch = new Uint8Array(INFLATE_BATCH);
        used = 0;
      }
    }
  }
  if (used > 0) await send(batch.slice(0, used), gz.length);
  scope.postMessage({ done: true });
}

scope.onmessage = (e) => {
  const msg = e.data;
  if ('ack' in msg) {
    credit++;
    const w = wake;
    wake = null;
    w?.();
    return;
  }
  run(msg.gz).catch((err: unknown) =>
    scope.postMessage({ error: err instanceof Error ? err.message : String(err) }),
  );
};
