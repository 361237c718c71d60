import { ProfileError } from './errors';
import { treeInputs } from './flameDirect';
import { compileGoRegexp } from './goRegexp';
import type { Profile } from './profile';
import type { FlameTree, ViewOptions } from './types';

function searchRegexp(regex: string): RegExp {
  const re = compileGoRegexp(regex);
  if (!re) throw new ProfileError('bad-option', `invalid search regular expression: ${regex}`);
  return re;
}

/** Marks the nodes of a flame tree whose name matches, for highlighting. */
export function searchFrames(tree: FlameTree, regex: string): Uint8Array {
  const n = tree.frame.length;
  const matched = new Uint8Array(n);
  if (regex === '') return matched;
  const re = searchRegexp(regex);
  const byFrame = new Int8Array(tree.names.length).fill(-1);
  for (let i = 0; i < n; i++) {
    const f = tree.frame[i];
    if (f < 0) continue;
    if (byFrame[f] < 0) byFrame[f] = re.test(tree.names[f]) ? 1 : 0;
    if (byFrame[f]) matched[i] = 1;
  }
  return matched;
}

/**
 * The total of the samples (as the flame graph keeps them) whose stack has a frame whose name
 * matches, each sample counted once: pprof's cum of the matching frames together. Computed
 * from every sample, not from a flame tree, whose narrow nodes are pruned.
 */
export function searchTotal(profile: Profile, opts: ViewOptions, regex: string): number {
  if (regex === '') return 0;
  const re = searchRegexp(regex);
  // In the flame view the tree searched was just built from these: no work then.
  const { frames, prepared } = treeInputs(profile, opts);
  const { sampleIndex, stacks, mask, lf, samples, nt, values } = prepared;
  const frameMatches = new Int8Array(frames.names.length).fill(-1);
  const locationCount = lf.start.length - 1;
  const locationMatches = new Uint8Array(locationCount);
  for (let l = 0; l < locationCount; l++) {
    if (lf.hidden[l]) continue;
    for (let k = lf.start[l]; k < lf.start[l + 1]; k++) {
      const f = lf.frames[k];
      if (frameMatches[f] < 0) frameMatches[f] = re.test(frames.names[f]) ? 1 : 0;
      if (frameMatches[f]) locationMatches[l] = 1;
    }
  }
  // Per trie node: a matching frame on the path from the root (parents come first).
  const { trie, leaf } = stacks;
  const onPath = new Uint8Array(trie.size);
  for (let t = 1; t < trie.size; t++)
    onPath[t] = onPath[trie.parent[t]] | locationMatches[trie.location[t]];
  let total = 0;
  for (let s = 0; s < samples.count; s++) {
    if ((mask && !mask[s]) || !onPath[leaf[s]]) continue;
    total += values[s * nt + sampleIndex];
  }
  return total;
}
