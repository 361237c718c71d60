import { GrowableInt32 } from '../collections/growable';
import { PairMap } from '../collections/pairMap';
import type { StackTrie } from './profile';

/**
 * Interns (parent, key) pairs into trie nodes: this is the innermost loop of decoding (one
 * lookup per stack frame), so no Map and no string keys. Each node remembers its first child,
 * which answers most lookups (stacks are mostly chains) and makes extending a new branch a
 * plain append; only later siblings go into a PairMap, which therefore stays small.
 */
export class TrieBuilder {
  readonly parent: GrowableInt32;
  readonly key: GrowableInt32;
  /**
   * Per node: [first child (0 for none: the root is nobody's child), that child's key]. The key
   * beside the child answers the usual lookup from one cache line instead of two.
   */
  private first: Int32Array;
  /** Every node that is not its parent's first child, by (parent, key). */
  private readonly siblings = new PairMap(4096);

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
    const sibling = this.siblings.putIfAbsent(parent, key, this.parent.length);
    return sibling >= 0 ? sibling : this.append(parent, key);
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

  finish(): StackTrie {
    return {
      parent: this.parent.trimmed(),
      location: this.key.trimmed(),
      size: this.parent.length,
    };
  }
}
