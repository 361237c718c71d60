import type { GrowableInt32 } from '../collections/growable';

/**
 * The live children of every node of a stack trie, compactly. The decoder appends a new
 * stack's nodes one after another, so nearly every node's only child is the next node (94% of
 * the nodes of the 1M-sample benchmark profile): those children are implied, and only the other
 * nodes get explicit lists. First-child/next-sibling arrays would cost two int32s per node
 * (26 MB at 1M samples), at the moment memory peaks.
 */
export interface TrieChildren {
  /** Listed nodes (kind 2, see trieChildren) as a bitset (bit t & 31 of word t >> 5) and the count of them before each word. */
  bits: Int32Array;
  rankBase: Int32Array;
  /** The i-th listed node's children are list[start[i] .. start[i + 1]), ascending. */
  start: Int32Array;
  list: Int32Array;
}

/**
 * Builds the lists of the listed nodes. The caller's backward pass over the live nodes keeps a
 * kind per node (0 = no live child, 1 = its only live child is the next node, 2 = listed): for
 * each live t with parent p it sets kind[p] = 1 when kind[p] was 0 and t === p + 1, else kind[p] = 2 and appended t to
 * `listed`. A backward pass meets p + 1, the smallest possible child, last, so `listed` holds
 * exactly the children of kind-2 nodes, in descending order.
 */
export function trieChildren(
  parent: Int32Array,
  size: number,
  listed: GrowableInt32,
): TrieChildren {
  const words = (size + 31) >>> 5;
  const bits = new Int32Array(words);
  const children = listed.data;
  const n = listed.length;
  for (let i = 0; i < n; i++) {
    const p = parent[children[i]];
    bits[p >>> 5] |= 1 << (p & 31);
  }
  const rankBase = new Int32Array(words + 1);
  for (let w = 0; w < words; w++) rankBase[w + 1] = rankBase[w] + popcount(bits[w]);
  const ch: TrieChildren = {
    bits,
    rankBase,
    start: new Int32Array(rankBase[words] + 1),
    list: new Int32Array(n),
  };
  const { start, list } = ch;
  for (let i = 0; i < n; i++) start[listIndex(ch, parent[children[i]]) + 1]++;
  for (let i = 1; i < start.length; i++) start[i] += start[i - 1];
  const fill = start.slice(0, start.length - 1);
  for (let i = n - 1; i >= 0; i--) {
    const t = children[i];
    list[fill[listIndex(ch, parent[t])]++] = t;
  }
  return ch;
}

/** Which listed node t is (t must be of kind 2): a rank query on the bitset, in constant time. */
export function listIndex(ch: TrieChildren, t: number): number {
  const w = t >>> 5;
  return ch.rankBase[w] + popcount(ch.bits[w] & ((1 << (t & 31)) - 1));
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
