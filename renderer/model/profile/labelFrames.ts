import { PairMap } from '../collections/pairMap';
import { StringTable } from '../decoding/stringTable';
import { formatValue } from '../format';
import { Profile } from './profile';
import type { LocationTable } from './profile';
import { profileStacks } from './stacks';
import { TrieBuilder } from './trieBuilder';

/**
 * pprof's formatLabelValues: a sample's string values of `key`, then its numeric ones in their
 * own unit scaled as -unit=minimum prints them ("24kB"; "24576" without a unit). pprof's decoder
 * keeps no label that has neither a string, a number nor a unit.
 */
function labelValues(profile: Profile, sample: number, key: string): string[] {
  const { labelStart, labelKey, labelStr, labelNum, labelNumUnit } = profile.samples;
  if (!labelStart) return [];
  const strings: string[] = [];
  const numbers: string[] = [];
  for (let i = labelStart[sample]; i < labelStart[sample + 1]; i++) {
    if (profile.str(labelKey[i]) !== key) continue;
    if (labelStr[i] !== 0) strings.push(profile.str(labelStr[i]));
    else if (labelNum[i] !== 0 || labelNumUnit[i] !== 0)
      numbers.push(formatValue(labelNum[i], profile.str(labelNumUnit[i]), 'minimum'));
  }
  return strings.concat(numbers);
}

const cache = new WeakMap<Profile, { key: string; profile: Profile }>();

/**
 * pprof's -tagroot and -tagleaf (driver's addLabelNodes): the profile with, on every sample, one
 * frame per key above its root (first key rootmost) and below its leaf (last key leafmost), a
 * function named by the sample's values of that key joined with "," (none: an empty name) in a
 * file named by the key. pprof adds them after reading the file, so after drop_frames: the result
 * has the pruning applied and no drop_frames of its own. Every filter then sees these frames.
 */
export function withLabelFrames(profile: Profile, rootKeys: string[], leafKeys: string[]): Profile {
  const roots = rootKeys.filter((k) => k !== '');
  const leaves = leafKeys.filter((k) => k !== '');
  if (roots.length === 0 && leaves.length === 0) return profile;
  const cacheKey = JSON.stringify([roots, leaves]);
  const hit = cache.get(profile);
  if (hit?.key === cacheKey) return hit.profile;

  const stacks = profileStacks(profile);
  const strings = profile.strings.all();
  const fns = profile.functions;
  const fnName = Array.from(fns.name);
  const fnFile = Array.from(fns.filename);
  const fnId = Array.from(fns.id);
  const fnStartLine = Array.from(fns.startLine);

  // Locations with drop_frames' cut of inlined lines applied, then the label frames after them.
  const locs = profile.locations;
  const n = locs.id.length;
  const loc = {
    id: Array.from(locs.id),
    mapping: Array.from(locs.mapping),
    address: Array.from(locs.address),
    isFolded: Array.from(locs.isFolded),
    lineStart: [0],
    lineFunction: [] as number[],
    lineNumber: [] as number[],
  };
  for (let l = 0; l < n; l++) {
    for (let i = stacks.lineBegin[l]; i < locs.lineStart[l + 1]; i++) {
      loc.lineFunction.push(locs.lineFunction[i]);
      loc.lineNumber.push(locs.lineNumber[i]);
    }
    loc.lineStart.push(loc.lineFunction.length);
  }
  let nextFnId = fnId.reduce((a, b) => Math.max(a, b), 0) + 1;
  let nextLocId = loc.id.reduce((a, b) => Math.max(a, b), 0) + 1;
  const labelLocs = new Map<string, number>();
  const labelLoc = (name: string, key: string): number => {
    const k = `${key}\u0000${name}`;
    let l = labelLocs.get(k);
    if (l === undefined) {
      fnId.push(nextFnId++);
      fnName.push(strings.push(name) - 1);
      fnFile.push(strings.push(key) - 1);
      fnStartLine.push(0);
      l = loc.id.length;
      loc.id.push(nextLocId++);
      loc.mapping.push(-1);
      loc.address.push(0);
      loc.isFolded.push(0);
      loc.lineFunction.push(fnName.length - 1);
      loc.lineNumber.push(0);
      loc.lineStart.push(loc.lineFunction.length);
      labelLocs.set(k, l);
    }
    return l;
  };

  const { trie, leaf } = stacks;
  const builder = new TrieBuilder(trie.size + 16);
  // (label root node, old trie node) → new node: stacks under one root share their prefixes.
  const mapped = new PairMap(trie.size);
  const path: number[] = [];
  const count = profile.samples.count;
  const newLeaf = new Int32Array(count);
  for (let s = 0; s < count; s++) {
    let top = 0;
    for (const key of roots)
      top = builder.child(top, labelLoc(labelValues(profile, s, key).join(','), key));
    let t = leaf[s];
    let node = top;
    path.length = 0;
    for (; t !== 0; t = trie.parent[t]) {
      const known = mapped.get(top, t);
      if (known >= 0) {
        node = known;
        break;
      }
      path.push(t);
    }
    for (let i = path.length - 1; i >= 0; i--) {
      node = builder.child(node, trie.location[path[i]]);
      mapped.set(top, path[i], node);
    }
    for (const key of leaves)
      node = builder.child(node, labelLoc(labelValues(profile, s, key).join(','), key));
    newLeaf[s] = node;
  }

  const locations: LocationTable = {
    id: Float64Array.from(loc.id),
    mapping: Int32Array.from(loc.mapping),
    address: Float64Array.from(loc.address),
    isFolded: Uint8Array.from(loc.isFolded),
    lineStart: Int32Array.from(loc.lineStart),
    lineFunction: Int32Array.from(loc.lineFunction),
    lineNumber: Float64Array.from(loc.lineNumber),
  };
  const result = new Profile({
    ...profile.data,
    strings: StringTable.fromStrings(strings),
    dropFrames: 0,
    keepFrames: 0,
    functions: {
      id: Float64Array.from(fnId),
      name: Int32Array.from(fnName),
      systemName: Int32Array.from({ length: fnId.length }, (_, i) =>
        i < fns.id.length ? fns.systemName[i] : 0,
      ),
      filename: Int32Array.from(fnFile),
      startLine: Float64Array.from(fnStartLine),
    },
    locations,
    trie: builder.finish(),
    samples: { ...profile.samples, leaf: newLeaf },
  });
  cache.set(profile, { key: cacheKey, profile: result });
  return result;
}
