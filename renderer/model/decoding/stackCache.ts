/**
 * Remembers which trie leaf a packed location_id field decoded to, keyed by its raw bytes.
 * Real profiles repeat their hot stacks across many samples (labels or values differ), so most
 * samples are resolved by hashing and comparing bytes sequentially instead of walking the trie
 * frame by frame through cache-missing hash lookups.
 *
 * The table is large and looked up once per sample in random order, so its cost is cache misses,
 * not arithmetic. Each entry therefore keeps everything a lookup reads in one place: the table
 * slot holds the hash beside the entry's offset (a mismatch never leaves the table), and the
 * entry is [length, leaf, bytes…] in one arena, so a hit reads two places in memory.
 */
export class PackedStackCache {
  /** The entries, 4-byte aligned: [length, leaf, bytes…]; `words` views the same memory. */
  private bytes = new Uint8Array(1 << 16);
  private words = new Int32Array(this.bytes.buffer);
  /** Bytes of the arena in use. */
  private used = 0;
  /** Per slot: [hash, word offset of the entry + 1] (0 = an empty slot). */
  private table = new Int32Array(2 << 14);
  private mask = (1 << 14) - 1;
  private count = 0;
  private lastHash = 0;
  private lastSlot = 0;

  /** The leaf for bytes [from, to), or -1 (then `insert` may follow for the same range). */
  find(buf: Uint8Array, from: number, to: number): number {
    const len = to - from;
    const view = this.viewOf(buf);
    // Hash a sample of the bytes: enough to spread stacks, the comparison below decides. Five
    // words spread over the range (murmur3's mixing), or every byte of a short range.
    let h = Math.imul(len, 0x9e3779b1);
    if (len >= 16) {
      const q = (len - 4) >> 2;
      h = mixWord(h, view.getInt32(from, true));
      h = mixWord(h, view.getInt32(from + q, true));
      h = mixWord(h, view.getInt32(from + 2 * q, true));
      h = mixWord(h, view.getInt32(from + 3 * q, true));
      h = mixWord(h, view.getInt32(to - 4, true));
    } else {
      for (let i = from; i < to; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    }
    // murmur3's finalizer: the table indexes by the low bits.
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    this.lastHash = h;
    const table = this.table;
    const mask = this.mask;
    const words = this.words;
    const stored = this.bytes;
    const last4 = to - 3;
    const last8 = to - 7;
    let slot = h & mask;
    for (;;) {
      const e = table[2 * slot + 1];
      if (e === 0) break;
      // The entry is words[e - 1] = length, words[e] = leaf, then the bytes.
      if (table[2 * slot] === h && words[e - 1] === len) {
        // Four bytes at a time: the stored copy is aligned, the input is read unaligned.
        let s = e + 1;
        let i = from;
        while (
          i < last8 &&
          view.getInt32(i, true) === words[s] &&
          view.getInt32(i + 4, true) === words[s + 1]
        ) {
          i += 8;
          s += 2;
        }
        while (i < last4 && view.getInt32(i, true) === words[s]) {
          i += 4;
          s++;
        }
        if (i >= last4) {
          s *= 4;
          while (i < to && stored[s] === buf[i]) {
            i++;
            s++;
          }
          if (i === to) return words[e];
        }
      }
      slot = (slot + 1) & mask;
    }
    this.lastSlot = slot;
    return -1;
  }

  private viewBuf: Uint8Array | null = null;
  private view = new DataView(new ArrayBuffer(0));

  /** A DataView whose offset 0 is buf[0] (the input buffer changes only when the window grows). */
  private viewOf(buf: Uint8Array): DataView {
    if (buf !== this.viewBuf) {
      this.viewBuf = buf;
      this.view = new DataView(buf.buffer as ArrayBuffer, buf.byteOffset, buf.byteLength);
    }
    return this.view;
  }

  /** Records the leaf for the range just missed by `find`. */
  insert(buf: Uint8Array, from: number, to: number, leaf: number): void {
    const len = to - from;
    const at = this.used;
    const size = (8 + len + 3) & ~3;
    if (at + size > this.bytes.length) {
      let cap = this.bytes.length * 2;
      while (cap < at + size) cap *= 2;
      const grown = new Uint8Array(cap);
      grown.set(this.bytes.subarray(0, at));
      this.bytes = grown;
      this.words = new Int32Array(grown.buffer);
    }
    const w = at >> 2;
    this.words[w] = len;
    this.words[w + 1] = leaf;
    this.bytes.set(buf.subarray(from, to), at + 8);
    this.used = at + size;
    this.table[2 * this.lastSlot] = this.lastHash;
    this.table[2 * this.lastSlot + 1] = w + 1;
    if (++this.count * 2 > this.mask) this.rehash();
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    const mask = size - 1;
    const table = new Int32Array(2 * size);
    const old = this.table;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i + 1] === 0) continue;
      let slot = old[i] & mask;
      while (table[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      table[2 * slot] = old[i];
      table[2 * slot + 1] = old[i + 1];
    }
    this.table = table;
    this.mask = mask;
  }
}

function mixWord(h: number, w: number): number {
  let k = Math.imul(w, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}
