import { compileFilters, sampleMask } from './filters';
import type { CompiledFilters } from './filters';
import { FrameTable, locationFrames } from './frames';
import type { LocationFrames } from './frames';
import { cutAboveShowFrom } from './showFrom';
import { GrowableFloat64 } from '../collections/growable';
import type { Profile } from '../profile/profile';
import { diffBaseSamples } from '../profile/diffBase';
import { withLabelFrames } from '../profile/labelFrames';
import { profileStacks } from '../profile/stacks';
import type { Stacks } from '../profile/stacks';
import { TrieBuilder } from '../profile/trieBuilder';
import type { Granularity, ValueType, ViewOptions } from '../types';

/**
 * A call tree over frames (not yet laid out): node 0 is the root, parents precede children.
 * Kept growable so a diff base can add the paths only it has.
 */
export interface CallTree {
  nodes: TrieBuilder;
  self: GrowableFloat64;
  frames: FrameTable;
  /**
   * Per node: 1 if its frame was an inlined line of a location, 2 if the location's outermost
   * line. pprof marks an edge inline from this (graph.go: ni != len(locNodes)-1).
   */
  position: Uint8Array;
  sampleType: ValueType;
  /** Sum of the kept samples' values. */
  keptTotal: number;
  /** Sum of |value| over all samples before filters: pprof's report total. */
  unfilteredTotal: number;
}

export function resolveSampleIndex(profile: Profile, opts: ViewOptions): number {
  const i = opts.sampleIndex;
  if (i === undefined || i < 0 || i >= profile.sampleTypes.length)
    return profile.defaultSampleIndex;
  return i;
}

export interface PreparedSamples {
  /** The profile the rest refers to: with -tagroot/-tagleaf, one with their frames added. */
  profile: Profile;
  sampleIndex: number;
  stacks: Stacks;
  /** Kept samples (null: all). */
  mask: ReturnType<typeof sampleMask>;
  lf: LocationFrames;
  hideActive: boolean;
  samples: Profile['samples'];
  /** Values per sample (the number of sample types). */
  nt: number;
  values: Profile['samples']['values'];
}

/** What building a tree from the samples needs: the chosen value, stacks, filters, frames. */
export function prepareSamples(
  profile: Profile,
  opts: ViewOptions,
  frames: FrameTable,
  filters: CompiledFilters,
): PreparedSamples {
  const granularity: Granularity = opts.granularity ?? 'functions';
  // pprof's order: label frames first, then focus/ignore and hide/show, show_from, tag filters.
  profile = withLabelFrames(profile, opts.tagRoot ?? [], opts.tagLeaf ?? []);
  let stacks = profileStacks(profile);
  let mask = sampleMask(profile, stacks, filters);
  const lf = locationFrames(profile, stacks, granularity, frames, {
    ...filters,
    noInlines: opts.noInlines === true,
  });
  if (lf.showFrom) {
    const cut = cutAboveShowFrom(stacks, lf.showFrom, profile.samples.count);
    stacks = cut.stacks;
    if (mask) for (let s = 0; s < mask.length; s++) mask[s] &= cut.keep[s];
    else mask = cut.keep;
  }
  return {
    profile,
    sampleIndex: resolveSampleIndex(profile, opts),
    stacks,
    mask,
    lf,
    hideActive: filters.hide !== null || filters.show !== null,
    samples: profile.samples,
    nt: profile.sampleTypes.length,
    values: profile.samples.values,
  };
}

export function buildCallTree(
  profile: Profile,
  opts: ViewOptions,
  frames: FrameTable = new FrameTable(),
  filters: CompiledFilters = compileFilters(opts),
): CallTree {
  const { sampleIndex, stacks, mask, lf, hideActive, samples, nt, values } = prepareSamples(
    profile,
    opts,
    frames,
    filters,
  );
  const { trie, leaf } = stacks;

  // Only trie nodes under a kept, non-zero sample become call tree nodes.
  const live = new Uint8Array(trie.size);
  // pprof's computeTotal: with a diff base, the report total is the base's alone.
  const diffBase = diffBaseSamples(profile);
  let unfilteredTotal = 0;
  let diffBaseTotal = 0;
  for (let s = 0; s < samples.count; s++) {
    const v = values[s * nt + sampleIndex];
    unfilteredTotal += Math.abs(v);
    if (diffBase?.[s]) diffBaseTotal += Math.abs(v);
    if (v !== 0 && (!mask || mask[s])) live[leaf[s]] = 1;
  }
  if (diffBaseTotal > 0) unfilteredTotal = diffBaseTotal;
  for (let t = trie.size - 1; t > 0; t--) if (live[t]) live[trie.parent[t]] = 1;

  const nodes = new TrieBuilder(trie.size + (lf.frames.length - lf.start.length + 1));
  const callNode = new Int32Array(trie.size);
  let position = new Uint8Array(1024);
  const { start, frames: fr, inlined, hidden } = lf;
  for (let t = 1; t < trie.size; t++) {
    if (!live[t]) continue;
    let node = callNode[trie.parent[t]];
    const loc = trie.location[t];
    if (!hidden[loc]) {
      // Outermost line first: the caller, then what was inlined into it.
      for (let k = start[loc + 1] - 1; k >= start[loc]; k--) {
        node = nodes.child(node, fr[k]);
        if (node >= position.length) {
          const grown = new Uint8Array(position.length * 2);
          grown.set(position);
          position = grown;
        }
        position[node] |= inlined[k] ? 1 : 2;
      }
    }
    callNode[t] = node;
  }

  const self = new GrowableFloat64(nodes.size);
  self.length = nodes.size;
  self.data.fill(0, 0, nodes.size);
  let keptTotal = 0;
  for (let s = 0; s < samples.count; s++) {
    if (mask && !mask[s]) continue;
    const v = values[s * nt + sampleIndex];
    if (v === 0) continue;
    const node = callNode[leaf[s]];
    // With hide/show, pprof drops samples left without any location.
    if (node === 0 && hideActive) continue;
    self.data[node] += v;
    keptTotal += v;
  }
  return {
    nodes,
    self,
    frames,
    position: position.slice(0, nodes.size),
    sampleType: profile.sampleTypes[sampleIndex] ?? { type: '', unit: '' },
    keptTotal,
    unfilteredTotal,
  };
}

/** Subtree totals: children always follow their parent, so one backward pass suffices. */
export function callTreeTotals(tree: CallTree): Float64Array {
  const n = tree.nodes.size;
  const total = new Float64Array(n);
  total.set(tree.self.data.subarray(0, n));
  const parent = tree.nodes.parent.data;
  for (let i = n - 1; i > 0; i--) total[parent[i]] += total[i];
  return total;
}

/**
 * Adds the base tree's paths to `tree` and returns the base's self values on the union's nodes.
 * Both trees must share one FrameTable.
 */
export function unionWithBase(tree: CallTree, base: CallTree): Float64Array {
  const map = new Int32Array(base.nodes.size);
  const bp = base.nodes.parent.data;
  const bf = base.nodes.key.data;
  for (let i = 1; i < base.nodes.size; i++) map[i] = tree.nodes.child(map[bp[i]], bf[i]);
  const n = tree.nodes.size;
  while (tree.self.length < n) tree.self.push(0);
  if (tree.position.length < n) {
    const grown = new Uint8Array(n);
    grown.set(tree.position);
    tree.position = grown;
  }
  const baseSelf = new Float64Array(n);
  for (let i = 0; i < base.nodes.size; i++) baseSelf[map[i]] += base.self.data[i];
  return baseSelf;
}
