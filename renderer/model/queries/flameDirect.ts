import { prepareSamples } from './callTree';
import type { PreparedSamples } from './callTree';
import { compileFilters } from './filters';
import { FrameTable } from './frames';
import { GrowableFloat64, GrowableInt32 } from '../collections/growable';
import type { Profile } from '../profile/profile';
import { listIndex, trieChildren } from './trieChildren';
import type { TrieChildren } from './trieChildren';
import type { FlameTree, ViewOptions } from '../types';

/** What flame trees of one profile, sample type and filters are built from, whatever the pruning. */
export interface TreeInputs {
  key: string;
  frames: FrameTable;
  prepared: PreparedSamples;
  /** Per trie node: its subtree's total, and what kind of children it has (see trieChildren). */
  total: Float64Array;
  kind: Uint8Array;
  children: TrieChildren;
}

/**
 * The inputs of the last tree built. A zoomed-in flame graph asks for the same samples and
 * filters again and again with other detail ranges, and a view switched back asks for its tree
 * again: the passes over every sample and trie node are then done once. One profile's only, as
 * they are as large as its trie (tens of megabytes at a million samples); held by a WeakMap, as
 * they refer to the profile's arrays, which must go when the profile is closed.
 */
const inputsOf = new WeakMap<Profile, TreeInputs>();
let lastProfile: WeakRef<Profile> | null = null;

export function treeInputs(profile: Profile, opts: ViewOptions): TreeInputs {
  // Every option but the pruning ones (an option added later is in the key without a word).
  const key = JSON.stringify({ ...opts, pruneFraction: undefined, detail: undefined });
  const cached = inputsOf.get(profile);
  if (cached?.key === key) return cached;
  const previous = lastProfile?.deref();
  if (previous) inputsOf.delete(previous);
  const frames = new FrameTable();
  const prepared = prepareSamples(profile, opts, frames, compileFilters(opts));
  const { total, kind, listed } = trieTotals(prepared);
  const children = trieChildren(prepared.stacks.trie.parent, total.length, listed);
  const inputs: TreeInputs = { key, frames, prepared, total, kind, children };
  inputsOf.set(profile, inputs);
  lastProfile = new WeakRef(profile);
  return inputs;
}

/**
 * Subtree totals per trie node (live = under a kept, non-zero sample), in one backward pass
 * (children follow their parents), with each node's kind of children and the listed ones. A
 * node's own (self) value is its total minus its children's: values are integers, so exact.
 */
function trieTotals(prepared: PreparedSamples): {
  total: Float64Array;
  kind: Uint8Array;
  listed: GrowableInt32;
} {
  const { sampleIndex, stacks, mask, samples, nt, values } = prepared;
  const { trie, leaf } = stacks;
  const size = trie.size;
  const parent = trie.parent;
  const total = new Float64Array(size);
  const live = new Uint8Array(size);
  for (let s = 0; s < samples.count; s++) {
    const v = values[s * nt + sampleIndex];
    if (v !== 0 && (!mask || mask[s])) {
      const l = leaf[s];
      total[l] += v;
      live[l] = 1;
    }
  }
  const kind = new Uint8Array(size);
  const listed = new GrowableInt32(1024);
  for (let t = size - 1; t > 0; t--) {
    if (!live[t]) continue;
    const p = parent[t];
    total[p] += total[t];
    live[p] = 1;
    if (kind[p] === 0 && t === p + 1) kind[p] = 1;
    else {
      kind[p] = 2;
      listed.push(t);
    }
  }
  return { total, kind, listed };
}

/**
 * Builds a flame tree straight from the location trie, top down, without a full call tree.
 *
 * A call node is represented by its "entries": the trie nodes whose frame path reaches it,
 * each with how many of that location's frames (outermost first) are consumed. Trie subtree
 * totals are computed first (one backward pass), so a call node's total is the sum of its
 * entries' totals and is known before the node is expanded. Nodes narrower than pruneFraction
 * of the root are therefore never expanded at all: on large profiles most of the call tree is
 * such narrow nodes. Without a detail range, the result equals
 * layoutCallTree(buildCallTree(…), pruneFraction).
 */
