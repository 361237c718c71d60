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
  /**
   * Compressed bytes the inflater has taken in so far (at least those behind the output read),
   * for the compression-ratio check; without it the whole input counts.
   */
  consumed?(): number;
}

/** Starts inflating a gzip stream. Errors (corrupt or truncated data) reject `read`. */
export type Gunzipper = (gz: Uint8Array) => ChunkReader;

/**
 * Deflate's ceiling is 1032:1; real pprof profiles inflate 2–4× (the fixtures, Go's own output)
 * and the synthetic benchmark profiles about 5×. Past 100:1 the data is long runs of the same
 * bytes, which no profile is: a bomb. The ratio is what bounds memory: a small file cannot make
 * the decoder hold gigabytes (each inflated byte can become up to ~16 decoded ones).
 */
export const MAX_INFLATE_RATIO = 100;
/** The ratio is only judged past this many inflated bytes: below it, nothing is at stake. */
export const RATIO_CHECK_AFTER = 16 * 1024 * 1024;

/**
 * Compressed bytes per write. Chromium inflates each write whole into the stream's queue before
 * any of it can be read, so a write bounds what can pile up unread: 64 KiB inflate to at most
 * 66 MB (1032:1) and usually to a few hundred KB. Writes then wait on reads (the stream's
 * backpressure), so the inflater never runs more than a write ahead of the parser.
 */
const INPUT_SLICE = 1 << 16;

/**
 * The platform's DecompressionStream: native in browsers and workers, and present in Node 20.
 * Node hosts (CLI, benchmark) may pass node:zlib's instead (electron/nodeGunzip.ts): Node's
 * DecompressionStream hands out 16 KB chunks through web-stream promises, which doubles the
 * time of inflating a 100 MB profile there.
 */
export const webGunzip: Gunzipper = (gz) => {
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  let taken = 0;
  const written = (async () => {
    for (let at = 0; at < gz.length; at += INPUT_SLICE) {
      const slice = gz.subarray(at, Math.min(gz.length, at + INPUT_SLICE));
      taken += slice.length;
      await writer.write(slice as Uint8Array<ArrayBuffer>);
    }
    await writer.close();
  })();
  // Errors surface on the reader; keep this promise from being reported as unhandled.
  written.catch(() => undefined);
  const reader = ds.readable.getReader();
  return {
    read: () => reader.read(),
    cancel: () => reader.cancel(),
    consumed: () => taken,
  };
};

/** gzip's ISIZE trailer: the inflated size mod 2^32 (exact for profiles under 4 GiB), or 0. */
export function gzipInflatedSize(gz: Uint8Array): number {
  const n = gz.length;
  if (n < 18) return 0;
  return (gz[n - 4] | (gz[n - 3] << 8) | (gz[n - 2] << 16) | (gz[n - 1] << 24)) >>> 0;
}

function bomb(inflated: number): ProfileError {
  return new ProfileError(
    'too-large',
    `decompression bomb: the gzip inflates over ${MAX_INFLATE_RATIO}× (${formatCap(inflated)} so far); real profiles inflate 2–20×`,
  );
}

/**
 * Inflates gzip, handing each chunk to `onChunk` as it comes and counting bytes, so a
 * decompression bomb is stopped at the cap, or at an implausible compression ratio, instead of
 * exhausting memory. An error thrown by `onChunk` (the data is not a profile) stops inflating
 * at once and is rethrown as is. Returns the inflated size.
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
  // Inflated and compressed bytes at the start of the stretch whose ratio is judged next.
  let mark = 0;
  let markIn = 0;
  // Ask for the next chunk before handing this one on: the inflater (a thread in Node, and the
  // stream's own queue in browsers) then works while `onChunk` parses, instead of after it.
  const next = (): ReturnType<ChunkReader['read']> => {
    const read = reader.read();
    read.catch(() => undefined);
    return read;
  };
  const stop = async (e: unknown): Promise<never> => {
    await reader.cancel().catch(() => undefined);
    throw e;
  };
  let pending = next();
  for (;;) {
    let result: Awaited<ReturnType<ChunkReader['read']>>;
    try {
      result = await pending;
    } catch (e) {
      return stop(gzipError(e));
    }
    const { done, value } = result;
    if (done || value === undefined) break;
    if (signal?.aborted) return stop(cancelled());
    total += value.length;
    if (total > maxInflatedBytes) {
      return stop(
        new ProfileError(
          'too-large',
          `profile too large: it inflates to more than ${formatCap(maxInflatedBytes)} (a decompression bomb or a corrupt file)`,
        ),
      );
    }
    // Judged on what is seen, not on the gzip trailer: a truncated file's last four bytes are
    // no trailer, and a bomb's can lie. Judged per stretch of RATIO_CHECK_AFTER inflated bytes,
    // so an incompressible start cannot dilute the bomb that follows it.
    if (total - mark > RATIO_CHECK_AFTER) {
      const taken = reader.consumed?.();
      const compressed = taken === undefined ? bytes.length : taken - markIn;
      const inflated = taken === undefined ? total : total - mark;
      if (inflated > compressed * MAX_INFLATE_RATIO) return stop(bomb(total));
      mark = total;
      markIn = taken ?? 0;
    }
    pending = next();
    try {
      onChunk(value);
    } catch (e) {
      return stop(e);
    }
  }
  return total;
}

function gzipError(e: unknown): ProfileError {
  if (e instanceof ProfileError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  if (/end of|truncat|unexpected end|premature/i.test(msg)) {
    return new ProfileError(
      'truncated-gzip',
      'truncated gzip: the file ends before the compressed data does (an interrupted download?)',
    );
  }
  return new ProfileError('corrupt-gzip', `corrupt gzip data: ${msg}`);
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
