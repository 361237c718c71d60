import { useEffect, useState } from 'react';
import type { FlameTree, ViewOptions } from '../../model/types';
import type { Viewport } from './layout';
import { FLAME_PRUNE } from './prune';

/** Zoomed in further than this, the whole-profile tree lacks nodes that would be drawn. */
const ZOOM_WITHOUT_DETAIL = 2;

/** How long the view must rest before detail is asked for: not at every frame of a zoom. */
const SETTLE_MS = 120;

interface Detail {
  base: FlameTree;
  range: NonNullable<ViewOptions['detail']>;
  /** The visible span the detail was asked for: zooming in past half of it needs more. */
  span: number;
  tree: FlameTree;
}

/**
 * The tree to draw: `base` (pruned for the whole profile), or, zoomed in, a tree with the detail
 * of the visible range and of one more view's width on each side (panning shows it at once),
 * asked for with `load` once the view rests. Both lay nodes out in the same places, so swapping
 * them changes no coordinate; until the detail arrives the view draws what it has.
 */
export function useDetailTree(
  base: FlameTree | null,
  viewport: Viewport | null,
  load: ((detail: Detail['range']) => Promise<FlameTree>) | null,
): FlameTree | null {
  const [detail, setDetail] = useState<Detail | null>(null);
  const root = base ? Math.abs(base.total[0]) : 0;
  const span = viewport ? viewport.end - viewport.start : root;
  const zoomed = base !== null && viewport !== null && span * ZOOM_WITHOUT_DETAIL < root;
  const current =
    detail !== null &&
    detail.base === base &&
    viewport !== null &&
    viewport.start >= detail.range.start &&
    viewport.end <= detail.range.end &&
    span * 2 >= detail.span;

  useEffect(() => {
    if (!zoomed || current || !load || !base || !viewport) return;
    let live = true;
    const timer = setTimeout(() => {
      const range = {
        start: Math.max(0, viewport.start - span),
        end: Math.min(root, viewport.end + span),
        pruneFraction: (FLAME_PRUNE * span) / root,
      };
      load(range).then(
        (tree) => live && setDetail({ base, range, span, tree }),
        // The whole-profile tree stays: it only lacks the narrowest nodes.
        () => undefined,
      );
    }, SETTLE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `load` is a new closure every render; what it asks for is in the other inputs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [base, viewport, zoomed, current]);

  if (!base) return null;
  return zoomed && detail !== null && detail.base === base ? detail.tree : base;
}
