import { createGunzip } from 'node:zlib';
import type { ChunkReader, Gunzipper } from '../renderer/model/index';

// Output chunks of 1 MiB: a 100 MB profile then crosses into JavaScript ~100 times instead of
// ~7,000 (Node's DecompressionStream uses zlib's 16 KB default), and while the engine parses one
// chunk on the main thread, zlib inflates the next in its threadpool.
const CHUNK = 1 << 20;

/** The engine's gzip input through node:zlib, for Node hosts (CLI, benchmark, tests). */
export const nodeGunzip: Gunzipper = (gz: Uint8Array): ChunkReader => {
  const z = createGunzip({ chunkSize: CHUNK });
  z.end(gz);
  const chunks = z[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return {
    async read() {
      const r = await chunks.next();
      return r.done === true ? { done: true } : { done: false, value: r.value };
    },
    // zlib's count of input bytes it has inflated from.
    consumed: () => z.bytesWritten,
    async cancel() {
      z.destroy();
      await chunks.return?.();
    },
  };
};
