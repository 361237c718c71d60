import { buildCallTree, callTreeTotals, unionWithBase } from './callTree';
import type { CallTree } from './callTree';
import { compileFilters } from './filters';
import { FrameTable } from './frames';
import type { Profile } from './profile';
import type { FlameTree, ViewOptions } from './types';

function totalsOf(tree: CallTree, self: Float64Array): Float64Array {
  const n = tree.nodes.size;
  const total = self.slice(0, n);
  const parent = tree.nodes.parent.data;
  for (let i = n - 1; i > 0; i--) total[parent[i]] += total[i];
  return total;
}

/**
 * Lays a call tree out for a flame graph: preorder, siblings by total descending (left-heavy),
 * nodes narrower than pruneFraction of the root dropped.
 */
export function layoutCallTree(
  tree: CallTree,
  pruneFraction = 0,
  base?: { self: Float64Array; grandTotal: number },
): FlameTree {
  const n = tree.nodes.size;
  const parent = tree.nodes.parent.data;
  const frame = tree.nodes.key.data;
  const self = tree.self.data;
  const total = callTreeTotals(tree);
  const baseTotal = base ? totalsOf(tree, base.self) : null;
  const names = tree.frames.names;

  const threshold = Math.abs(total[0]) * pruneFraction;
  const baseThreshold = baseTotal ? Math.abs(baseTotal[0]) * pruneFraction : 0;
  const keep = (i: number): boolean =>
    threshold === 0 ||
    Math.abs(total[i]) >= threshold ||
    (baseTotal !== null && Math.abs(baseTotal[i]) >= baseThreshold && baseThreshold > 0);

  // Children in CSR form, then sorted per parent.
  const childStart = new Int32Array(n + 1);
  for (let i = 1; i < n; i++) childStart[parent[i] + 1]++;
  for (let i = 0; i < n; i++) childStart[i + 1] += childStart[i];
  const fill = childStart.slice(0, n);
  const children = new Int32Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) children[fill[parent[i]]++] = i;
  const byWeight = (a: number, b: number): number =>
    total[b] - total[a] ||
    (baseTotal ? baseTotal[b] - baseTotal[a] : 0) ||
    (names[frame[a]] < names[frame[b]] ? -1 : names[frame[a]] > names[frame[b]] ? 1 : 0);
  for (let i = 0; i < n; i++) {
    const a = childStart[i];
    const b = childStart[i + 1];
    if (b - a > 1) children.subarray(a, b).sort(byWeight);
  }

  // Preorder walk with an explicit stack (stacks can be thousands deep).
  const order = new Int32Array(n);
  const outParent = new Int32Array(n);
  const outDepth = new Int32Array(n);
  const outStart = new Float64Array(n);
  let count = 0;
  const stack = new Int32Array(n + 1);
  const stackOut = new Int32Array(n + 1);
  // Left edges are known when a parent pushes its children, used when they are popped.
  const pendingStart = new Float64Array(n);
  let sp = 0;
  stack[sp] = 0;
  stackOut[sp++] = -1;
  let maxDepth = 0;
  while (sp > 0) {
    sp--;
    const node = stack[sp];
    const out = count++;
    order[out] = node;
    const p = stackOut[sp];
    outParent[out] = p;
    outDepth[out] = p < 0 ? 0 : outDepth[p] + 1;
    if (outDepth[out] > maxDepth) maxDepth = outDepth[out];
    outStart[out] = node === 0 ? 0 : pendingStart[node];
    // Push children in reverse so the heaviest is visited first; compute their left edges now.
    const a = childStart[node];
    const b = childStart[node + 1];
    let kept = 0;
    for (let c = a; c < b; c++) if (keep(children[c])) kept++;
    let x = outStart[out];
    const base0 = sp;
    sp += kept;
    let k = 0;
    for (let c = a; c < b; c++) {
      const child = children[c];
      if (!keep(child)) continue;
      stack[base0 + kept - 1 - k] = child;
      stackOut[base0 + kept - 1 - k] = out;
      pendingStart[child] = x;
      x += Math.max(0, total[child]);
      k++;
    }
  }
  const subtreeSize = new Int32Array(count).fill(1);
  for (let i = count - 1; i > 0; i--) subtreeSize[outParent[i]] += subtreeSize[i];

  const result: FlameTree = {
    names: tree.frames.names,
    files: tree.frames.files,
    lines: tree.frames.lines,
    frame: new Int32Array(count),
    parent: outParent.slice(0, count),
    depth: outDepth.slice(0, count),
    subtreeSize,
    start: new Float64Array(count),
    total: new Float64Array(count),
    self: new Float64Array(count),
    maxDepth,
    sampleType: tree.sampleType,
    grandTotal: total[0] ?? 0,
  };
  if (baseTotal && base) {
    result.baseTotal = new Float64Array(count);
    result.baseSelf = new Float64Array(count);
    result.baseGrandTotal = baseTotal[0] ?? 0;
  }
  for (let i = 0; i < count; i++) {
    const node = order[i];
    result.frame[i] = node === 0 ? -1 : frame[node];
    result.start[i] = outStart[i];
    result.total[i] = total[node];
    result.self[i] = self[node];
    if (result.baseTotal && result.baseSelf && baseTotal && base) {
      result.baseTotal[i] = baseTotal[node];
      result.baseSelf[i] = base.self[node];
    }
  }
  return result;
}

export function buildFlameTree(profile: Profile, opts: ViewOptions = {}, base?: Profile): FlameTree {
  const frames = new FrameTable();
  const filters = compileFilters(opts);
  const tree = buildCallTree(profile, opts, frames, filters);
  if (!base) {
    return layoutCallTree(tree, opts.pruneFraction ?? 0);
  }
  const baseTree = buildCallTree(base, opts, frames, filters);
  const baseSelf = unionWithBase(tree, baseTree);
  return layoutCallTree(tree, opts.pruneFraction ?? 0, { self: baseSelf, grandTotal: baseTree.keptTotal });
}
