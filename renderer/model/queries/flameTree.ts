import { buildCallTree, callTreeTotals, unionWithBase } from './callTree';
import type { CallTree } from './callTree';
import { compileFilters } from './filters';
import { buildFlameTreeDirect } from './flameDirect';
import { FrameTable } from './frames';
import type { Profile } from '../profile/profile';
import type { FlameTree, ViewOptions } from '../types';

function totalsOf(tree: CallTree, self: Float64Array): Float64Array {
  const n = tree.nodes.size;
  const total = self.slice(0, n);
  const parent = tree.nodes.parent.data;
  for (let i = n - 1; i > 0; i--) total[parent[i]] += total[i];
  return total;
}

/**
 * Lays a call tree out for a flame graph: preorder, siblings by total descending (left-heavy),
 * nodes narrower than pruneFraction of the root dropped (in the detail range: than its own
 * pruneFraction; see ViewOptions.detail).
 */
export function layoutCallTree(
  tree: CallTree,
  pruneFraction = 0,
  base?: { self: Float64Array; grandTotal: number },
  detail?: ViewOptions['detail'],
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
  // Inside the detail range nodes down to `fine` are kept (laid out with the others either way,
  // so that every node has the same place whatever the thresholds).
  const fineFraction = detail ? Math.min(pruneFraction, detail.pruneFraction) : pruneFraction;
  const fine = Math.abs(total[0]) * fineFraction;
  const baseFine = baseTotal ? Math.abs(baseTotal[0]) * fineFraction : 0;
  const wide = (i: number, t: number, bt: number): boolean =>
    Math.abs(total[i]) >= t || (baseTotal !== null && bt > 0 && Math.abs(baseTotal[i]) >= bt);

  // Children in CSR form (narrow ones left out), then sorted per parent.
  const kept = new Uint8Array(n);
  for (let i = 1; i < n; i++) if (threshold === 0 || wide(i, fine, baseFine)) kept[i] = 1;
  if (baseTotal && threshold !== 0) {
    // A node kept for its base value can be lighter than siblings left out, which come before
    // it: they are laid out too (not drawn), so that its place is the same whatever is pruned.
    const lightestKept = new Float64Array(n).fill(Infinity);
    for (let i = 1; i < n; i++)
      if (kept[i] && total[i] < lightestKept[parent[i]]) lightestKept[parent[i]] = total[i];
    for (let i = 1; i < n; i++) if (total[i] >= lightestKept[parent[i]]) kept[i] = 1;
  }
  const childStart = new Int32Array(n + 1);
  for (let i = 1; i < n; i++) if (kept[i]) childStart[parent[i] + 1]++;
  for (let i = 0; i < n; i++) childStart[i + 1] += childStart[i];
  const fill = childStart.slice(0, n);
  const children = new Int32Array(childStart[n]);
  for (let i = 1; i < n; i++) if (kept[i]) children[fill[parent[i]]++] = i;
  const byWeight = (a: number, b: number): number =>
    total[b] - total[a] ||
    (baseTotal ? baseTotal[b] - baseTotal[a] : 0) ||
    (names[frame[a]] < names[frame[b]] ? -1 : names[frame[a]] > names[frame[b]] ? 1 : 0);
  for (let i = 0; i < n; i++) {
    const a = childStart[i];
    const b = childStart[i + 1];
    if (b - a > 1) children.subarray(a, b).sort(byWeight);
  }

  // Preorder walk with an explicit stack (stacks can be thousands deep), writing the output
  // arrays directly. Only nodes reachable through kept children are visited.
  const outFrame = new Int32Array(n);
  const outParent = new Int32Array(n);
  const outDepth = new Int32Array(n);
  const outStart = new Float64Array(n);
  const outTotal = new Float64Array(n);
  const outSelf = new Float64Array(n);
  const outBaseTotal = baseTotal ? new Float64Array(n) : null;
  const outBaseSelf = baseTotal ? new Float64Array(n) : null;
  const stack = new Int32Array(n + 1);
  const stackOut = new Int32Array(n + 1);
  // Left edges are known when a parent pushes its children, used when they are popped.
  const pendingStart = new Float64Array(n);
  let count = 0;
  let sp = 0;
  stack[sp] = 0;
  stackOut[sp++] = -1;
  let maxDepth = 0;
  while (sp > 0) {
    sp--;
    const node = stack[sp];
    const out = count++;
    const p = stackOut[sp];
    const depth = p < 0 ? 0 : outDepth[p] + 1;
    outParent[out] = p;
    outDepth[out] = depth;
    if (depth > maxDepth) maxDepth = depth;
    const x0 = node === 0 ? 0 : pendingStart[node];
    outStart[out] = x0;
    outFrame[out] = node === 0 ? -1 : frame[node];
    outTotal[out] = total[node];
    outSelf[out] = self[node];
    if (outBaseTotal && outBaseSelf && baseTotal && base) {
      outBaseTotal[out] = baseTotal[node];
      outBaseSelf[out] = base.self[node];
    }
    // Lay the children out, then push the ones kept in reverse so the heaviest is visited first.
    const a = childStart[node];
    const b = childStart[node + 1];
    let x = x0;
    for (let c = a; c < b; c++) {
      const child = children[c];
      pendingStart[child] = x;
      x += Math.max(0, total[child]);
    }
    for (let c = b - 1; c >= a; c--) {
      const child = children[c];
      const cx = pendingStart[child];
      const inDetail =
        detail !== undefined &&
        cx <= detail.end &&
        cx + Math.max(0, total[child]) >= detail.start &&
        wide(child, fine, baseFine);
      if (threshold !== 0 && !wide(child, threshold, baseThreshold) && !inDetail) continue;
      stack[sp] = child;
      stackOut[sp++] = out;
    }
  }
  const subtreeSize = new Int32Array(count).fill(1);
  for (let i = count - 1; i > 0; i--) subtreeSize[outParent[i]] += subtreeSize[i];
  const fit = <T extends Int32Array | Float64Array>(a: T): T =>
    count === n ? a : (a.slice(0, count) as T);

  const result: FlameTree = {
    names: tree.frames.names,
    files: tree.frames.files,
    lines: tree.frames.lines,
    frame: fit(outFrame),
    parent: fit(outParent),
    depth: fit(outDepth),
    subtreeSize,
    start: fit(outStart),
    total: fit(outTotal),
    self: fit(outSelf),
    maxDepth,
    sampleType: tree.sampleType,
    grandTotal: total[0] ?? 0,
  };
  if (outBaseTotal && outBaseSelf && baseTotal) {
    result.baseTotal = fit(outBaseTotal);
    result.baseSelf = fit(outBaseSelf);
    result.baseGrandTotal = baseTotal[0] ?? 0;
  }
  return result;
}

export function buildFlameTree(
  profile: Profile,
  opts: ViewOptions = {},
  base?: Profile,
): FlameTree {
  if (!base) return buildFlameTreeDirect(profile, opts);
  const frames = new FrameTable();
  const filters = compileFilters(opts);
  const tree = buildCallTree(profile, opts, frames, filters);
  const baseTree = buildCallTree(base, opts, frames, filters);
  const baseSelf = unionWithBase(tree, baseTree);
  return layoutCallTree(
    tree,
    opts.pruneFraction ?? 0,
    { self: baseSelf, grandTotal: baseTree.keptTotal },
    opts.detail,
  );
}
