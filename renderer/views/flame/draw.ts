import type { FlameTree } from '../../model/types';
import { diffColor, packageColor } from './colors';
import { frameName, ROW_HEIGHT, rowOf, type Viewport } from './layout';

/** Package colours per frame, computed once per tree and theme: a redraw only looks them up. */
const colorCache = new WeakMap<FlameTree, { dark: boolean; colors: (string | undefined)[] }>();

function frameColor(tree: FlameTree, node: number, dark: boolean): string {
  let entry = colorCache.get(tree);
  if (!entry || entry.dark !== dark) {
    entry = { dark, colors: [] };
    colorCache.set(tree, entry);
  }
  const f = tree.frame[node] + 1; // the root's frame is -1
  return (entry.colors[f] ??= packageColor(frameName(tree, node), dark));
}

export interface DrawOptions {
  width: number;
  height: number;
  dpr: number;
  viewport: Viewport;
  inverted: boolean;
  dark: boolean;
  diff: boolean;
  /** Per node: 1 where the search matched; when set, other frames are dimmed. */
  matched: Uint8Array | null;
  hovered: number;
}

/**
 * Draws the visible part of the tree. Subtrees narrower than a fraction of a pixel or out
 * of view are skipped whole (the preorder layout makes a subtree one contiguous range),
 * so the cost follows what is on screen, not the size of the profile.
 */
export function drawFlame(ctx: CanvasRenderingContext2D, tree: FlameTree, o: DrawOptions): number {
  ctx.setTransform(o.dpr, 0, 0, o.dpr, 0, 0);
  ctx.clearRect(0, 0, o.width, o.height);
  ctx.font = '11px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
  ctx.textBaseline = 'middle';
  const charWidth = ctx.measureText('M').width || 7;
  const span = o.viewport.end - o.viewport.start;
  const scale = o.width / span;
  const dimColor = o.dark ? '#3a3a40' : '#dcdcdc';
  const textColor = o.dark ? '#f0f0f0' : '#111';
  const n = tree.frame.length;
  let drawn = 0;
  let lastFill = '';
  let i = 0;
  while (i < n) {
    const x0 = (tree.start[i] - o.viewport.start) * scale;
    const w = tree.total[i] * scale;
    if (w < 0.35 || x0 >= o.width || x0 + w <= 0) {
      i += tree.subtreeSize[i];
      continue;
    }
    const y = rowOf(tree, tree.depth[i], o.inverted) * ROW_HEIGHT;
    const x = Math.max(0, x0);
    const right = Math.min(o.width, x0 + w);
    const dimmed = o.matched !== null && o.matched[i] === 0;
    const fill = dimmed
      ? dimColor
      : o.diff
        ? diffColor(tree, i, o.dark)
        : frameColor(tree, i, o.dark);
    // Setting fillStyle parses the colour; neighbours often share one.
    if (fill !== lastFill) {
      ctx.fillStyle = fill;
      lastFill = fill;
    }
    ctx.fillRect(x, y, Math.max(right - x - (w > 2 ? 1 : 0), 0.5), ROW_HEIGHT - 1);
    if (i === o.hovered) {
      ctx.strokeStyle = textColor;
      ctx.lineWidth = 1.5;
      ctx.strokeRect(x + 0.75, y + 0.75, Math.max(right - x - 2.5, 0.5), ROW_HEIGHT - 2.5);
    }
    const room = right - x - 6;
    const chars = Math.floor(room / charWidth);
    if (chars >= 3) {
      const name = frameName(tree, i);
      ctx.fillStyle = dimmed ? (o.dark ? '#888' : '#777') : textColor;
      lastFill = '';
      const label = name.length <= chars ? name : `${name.slice(0, chars - 1)}…`;
      ctx.fillText(label, x + 3, y + ROW_HEIGHT / 2);
    }
    drawn++;
    i++;
  }
  return drawn;
}
