import type { Stacks } from '../profile/stacks';
import { TrieBuilder } from '../profile/trieBuilder';

/**
 * pprof's Profile.ShowFrom over the stacks: a sample keeps its stack from its rootmost matching
 * location down (its callers go) and is dropped without one (keep 0). `match`: per location.
 */
export function cutAboveShowFrom(
  stacks: Stacks,
  match: Uint8Array,
  sampleCount: number,
): { stacks: Stacks; keep: Uint8Array } {
  const { trie, leaf } = stacks;
  const builder = new TrieBuilder(trie.size);
  const mapped = new Int32Array(trie.size);
  // 1 once a matching location is on the path from the root (the root itself has none).
  const started = new Uint8Array(trie.size);
  for (let t = 1; t < trie.size; t++) {
    const p = trie.parent[t];
    const loc = trie.location[t];
    if (started[p] || match[loc]) {
      mapped[t] = builder.child(mapped[p], loc);
      started[t] = 1;
    }
  }
  const newLeaf = new Int32Array(sampleCount);
  const keep = new Uint8Array(sampleCount);
  for (let s = 0; s < sampleCount; s++) {
    newLeaf[s] = mapped[leaf[s]];
    keep[s] = started[leaf[s]];
  }
  return { stacks: { trie: builder.finish(), leaf: newLeaf, lineBegin: stacks.lineBegin }, keep };
}