export function buildFlameTreeDirect(profile: Profile, opts: ViewOptions): FlameTree {
  const inputs = treeInputs(profile, opts);
  const { frames, prepared } = inputs;
  const out = expand(inputs, opts.pruneFraction ?? 0, opts.detail);
  // expand's work arrays are garbage from here on.
  const count = out.frame.length;
  const parent = out.parent.trimmed();
  const subtreeSize = new Int32Array(count).fill(1);
  for (let i = count - 1; i > 0; i--) subtreeSize[parent[i]] += subtreeSize[i];
  return {
    names: frames.names,
    files: frames.files,
    lines: frames.lines,
    frame: out.frame.trimmed(),
    parent,
    depth: out.depth.trimmed(),
    subtreeSize,
    start: out.start.trimmed(),
    total: out.total.trimmed(),
    self: out.self.trimmed(),
    maxDepth: out.maxDepth,
    sampleType: profile.sampleTypes[prepared.sampleIndex] ?? { type: '', unit: '' },
    grandTotal: out.total.data[0] ?? 0,
  };
}

interface Expanded {
  frame: GrowableInt32;
  parent: GrowableInt32;
  depth: GrowableInt32;
  start: GrowableFloat64;
  total: GrowableFloat64;
  self: GrowableFloat64;
  maxDepth: number;
}

