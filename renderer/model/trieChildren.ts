import { GrowableInt32 } from './growable';

/**
 * The live children of every node of a stack trie, compactly. The decoder appends a new
 * stack's nodes one after another, so nearly every node's only child is the next node (94% of
 * the nodes of the 1M-sample benchmark profile): those children are implied, and only the other
 * nodes get explicit lists. First-child/next-sibling arrays would cost two int32s per node
 * (26 MB at 1M samples), at the moment memory peaks.
 */
export interface TrieChildren {
  /** Per node: 0 = no live child, 1 = its only live child is the next node, 2 = a listed node. */
  kind: Uint8Array;
  /** The listed nodes, ascending; owner i's children are list[start[i] .. start[i + 1]). */
  owners: Int32Array;
  start: Int32Array;
  list: Int32Array;
}

/**
 * Builds the lists of kind-2 nodes. `kind` comes from a backward pass over the live nodes that
 * set, for each live t with parent p: kind[p] = kind[p] === 0 && t === p + 1 ? 1 : 2 (a backward
 * pass meets p + 1, the smallest possible child, last).
 */
export function trieChildren(
  parent: Int32Array,
  live: Uint8Array,
  kind: Uint8Array,
  size: number,
): TrieChildren {
  const ownerList = new GrowableInt32(1024);
  for (let t = 0; t < size; t++) if (kind[t] === 2) ownerList.push(t);
  const owners = ownerList.toArray();
  const start = new Int32Array(owners.length + 1);
  for (let t = 1; t < size; t++) {
    const p = parent[t];
    if (live[t] && kind[p] === 2) start[ownerIndex(owners, p) + 1]++;
  }
  for (let i = 0; i < owners.length; i++) start[i + 1] += start[i];
  const fill = start.slice(0, owners.length);
  const list = new Int32Array(start[owners.length]);
  for (let t = 1; t < size; t++) {
    const p = parent[t];
    if (live[t] && kind[p] === 2) list[fill[ownerIndex(owners, p)]++] = t;
  }
  return { kind, owners, start, list };
}

/** Index of node t in `owners` (t must be there). */
export function ownerIndex(owners: Int32Array, t: number): number {
  let lo = 0;
  let hi = owners.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (owners[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
