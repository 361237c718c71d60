import type { FlameTree } from '../../model/types';

export const ROW_HEIGHT = 18;

export interface Viewport {
  /** Visible range in value units, measured like FlameTree.start. */
  start: number;
  end: number;
}

export function fullViewport(tree: FlameTree): Viewport {
  return { start: 0, end: Math.max(tree.total[0], 1e-9) };
}

export function nodeViewport(tree: FlameTree, node: number): Viewport {
  return { start: tree.start[node], end: tree.start[node] + Math.max(tree.total[node], 1e-9) };
}

/** The row a node is drawn in: depth from the top (icicle) or from the bottom (flame). */
export function rowOf(tree: FlameTree, depth: number, inverted: boolean): number {
  return inverted ? tree.maxDepth - depth : depth;
}

/** The node at a depth covering value `v`, walking down from the root; -1 if none. */
export function nodeAt(tree: FlameTree, depth: number, v: number): number {
  if (depth < 0 || depth > tree.maxDepth) return -1;
  let i = 0;
  if (v < tree.start[0] || v >= tree.start[0] + tree.total[0]) return -1;
  while (tree.depth[i] < depth) {
    const end = i + tree.subtreeSize[i];
    let c = i + 1;
    let found = -1;
    while (c < end) {
      if (v >= tree.start[c] && v < tree.start[c] + tree.total[c]) {
        found = c;
        break;
      }
      c += tree.subtreeSize[c];
    }
    if (found < 0) return -1;
    i = found;
  }
  return i;
}

/** Root-to-node path, for breadcrumbs. */
export function ancestry(tree: FlameTree, node: number): number[] {
  const path: number[] = [];
  for (let i = node; i >= 0; i = tree.parent[i]) path.unshift(i);
  return path;
}

export function frameName(tree: FlameTree, node: number): string {
  const f = tree.frame[node];
  return f < 0 ? 'all' : tree.names[f];
}

export function frameLocation(tree: FlameTree, node: number): string {
  const f = tree.frame[node];
  if (f < 0) return '';
  const file = tree.files[f];
  const line = tree.lines[f];
  return file ? (line > 0 ? `${file}:${line}` : file) : '';
}