function expand(
  inputs: TreeInputs,
  pruneFraction: number,
  detail: ViewOptions['detail'],
): Expanded {
  const { prepared, total: tTotal, kind, children } = inputs;
  const names = inputs.frames.names;
  const { stacks, lf, hideActive } = prepared;
  const tLoc = stacks.trie.location;
  const { start: fStart, frames: fr, hidden } = lf;
  const { start: listStart, list } = children;
  // Frames of trie node t, outermost first: fr[end - 1 - j] for j < framesOf(t) (0 = a hidden
  // location, transparent).
  const frameEnd = (t: number): number => fStart[tLoc[t] + 1];
  const framesOf = (t: number): number => {
    const loc = tLoc[t];
    return hidden[loc] ? 0 : fStart[loc + 1] - fStart[loc];
  };

  // Candidate children of the node being expanded: entry (trie node, frames consumed), frame.
  const cT = new GrowableInt32(1024);
  const cJ = new GrowableInt32(1024);
  const cF = new GrowableInt32(1024);
  const cV = new GrowableFloat64(1024);
  // Entries of pending nodes, as a stack: a node's entries are [eFrom, eTo) and the node on top
  // of the node stack owns the top of the entry stack.
  const eT = new GrowableInt32(1024);
  const eJ = new GrowableInt32(1024);
  // Pending nodes.
  const nFrom = new GrowableInt32(256);
  const nTo = new GrowableInt32(256);
  const nFrame = new GrowableInt32(256);
  const nParent = new GrowableInt32(256);
  const nX = new GrowableFloat64(256);
  const nTotal = new GrowableFloat64(256);
  // Grouping candidates by frame: direct index by frame id, stamped per expanded node.
  const frameCount = names.length;
  const groupOf = new Int32Array(frameCount);
  const groupStamp = new Int32Array(frameCount);
  const gFrame = new GrowableInt32(64);
  const gTotal = new GrowableFloat64(64);
  const gCount = new GrowableInt32(64);
  const gFill = new GrowableInt32(64);
  let order = new Int32Array(64);
  // Kept children heaviest first; names break ties, as layoutCallTree does.
  const heavierFirst = (a: number, b: number): number => {
    const gt = gTotal.data;
    const na = names[gFrame.data[a]];
    const nb = names[gFrame.data[b]];
    return gt[b] - gt[a] || (na < nb ? -1 : na > nb ? 1 : 0);
  };
  let xs = new Float64Array(64);
  const transparent = new GrowableInt32(64);

  // Output, sized by the trie nodes that pass the pruning threshold (within 3% of the call
  // nodes kept on the benchmark profiles), plus a margin: the arrays are then neither regrown
  // (each doubling writes fresh memory and copies) nor copied at the end (see trimmed). A detail
  // range keeps more, smaller trees: those grow.
  const cut = Math.abs(tTotal[0]) * pruneFraction;
  let passing = 0;
  for (let t = 0; t < tTotal.length; t++) {
    const a = Math.abs(tTotal[t]);
    if (a >= cut && a > 0) passing++;
  }
  const expected = Math.ceil(passing * 1.1) + 1024;
  const outFrame = new GrowableInt32(expected);
  const outParent = new GrowableInt32(expected);
  const outDepth = new GrowableInt32(expected);
  const outStart = new GrowableFloat64(expected);
  const outTotal = new GrowableFloat64(expected);
  const outSelf = new GrowableFloat64(expected);
  let maxDepth = 0;
  // Nodes of at least `threshold` are kept; in the detail range, nodes of at least `fine`
  // (both known once the root's total is). A node spans [x, x + max(0, total)).
  let threshold = 0;
  let fine = 0;
  let detailStart = 0;
  let detailEnd = -Infinity;
  const keeps = (v: number, x: number): boolean => {
    const a = Math.abs(v);
    return a >= threshold || (a >= fine && x <= detailEnd && x + Math.max(0, v) >= detailStart);
  };

  const output = (
    frame: number,
    parent: number,
    depth: number,
    x: number,
    total: number,
    self: number,
  ): void => {
    outFrame.push(frame);
    outParent.push(parent);
    outDepth.push(depth);
    outStart.push(x);
    outTotal.push(total);
    outSelf.push(self);
  };

  const pushNode = (
    from: number,
    to: number,
    frame: number,
    parent: number,
    x: number,
    total: number,
  ): void => {
    nFrom.push(from);
    nTo.push(to);
    nFrame.push(frame);
    nParent.push(parent);
    nX.push(x);
    nTotal.push(total);
  };

  // The root: trie node 0 with all of its (zero) frames consumed.
  eT.push(0);
  eJ.push(0);
  pushNode(0, 1, -1, -1, 0, 0);

  while (nFrom.length > 0) {
    const top = --nFrom.length;
    nTo.length = nFrame.length = nParent.length = nX.length = nTotal.length = top;
    const from = nFrom.data[top];
    const to = nTo.data[top];
    let frame = nFrame.data[top];
    let p = nParent.data[top];
    const x0 = nX.data[top];
    let total = nTotal.data[top];
    let out = outFrame.length;
    let depth = p < 0 ? 0 : outDepth.data[p] + 1;

    // Chains first: a node of one entry with at most one candidate child (most nodes below the
    // first branches) is written out straight away and its child taken next, without the
    // candidate, grouping and pending-node bookkeeping below. The order and values are those of
    // the general path.
    if (to - from === 1 && out !== 0) {
      let t = eT.data[from];
      let j = eJ.data[from];
      for (;;) {
        const own = framesOf(t);
        let next = -1;
        let nextJ = 1;
        let nextFrame = 0;
        let nextTotal = 0;
        let self = 0;
        if (j < own) {
          next = t;
          nextJ = j + 1;
          nextFrame = fr[frameEnd(t) - 1 - j];
          nextTotal = tTotal[t];
        } else if (kind[t] === 0) {
          self = tTotal[t];
        } else if (kind[t] === 1 && framesOf(t + 1) > 0) {
          next = t + 1;
          nextFrame = fr[frameEnd(next) - 1];
          nextTotal = tTotal[next];
          self = tTotal[t] - nextTotal;
        } else break;
        if (depth > maxDepth) maxDepth = depth;
        output(frame, p, depth, x0, total, self);
        if (next < 0 || !keeps(nextTotal, x0)) {
          t = -1;
          break;
        }
        p = out++;
        depth++;
        frame = nextFrame;
        total = nextTotal;
        t = next;
        j = nextJ;
      }
      if (t < 0) {
        eT.length = eJ.length = from;
        continue;
      }
      // A branch: the general path below takes this node, with its one entry.
      eT.data[from] = t;
      eJ.data[from] = j;
    }
    if (depth > maxDepth) maxDepth = depth;

    // Candidates and self.
    cT.length = cJ.length = cF.length = cV.length = 0;
    let self = 0;
    for (let e = from; e < to; e++) {
      const t = eT.data[e];
      const j = eJ.data[e];
      const tv = tTotal[t];
      if (t !== 0 && j < framesOf(t)) {
        cT.push(t);
        cJ.push(j + 1);
        cF.push(fr[frameEnd(t) - 1 - j]);
        cV.push(tv);
        continue;
      }
      self += tv;
      // Trie children; transparent ones (hidden locations) pass their children up.
      transparent.length = 0;
      transparent.push(t);
      while (transparent.length > 0) {
        const u = transparent.data[--transparent.length];
        const k = kind[u];
        if (k === 0) continue;
        const o = k === 1 ? -1 : listIndex(children, u);
        const to = o < 0 ? 1 : listStart[o + 1];
        for (let i = o < 0 ? 0 : listStart[o]; i < to; i++) {
          const c = o < 0 ? u + 1 : list[i];
          const cv = tTotal[c];
          self -= cv;
          if (framesOf(c) === 0) {
            self += cv;
            transparent.push(c);
            continue;
          }
          cT.push(c);
          cJ.push(1);
          cF.push(fr[frameEnd(c) - 1]);
          cV.push(cv);
        }
      }
    }
    // pprof drops samples left without any location when hide/show is active.
    if (out === 0 && hideActive) self = 0;

    if (out === 0) {
      // The root's total is only known now: the sum of its children and its own samples.
      for (let c = 0; c < cT.length; c++) total += cV.data[c];
      total += self;
      threshold = Math.abs(total) * pruneFraction;
      fine = threshold;
      if (detail) {
        detailStart = detail.start;
        detailEnd = detail.end;
        fine = Math.min(threshold, Math.abs(total) * detail.pruneFraction);
      }
    }
    output(frame, p, depth, x0, total, self);

    // Candidates of one frame (most nodes below the first branches): one child, nothing to
    // group or sort.
    const cn = cT.length;
    let oneFrame = cn > 0;
    for (let c = 1; c < cn && oneFrame; c++) oneFrame = cF.data[c] === cF.data[0];
    if (oneFrame) {
      let v = 0;
      for (let c = 0; c < cn; c++) v += cV.data[c];
      if (keeps(v, x0)) {
        pushNode(from, from + cn, cF.data[0], out, x0, v);
        if (eT.data.length < from + cn) {
          eT.grow(from + cn);
          eJ.grow(from + cn);
        }
        for (let c = 0; c < cn; c++) {
          eT.data[from + c] = cT.data[c];
          eJ.data[from + c] = cJ.data[c];
        }
        eT.length = eJ.length = from + cn;
      } else {
        eT.length = eJ.length = from;
      }
      continue;
    }

    // Group candidates into child nodes by frame.
    const stamp = out + 1;
    gFrame.length = gTotal.length = gCount.length = 0;
    for (let c = 0; c < cn; c++) {
      const f = cF.data[c];
      let g: number;
      if (groupStamp[f] === stamp) g = groupOf[f];
      else {
        g = gFrame.length;
        groupStamp[f] = stamp;
        groupOf[f] = g;
        gFrame.push(f);
        gTotal.push(0);
        gCount.push(0);
      }
      gTotal.data[g] += cV.data[c];
      gCount.data[g]++;
    }
    const ng = gFrame.length;
    // Children that may be kept, heaviest first (names break ties, as layoutCallTree does). They
    // are laid out one after another, so a child's place is the same whatever the thresholds:
    // the lighter children left out come after it.
    if (order.length < ng) order = new Int32Array(ng * 2);
    let nk = 0;
    for (let g = 0; g < ng; g++) {
      if (Math.abs(gTotal.data[g]) >= fine) order[nk++] = g;
    }
    if (nk === 0) {
      eT.length = eJ.length = from;
      continue;
    }
    const gt = gTotal.data;
    const gf = gFrame.data;
    if (nk <= 16) {
      // Most nodes have a handful of kept children: an insertion sort in place allocates
      // nothing, where TypedArray#sort with a comparator copies into a temporary array. Half a
      // million such allocations would grow V8's young generation by tens of megabytes.
      for (let i = 1; i < nk; i++) {
        const g = order[i];
        let j = i - 1;
        while (j >= 0 && heavierFirst(order[j], g) > 0) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = g;
      }
    } else {
      order.subarray(0, nk).sort(heavierFirst);
    }
    // Lay the kept children out left to right; push them lightest first so the heaviest is
    // expanded next, its entries on top of the entry stack.
    if (gFill.data.length < ng) gFill.grow(ng);
    const fill = gFill.data;
    for (let g = 0; g < ng; g++) fill[g] = -1;
    if (xs.length < nk) xs = new Float64Array(nk * 2);
    let x = x0;
    for (let i = 0; i < nk; i++) {
      xs[i] = x;
      x += Math.max(0, gt[order[i]]);
    }
    let at = from;
    for (let i = nk - 1; i >= 0; i--) {
      const g = order[i];
      if (!keeps(gt[g], xs[i])) continue;
      fill[g] = at;
      pushNode(at, at + gCount.data[g], gf[g], out, xs[i], gt[g]);
      at += gCount.data[g];
    }
    // This node's entries are consumed: its children's entries replace them.
    if (eT.data.length < at) {
      eT.grow(at);
      eJ.grow(at);
    }
    eT.length = eJ.length = at;
    for (let c = 0; c < cn; c++) {
      const g = groupOf[cF.data[c]];
      const dst = fill[g];
      if (dst < 0) continue;
      eT.data[dst] = cT.data[c];
      eJ.data[dst] = cJ.data[c];
      fill[g] = dst + 1;
    }
  }

  return {
    frame: outFrame,
    parent: outParent,
    depth: outDepth,
    start: outStart,
    total: outTotal,
    self: outSelf,
    maxDepth,
  };
}
