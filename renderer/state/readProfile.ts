import type { ProfscopeApi } from '../../electron/contract';

export interface ReadPieces {
  /** Files larger than this are read in pieces; smaller ones in one call. */
  over: number;
  piece: number;
  /** Pieces asked for at once, so that one's transfer overlaps the next one's read. */
  inFlight: number;
}

/**
 * Pieces cost time (each is a round trip and a copy: 82 MB took 0.31–0.40 s in 8–16 MiB pieces
 * against 0.22 s whole, over browser mode's HTTP), so only files that take seconds to read,
 * where a share read and a way to stop matter, are read so.
 */
const PIECES: ReadPieces = { over: 256 * 1024 ** 2, piece: 16 * 1024 ** 2, inFlight: 2 };

/**
 * A profile file's bytes; large ones piece by piece, reporting the share read and stopping at
 * the next piece once `signal` aborts (the tab was closed).
 */
export async function readProfile(
  api: Pick<ProfscopeApi, 'fileInfo' | 'readFile' | 'readFileChunk'>,
  path: string,
  progress: (share: number) => void,
  signal: AbortSignal,
  pieces: ReadPieces = PIECES,
): Promise<Uint8Array> {
  const { size } = await api.fileInfo(path);
  if (size <= pieces.over) return api.readFile(path);
  const out = new Uint8Array(size);
  let next = 0;
  let read = 0;
  // The file may shrink while it is read: what there is goes to the decoder, which names a cut.
  let end = size;
  const reader = async (): Promise<void> => {
    while (next < end && !signal.aborted) {
      const at = next;
      next += pieces.piece;
      const bytes = await api.readFileChunk(path, at, Math.min(pieces.piece, size - at));
      out.set(bytes, at);
      read += bytes.byteLength;
      if (bytes.byteLength < Math.min(pieces.piece, size - at))
        end = Math.min(end, at + bytes.byteLength);
      progress(read / size);
    }
  };
  await Promise.all(Array.from({ length: pieces.inFlight }, reader));
  return end === size ? out : out.subarray(0, end);
}
