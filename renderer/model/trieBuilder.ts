import { GrowableInt32 } from './growable';
import type { StackTrie } from './profile';

/**
 * Interns (parent, key) pairs into trie nodes with open addressing over typed arrays: this is the
 * innermost loop of decoding (one lookup per stack frame), so no Map and no string keys.
 */
export class TrieBuilder {
  readonly parent: GrowableInt32;
  readonly key: GrowableInt32;
  private table: Int32Array;
  private mask: number;
  /** Set by appendUnchecked: the hash table no longer covers every node. */
  private stale = false;

  /** `expected`: roughly how many nodes will be added, to size the table once instead of rehashing. */
  constructor(expected = 4096) {
    let size = 1 << 13;
    while (size < expected * 2) size *= 2;
    this.table = new Int32Array(size);
    this.mask = size - 1;
    this.parent = new GrowableInt32(expected + 1);
    this.key = new GrowableInt32(expected + 1);
    this.parent.push(-1);
    this.key.push(-1);
  }

  get size(): number {
    return this.parent.length;
  }

  /** Adds a node the caller knows is new, without hashing (callers that dedupe by other means). */
  appendUnchecked(parent: number, key: number): number {
    const n = this.parent.length;
    this.parent.push(parent);
    this.key.push(key);
    this.stale = true;
    return n;
  }

  child(parent: number, key: number): number {
    if (this.stale) {
      this.stale = false;
      while (this.mask + 1 < this.parent.length * 2) this.mask = this.mask * 2 + 1;
      this.mask = (this.mask + 1) / 2 - 1;
      this.rehash();
    }
    const table = this.table;
    const mask = this.mask;
    let h = hash(parent, key) & mask;
    for (;;) {
      const e = table[h];
      if (e === 0) break;
      const n = e - 1;
      if (this.parent.data[n] === parent && this.key.data[n] === key) return n;
      h = (h + 1) & mask;
    }
    const n = this.parent.length;
    this.parent.push(parent);
    this.key.push(key);
    table[h] = n + 1;
    if (n * 2 > mask) this.rehash();
    return n;
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    const table = new Int32Array(size);
    const mask = size - 1;
    const parents = this.parent.data;
    const keys = this.key.data;
    for (let n = 1; n < this.parent.length; n++) {
      let h = hash(parents[n], keys[n]) & mask;
      while (table[h] !== 0) h = (h + 1) & mask;
      table[h] = n + 1;
    }
    this.table = table;
    this.mask = mask;
  }

  finish(): StackTrie {
    return {
      parent: this.parent.toArray(),
      location: this.key.toArray(),
      size: this.parent.length,
    };
  }
}

function hash(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
}
