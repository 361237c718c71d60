import { buildCallTree, callTreeTotals } from './callTree';
import type { CallTree } from './callTree';
import { compileFilters } from './filters';
import { FrameTable } from './frames';
import { PairMap } from '../collections/pairMap';
import type { Profile } from '../profile/profile';
import type { TopRow, TopTable, ViewOptions } from '../types';

interface FrameValues {
  flat: Float64Array;
  cum: Float64Array;
  present: Uint8Array;
  inlineBits: Uint8Array;
}

/**
 * Flat and cum per frame, as pprof's graph: flat is the leaf's value, cum counts a sample once per
 * frame however often the frame recurses on its stack (only the outermost occurrence adds).
 */
export function frameValues(
  tree: CallTree,
  frameCount: number,
  shown?: Uint8Array,
  edgeCutoff = 0,
): FrameValues {
  const n = tree.nodes.size;
  const parent = tree.nodes.parent.data;
  const frame = tree.nodes.key.data;
  const self = tree.self.data;
  const total = callTreeTotals(tree);
  const flat = new Float64Array(frameCount);
  const cum = new Float64Array(frameCount);
  const present = new Uint8Array(frameCount);

  const childStart = new Int32Array(n + 1);
  for (let i = 1; i < n; i++) childStart[parent[i] + 1]++;
  for (let i = 0; i < n; i++) childStart[i + 1] += childStart[i];
  const fill = childStart.slice(0, n);
  const children = new Int32Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) children[fill[parent[i]]++] = i;

  // Depth-first with an explicit stack; ~node marks "leaving node".
  const onPath = new Int32Array(frameCount);
  const stack = new Int32Array(2 * n + 2);
  let sp = 0;
  for (let c = childStart[0]; c < childStart[1]; c++) stack[sp++] = children[c];
  while (sp > 0) {
    const e = stack[--sp];
    if (e < 0) {
      onPath[frame[~e]]--;
      continue;
    }
    const f = frame[e];
    if (onPath[f] === 0) cum[f] += total[e];
    onPath[f]++;
    flat[f] += self[e];
    present[f] = 1;
    stack[sp++] = ~e;
    for (let c = childStart[e]; c < childStart[e + 1]; c++) stack[sp++] = children[c];
  }
  return {
    flat,
    cum,
    present,
    inlineBits: edgeInlineBits(tree, frameCount, total, childStart, children, shown, edgeCutoff),
  };
}

/**
 * Per frame with an inlined call, pprof's inline label as bits: 1 if some edge into it is
 * inline, 2 if some is not ("inline" = 1, "partial-inline" = 3; other frames get 0). An edge
 * (caller → callee) is inline only if every call node making it was an inlined line; pprof only
 * draws edges between displayed nodes, so an edge comes from the nearest shown ancestor and the
 * labels depend on which rows are shown. Edges lighter than `edgeCutoff` are dropped before the
 * labels are read (pprof's TrimLowFrequencyEdges): an edge weighs the samples whose stack makes
 * it, each once however often it recurses.
 */
