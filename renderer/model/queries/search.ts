import { ProfileError } from '../errors';
import { treeInputs } from './flameDirect';
import { compileGoRegexp, goRegexpError } from '../goRegexp';
import type { Profile } from '../profile/profile';
import type { FlameTree, ViewOptions } from '../types';

/** Whether frame f's name matches `regex`, each name tested once. */
function nameMatcher(names: string[], regex: string): (f: number) => boolean {
  const re = compileGoRegexp(regex);
  if (!re)
    throw new ProfileError(
      'bad-option',
      `invalid search regular expression: ${goRegexpError(regex)}`,
    );
  const known = new Int8Array(names.length).fill(-1);
  return (f) => {
    if (known[f] < 0) known[f] = re.test(names[f]) ? 1 : 0;
    return known[f] === 1;
  };
}

/** Marks the nodes of a flame tree whose name matches, for highlighting. */
export function searchFrames(tree: FlameTree, regex: string): Uint8Array {
  const n = tree.frame.length;
  const matched = new Uint8Array(n);
  if (regex === '') return matched;
  const matches = nameMatcher(tree.names, regex);
  for (let i = 0; i < n; i++) if (tree.frame[i] >= 0 && matches(tree.frame[i])) matched[i] = 1;
  return matched;
}

/**
 * The total of the samples (as the flame graph keeps them) whose stack has a frame whose name
 * matches, each sample counted once: pprof's cum of the matching frames together. Computed
 * from every sample, not from a flame tree, whose narrow nodes are pruned.
 */
export function searchTotal(profile: Profile, opts: ViewOptions, regex: string): number {
  if (regex === '') return 0;
  // In the flame view the tree searched was just built from these: no work then.
  const { frames, prepared } = treeInputs(profile, opts);
  const matches = nameMatcher(frames.names, regex);
  const { sampleIndex, stacks, mask, lf, samples, nt, values } = prepared;
  const locationCount = lf.start.length - 1;
  const locationMatches = new Uint8Array(locationCount);
  for (let l = 0; l < locationCount; l++) {
    if (lf.hidden[l]) continue;
    for (let k = lf.start[l]; k < lf.start[l + 1]; k++)
      if (matches(lf.frames[k])) locationMatches[l] = 1;
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
