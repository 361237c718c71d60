import { MAX_PROFILE_FILE_BYTES, type ProfscopeApi } from '../../electron/contract';

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
 * A profile file's bytes; large ones piece by piece, reporting the share read. Once `signal`
 * aborts (the tab was closed) or a piece fails, no more pieces are asked for, and it rejects.
 */
export async function readProfile(
  api: Pick<ProfscopeApi, 'fileInfo' | 'readFile' | 'readFileChunk'>,
  path: string,
  progress: (share: number) => void,
  signal: AbortSignal,
  pieces: ReadPieces = PIECES,
): Promise<Uint8Array> {
  const { size } = await api.fileInfo(path);
  // A file too large for a profile: readFile refuses it with the reason, before any allocation.
  if (size <= pieces.over || size > MAX_PROFILE_FILE_BYTES) return api.readFile(path);
  const out = new Uint8Array(size);
  let next = 0;
  let read = 0;
  // The file may shrink while it is read: what there is goes to the decoder, which names a cut.
  let end = size;
  let failed = false;
  const reader = async (): Promise<void> => {
    while (next < end && !signal.aborted && !failed) {
      const at = next;
      next += pieces.piece;
      const bytes = await api
        .readFileChunk(path, at, Math.min(pieces.piece, size - at))
        .catch((err: unknown) => {
          failed = true;
          throw err;
        });
      out.set(bytes, at);
      read += bytes.byteLength;
      if (bytes.byteLength < Math.min(pieces.piece, size - at))
        end = Math.min(end, at + bytes.byteLength);
      progress(read / size);
    }
  };
  await Promise.all(Array.from({ length: pieces.inFlight }, reader));
  if (signal.aborted) throw new Error(`${path}: reading cancelled`);
  return end === size ? out : out.subarray(0, end);
}
