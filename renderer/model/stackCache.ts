import { GrowableBytes, GrowableInt32 } from './growable';

/**
 * Remembers which trie leaf a packed location_id field decoded to, keyed by its raw bytes.
 * Real profiles repeat their hot stacks across many samples (labels or values differ), so most
 * samples are resolved by hashing and comparing bytes sequentially instead of walking the trie
 * frame by frame through cache-missing hash lookups.
 */
export class PackedStackCache {
  /** Copies of the distinct stacks' bytes: the input buffer is a moving window when streaming. */
  private readonly bytes = new GrowableBytes(1 << 16);
  private table = new Int32Array(1 << 14);
  private mask = (1 << 14) - 1;
  private readonly start = new GrowableInt32(1 << 12);
  private readonly length = new GrowableInt32(1 << 12);
  private readonly leafOf = new GrowableInt32(1 << 12);
  private readonly hashOf = new GrowableInt32(1 << 12);
  private lastHash = 0;
  private lastSlot = 0;

  /** The leaf for bytes [from, to), or -1 (then `insert` may follow for the same range). */
  find(buf: Uint8Array, from: number, to: number): number {
    const len = to - from;
    // Hash a sample of the bytes: enough to spread stacks, the comparison below decides.
    let h = Math.imul(len, 0x9e3779b1);
    const step = len > 48 ? len >> 4 : 1;
    for (let i = from; i < to; i += step) h = Math.imul(h ^ buf[i], 0x01000193);
    if (len >= 4)
      h = Math.imul(h ^ buf[to - 1] ^ (buf[to - 2] << 8) ^ (buf[to - 3] << 16), 0x01000193);
    // murmur3's finalizer: the table indexes by the low bits, which the multiply loop mixes poorly.
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    this.lastHash = h;
    const table = this.table;
    const mask = this.mask;
    const starts = this.start.data;
    const stored = this.bytes.data;
    const lengths = this.length.data;
    const hashes = this.hashOf.data;
    let slot = h & mask;
    for (;;) {
      const e = table[slot];
      if (e === 0) break;
      const entry = e - 1;
      if (hashes[entry] === h && lengths[entry] === len) {
        const s = starts[entry];
        let i = 0;
        while (i < len && stored[s + i] === buf[from + i]) i++;
        if (i === len) return this.leafOf.data[entry];
      }
      slot = (slot + 1) & mask;
    }
    this.lastSlot = slot;
    return -1;
  }

  /** Records the leaf for the range just missed by `find`. */
  insert(buf: Uint8Array, from: number, to: number, leaf: number): void {
    const entry = this.start.length;
    this.start.push(this.bytes.length);
    this.bytes.append(buf, from, to);
    this.length.push(to - from);
    this.leafOf.push(leaf);
    this.hashOf.push(this.lastHash);
    this.table[this.lastSlot] = entry + 1;
    if (entry * 2 > this.mask) this.rehash();
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    const mask = size - 1;
    const table = new Int32Array(size);
    const hashes = this.hashOf.data;
    for (let e = 0; e < this.start.length; e++) {
      let slot = hashes[e] & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = e + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}