function edgeInlineBits(
  tree: CallTree,
  frameCount: number,
  total: Float64Array,
  childStart: Int32Array,
  children: Int32Array,
  shown: Uint8Array | undefined,
  edgeCutoff: number,
): Uint8Array {
  const n = tree.nodes.size;
  const parent = tree.nodes.parent.data;
  const frame = tree.nodes.key.data;
  const position = tree.position;
  const from = new Int32Array(n);
  from[0] = -1;
  for (let i = 1; i < n; i++) {
    const p = parent[i];
    from[i] = p !== 0 && (!shown || shown[frame[p]]) ? frame[p] : from[p];
  }
  const bits = new Uint8Array(frameCount);
  // Only frames reached by an inlined call can get a label: few, as most calls are not inlined.
  // A map of every edge would be millions of pairs on large profiles.
  const mayBeInline = new Uint8Array(frameCount);
  let any = false;
  for (let i = 1; i < n; i++) {
    if (position[i] === 1 && from[i] !== -1 && from[i] !== frame[i]) {
      mayBeInline[frame[i]] = 1;
      any = true;
    }
  }
  if (!any) return bits;
  // Their edges, each with 1 if some call making it was inlined and 2 if some was not.
  const edgeIndex = new PairMap();
  const edgeOf = new Int32Array(n).fill(-1);
  const kinds: number[] = [];
  const callee: number[] = [];
  for (let i = 1; i < n; i++) {
    const f = frame[i];
    if (!mayBeInline[f] || from[i] === -1 || from[i] === f) continue;
    let e = edgeIndex.putIfAbsent(from[i], f, kinds.length);
    if (e < 0) {
      e = kinds.length;
      kinds.push(0);
      callee.push(f);
    }
    kinds[e] |= position[i] === 1 ? 1 : 2;
    edgeOf[i] = e;
  }
  const weight = new Float64Array(kinds.length);
  if (edgeCutoff > 0) {
    // Depth-first, ~node marking "leaving node": a call counts for its edge unless the same
    // edge is already on the path above it.
    const onPath = new Int32Array(kinds.length);
    const stack = new Int32Array(2 * n + 2);
    let sp = 0;
    for (let c = childStart[0]; c < childStart[1]; c++) stack[sp++] = children[c];
    while (sp > 0) {
      const i = stack[--sp];
      if (i < 0) {
        if (edgeOf[~i] >= 0) onPath[edgeOf[~i]]--;
        continue;
      }
      const e = edgeOf[i];
      if (e >= 0) {
        if (onPath[e] === 0) weight[e] += total[i];
        onPath[e]++;
      }
      stack[sp++] = ~i;
      for (let c = childStart[i]; c < childStart[i + 1]; c++) stack[sp++] = children[c];
    }
  }
  for (let e = 0; e < kinds.length; e++) {
    if (edgeCutoff > 0 && Math.abs(weight[e]) < edgeCutoff) continue;
    // Inline only if every call making the edge was.
    bits[callee[e]] |= kinds[e] === 1 ? 1 : 2;
  }
  return bits;
}

/** pprof's CumNameOrder (-cum): |cum|, then name, then |flat|. */
export function compareTopRowsByCum(a: TopRow, b: TopRow): number {
  return (
    Math.abs(b.cum) - Math.abs(a.cum) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
    Math.abs(b.flat) - Math.abs(a.flat)
  );
}

export function compareTopRows(a: TopRow, b: TopRow): number {
  return (
    Math.abs(b.flat) - Math.abs(a.flat) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
    Math.abs(b.cum) - Math.abs(a.cum)
  );
}

/** `go tool pprof -top`'s table, all rows (see pprofTop for -nodecount and the node cutoff). */
export function topTable(profile: Profile, opts: ViewOptions = {}, base?: Profile): TopTable {
  const frames = new FrameTable();
  const filters = compileFilters(opts);
  const tree = buildCallTree(profile, opts, frames, filters);
  const baseTree = base ? buildCallTree(base, opts, frames, filters) : null;
  return makeTable(tree, baseTree, frames);
}

function makeTable(
  tree: CallTree,
  baseTree: CallTree | null,
  frames: FrameTable,
  shown?: Uint8Array,
  edgeCutoff = 0,
): TopTable {
  const values = frameValues(tree, frames.size, shown, edgeCutoff);
  const baseValues = baseTree ? frameValues(baseTree, frames.size, shown) : null;
  const rows: TopRow[] = [];
  for (let f = 0; f < frames.size; f++) {
    if (!values.present[f] && !(baseValues && baseValues.present[f])) continue;
    if (shown && !shown[f]) continue;
    // pprof's graph leaves out nodes whose flat and cum are both zero (e.g. cancelled by -base).
    if (
      values.flat[f] === 0 &&
      values.cum[f] === 0 &&
      !(baseValues && (baseValues.flat[f] !== 0 || baseValues.cum[f] !== 0))
    ) {
      continue;
    }
    const row: TopRow = {
      name: frames.names[f],
      file: frames.files[f],
      flat: values.flat[f],
      cum: values.cum[f],
    };
    const bits = values.inlineBits[f];
    if (bits === 1) row.inlineLabel = 'inline';
    else if (bits === 3) row.inlineLabel = 'partial-inline';
    if (baseValues) {
      row.baseFlat = baseValues.flat[f];
      row.baseCum = baseValues.cum[f];
    }
    rows.push(row);
  }
  rows.sort(compareTopRows);
  const table: TopTable = {
    sampleType: tree.sampleType,
    total: tree.unfilteredTotal,
    keptTotal: tree.keptTotal,
    rows,
  };
  if (baseTree) table.baseTotal = baseTree.unfilteredTotal;
  return table;
}

