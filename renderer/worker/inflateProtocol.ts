/** Engine worker → inflate worker. */
export type InflateRequest = { gz: Uint8Array } | { ack: true };

/** Inflate worker → engine worker: batches of inflated bytes, then the end or an error. */
export type InflateMessage =
  /** `consumed`: compressed bytes taken in so far, for the engine's compression-ratio check. */
  { chunk: Uint8Array; consumed: number } | { done: true } | { error: string };

/** Batches of inflated bytes the inflate worker may send ahead of the engine's parsing. */
export const INFLATE_WINDOW = 4;
/** Bytes per batch: DecompressionStream's 64 KB chunks are gathered to cut message overhead. */
export const INFLATE_BATCH = 1 << 20;
