import { ProfileError } from '../errors';

export const DEFAULT_MAX_INFLATED_BYTES = 2 * 1024 * 1024 * 1024;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function formatCap(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / (1024 * 1024 * 1024)).toFixed(1)} GiB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  return `${n} bytes`;
}

/** Inflated chunks as they come: a ReadableStream reader's shape, so DecompressionStream's is one. */
export interface ChunkReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(): Promise<void>;
}

/** Starts inflating a gzip stream. Errors (corrupt or truncated data) reject `read`. */
export type Gunzipper = (gz: Uint8Array) => ChunkReader;

/** Compressed bytes per write: see webGunzip. */
const INPUT_SLICE = 1 << 20;

/**
 * The platform's DecompressionStream: native in browsers and workers, and present in Node 20.
 * Node hosts (CLI, benchmark) may pass node:zlib's instead (electron/nodeGunzip.ts): Node's
 * DecompressionStream hands out 16 KB chunks through web-stream promises, which doubles the
 * time of inflating a 100 MB profile there.
 *
 * The input goes in 1 MiB slices as the output is read: Chromium inflates each write whole
 * before its output can be read, so one write of the whole file would hold the whole inflated
 * profile in the stream's queue (100 MB and more) and let nothing run alongside inflating.
 */
export const webGunzip: Gunzipper = (gz) => {
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  const written = (async () => {
    for (let at = 0; at < gz.length; at += INPUT_SLICE) {
      await writer.write(
        gz.subarray(at, Math.min(gz.length, at + INPUT_SLICE)) as Uint8Array<ArrayBuffer>,
      );
    }
    await writer.close();
  })();
  // Errors surface on the reader; keep this promise from being reported as unhandled.
  written.catch(() => undefined);
  return ds.readable.getReader();
};

/**
 * Inflates gzip, handing each chunk to `onChunk` as it comes and counting bytes, so a
 * decompression bomb is stopped at the cap instead of exhausting memory. Returns the inflated
 * size.
 */
export async function inflate(
  bytes: Uint8Array,
  maxInflatedBytes: number,
  onChunk: (chunk: Uint8Array) => void,
  gunzipper: Gunzipper = webGunzip,
  signal?: AbortSignal,
): Promise<number> {
  if (!isGzip(bytes)) throw new ProfileError('not-gzip', 'not gzip data');
  const reader = gunzipper(bytes);
  let total = 0;
  // Ask for the next chunk before handing this one on: the inflater (a thread in Node, and the
  // stream's own queue in browsers) then works while `onChunk` parses, instead of after it.
  const next = (): ReturnType<ChunkReader['read']> => {
    const read = reader.read();
    read.catch(() => undefined);
    return read;
  };
  let pending = next();
  try {
    for (;;) {
      const { done, value } = await pending;
      if (done || value === undefined) break;
      pending = next();
      if (signal?.aborted) throw cancelled();
      total += value.length;
      if (total > maxInflatedBytes) {
        await reader.cancel().catch(() => undefined);
        throw new ProfileError(
          'too-large',
          `profile too large: it inflates to more than ${formatCap(maxInflatedBytes)} (a decompression bomb or a corrupt file)`,
        );
      }
      onChunk(value);
    }
  } catch (e) {
    if (e instanceof ProfileError) {
      await reader.cancel().catch(() => undefined);
      throw e;
    }
    const msg = e instanceof Error ? e.message : String(e);
    if (/end of|truncat|unexpected end|premature/i.test(msg)) {
      throw new ProfileError(
        'truncated-gzip',
        'truncated gzip: the file ends before the compressed data does (an interrupted download?)',
      );
    }
    throw new ProfileError('corrupt-gzip', `corrupt gzip data: ${msg}`);
  }
  return total;
}

/** What a decode stopped by its AbortSignal throws. */
export function cancelled(): ProfileError {
  return new ProfileError('cancelled', 'cancelled');
}

/** Inflates gzip into one buffer (see inflate). */
export async function gunzip(
  bytes: Uint8Array,
  maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES,
  gunzipper: Gunzipper = webGunzip,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const total = await inflate(bytes, maxInflatedBytes, (c) => chunks.push(c), gunzipper);
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