export interface TrimmedTop {
  rows: TopRow[];
  /** Rows dropped by the node fraction cutoff ("Dropped N nodes (cum <= X)"). */
  dropped: number;
  /** Rows left after the cutoff, before nodecount ("Showing top N nodes out of M"). */
  afterCutoff: number;
  /** The cutoff pprof prints: |total × nodeFraction|. */
  cutoffLabelValue: number;
}

export interface TrimOptions {
  /** pprof's -nodecount (0: all). */
  nodeCount?: number;
  /** pprof's -nodefraction (default 0.005). */
  nodeFraction?: number;
  /** pprof's -cum: rows in order of cum, not flat (before -nodecount picks the first). */
  cum?: boolean;
  /**
   * pprof's -edgefraction (default 0.001): lighter edges are dropped, and a row's inline label
   * is read from the edges left.
   */
  edgeFraction?: number;
}

/**
 * Exactly `go tool pprof -top`: rows with |cum| under nodeFraction of the total are dropped, the
 * first nodeCount rows kept, and inline labels recomputed over the edges between kept rows.
 */
export function pprofTop(
  profile: Profile,
  opts: ViewOptions = {},
  trim: TrimOptions = {},
  base?: Profile,
): TopTable & TrimmedTop {
  const nodeCount = trim.nodeCount ?? 0;
  const nodeFraction = trim.nodeFraction ?? 0.005;
  const edgeFraction = trim.edgeFraction ?? 0.001;
  const frames = new FrameTable();
  const filters = compileFilters(opts);
  const tree = buildCallTree(profile, opts, frames, filters);
  const baseTree = base ? buildCallTree(base, opts, frames, filters) : null;
  const full = makeTable(tree, baseTree, frames);
  let flatSum = 0;
  for (const r of full.rows) flatSum += r.flat;
  const cutoff = Math.abs(Math.trunc(flatSum * nodeFraction));
  const kept = cutoff > 0 ? full.rows.filter((r) => Math.abs(r.cum) >= cutoff) : full.rows;
  if (trim.cum) kept.sort(compareTopRowsByCum);
  const selected = nodeCount > 0 ? kept.slice(0, nodeCount) : kept;
  // pprof rebuilds its graph on the rows kept only when some row went; until then the graph
  // still has the nodes that are no row (flat and cum zero), and edges from them.
  let shown: Uint8Array | undefined;
  if (selected.length < full.rows.length) {
    shown = new Uint8Array(frames.size);
    const frameOf = new Map<string, number>();
    frames.names.forEach((name, f) => frameOf.set(name, f));
    for (const r of selected) shown[frameOf.get(r.name) ?? 0] = 1;
  }
  const edgeCutoff = Math.abs(Math.trunc(flatSum * edgeFraction));
  const table = makeTable(tree, baseTree, frames, shown, edgeCutoff);
  if (trim.cum) table.rows.sort(compareTopRowsByCum);
  return {
    ...table,
    rows: table.rows,
    dropped: full.rows.length - kept.length,
    afterCutoff: kept.length,
    cutoffLabelValue: Math.abs(Math.trunc(full.total * nodeFraction)),
  };
}
