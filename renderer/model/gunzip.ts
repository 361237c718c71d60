import { ProfileError } from './errors';

export const DEFAULT_MAX_INFLATED_BYTES = 2 * 1024 * 1024 * 1024;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function formatCap(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / (1024 * 1024 * 1024)).toFixed(1)} GiB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  return `${n} bytes`;
}

/**
 * Inflates gzip with the platform's DecompressionStream (browser and Node 20 alike), counting
 * bytes as they come so a decompression bomb is stopped at the cap instead of exhausting memory.
 */
export async function gunzip(bytes: Uint8Array, maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES): Promise<Uint8Array> {
  if (!isGzip(bytes)) throw new ProfileError('not-gzip', 'not gzip data');
  // Feed the input in slices so the inflater starts producing output before it has all of it.
  const slice = 1 << 20;
  let offset = 0;
  const input = new ReadableStream<BufferSource>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      const end = Math.min(bytes.length, offset + slice);
      controller.enqueue(bytes.subarray(offset, end) as Uint8Array<ArrayBuffer>);
      offset = end;
    },
  });
  const reader = input.pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxInflatedBytes) {
        await reader.cancel().catch(() => undefined);
        throw new ProfileError(
          'too-large',
          `profile too large: it inflates to more than ${formatCap(maxInflatedBytes)} (a decompression bomb or a corrupt file)`,
        );
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof ProfileError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    if (/end of|truncat|unexpected end|premature/i.test(msg)) {
      throw new ProfileError('truncated-gzip', 'truncated gzip: the file ends before the compressed data does (an interrupted download?)');
    }
    throw new ProfileError('corrupt-gzip', `corrupt gzip data: ${msg}`);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
