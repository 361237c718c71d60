import { GrowableInt32 } from './growable';
import type { StackTrie } from './profile';

/**
 * Interns (parent, key) pairs into trie nodes: this is the innermost loop of decoding (one
 * lookup per stack frame), so no Map and no string keys. Each node remembers its first child,
 * which answers most lookups (stacks are mostly chains) and makes extending a new branch a
 * plain append; only later siblings go into an open-addressing table over typed arrays, which
 * therefore stays small.
 */
export class TrieBuilder {
  readonly parent: GrowableInt32;
  readonly key: GrowableInt32;
  /**
   * Per node: [first child (0 for none: the root is nobody's child), that child's key]. The key
   * beside the child answers the usual lookup from one cache line instead of two.
   */
  private first: Int32Array;
  /**
   * Every node that is not its parent's first child, as [parent, key, node + 1] slots (node + 1
   * = 0: an empty slot). Keeping parent and key in the slot makes a lookup one memory access
   * instead of three scattered ones.
   */
  private table = new Int32Array(3 << 12);
  private mask = (1 << 12) - 1;
  private tableCount = 0;

  /** `expected`: roughly how many nodes will be added, to size the arrays once. */
  constructor(expected = 4096) {
    this.parent = new GrowableInt32(expected + 1);
    this.key = new GrowableInt32(expected + 1);
    this.first = new Int32Array(2 * this.parent.data.length);
    this.parent.push(-1);
    this.key.push(-1);
  }

  get size(): number {
    return this.parent.length;
  }

  child(parent: number, key: number): number {
    const first = this.first[2 * parent];
    if (first === 0) {
      const n = this.append(parent, key);
      this.first[2 * parent] = n;
      this.first[2 * parent + 1] = key;
      return n;
    }
    if (this.first[2 * parent + 1] === key) return first;
    const table = this.table;
    const mask = this.mask;
    let h = hash(parent, key) & mask;
    for (;;) {
      const at = 3 * h;
      const e = table[at + 2];
      if (e === 0) break;
      if (table[at] === parent && table[at + 1] === key) return e - 1;
      h = (h + 1) & mask;
    }
    const n = this.append(parent, key);
    const at = 3 * h;
    table[at] = parent;
    table[at + 1] = key;
    table[at + 2] = n + 1;
    if (++this.tableCount * 2 > mask) this.rehash();
    return n;
  }

  private append(parent: number, key: number): number {
    const n = this.parent.length;
    this.parent.push(parent);
    this.key.push(key);
    if (this.first.length < 2 * this.parent.data.length) {
      const grown = new Int32Array(2 * this.parent.data.length);
      grown.set(this.first);
      this.first = grown;
    }
    return n;
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    const table = new Int32Array(3 * size);
    const mask = size - 1;
    const old = this.table;
    for (let i = 0; i < old.length; i += 3) {
      if (old[i + 2] === 0) continue;
      let h = hash(old[i], old[i + 1]) & mask;
      while (table[3 * h + 2] !== 0) h = (h + 1) & mask;
      table[3 * h] = old[i];
      table[3 * h + 1] = old[i + 1];
      table[3 * h + 2] = old[i + 2];
    }
    this.table = table;
    this.mask = mask;
  }

  finish(): StackTrie {
    return {
      parent: this.parent.trimmed(),
      location: this.key.trimmed(),
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
