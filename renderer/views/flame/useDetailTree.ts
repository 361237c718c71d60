import { useEffect, useRef, useState } from 'react';
import type { FlameTree, ViewOptions } from '../../model/types';
import type { Viewport } from './layout';
import { FLAME_PRUNE } from './prune';

/** Zoomed in further than this, the whole-profile tree lacks nodes that would be drawn. */
const ZOOM_WITHOUT_DETAIL = 2;

type Range = NonNullable<ViewOptions['detail']>;

interface Request {
  base: FlameTree;
  range: Range;
  /** The visible span the detail was asked for: zooming in past half of it needs more. */
  span: number;
}

interface Detail extends Request {
  tree: FlameTree;
}

/** Whether what `r` asks for (or brought) serves this view of this base tree. */
function serves(r: Request | null, base: FlameTree | null, viewport: Viewport | null): boolean {
  if (!r || r.base !== base || !viewport) return false;
  const span = viewport.end - viewport.start;
  return viewport.start >= r.range.start && viewport.end <= r.range.end && span * 2 >= r.span;
}

/**
 * The tree to draw: `base` (pruned for the whole profile), or, zoomed in, a tree with the detail
 * of the visible range and of one more view's width on each side (panning shows it at once),
 * asked for with `load` (`viewport` is where the view rests, not every frame of a zoom). Both
 * lay nodes out in the same places, so swapping them changes no coordinate; until the detail
 * arrives the view draws what it has.
 */
export function useDetailTree(
  base: FlameTree | null,
  viewport: Viewport | null,
  load: (detail: Range) => Promise<FlameTree>,
): FlameTree | null {
  const [detail, setDetail] = useState<Detail | null>(null);
  // The request under way, if any: a view it will serve asks for nothing more. Its answer is
  // kept whatever the view has done since, unless the base tree changed: the engine answers in
  // order, so dropping answers while the user moves on would leave them waiting for ever.
  const pending = useRef<Request | null>(null);
  const currentBase = useRef(base);
  currentBase.current = base;
  const root = base ? Math.abs(base.total[0]) : 0;
  const span = viewport ? viewport.end - viewport.start : root;
  const zoomed = base !== null && viewport !== null && span * ZOOM_WITHOUT_DETAIL < root;
  const current = serves(detail, base, viewport);

  // A new base (filters, sample type, another view) makes the detail of the old one garbage.
  useEffect(() => {
    setDetail((d) => (d && d.base !== base ? null : d));
  }, [base]);

  useEffect(() => {
    if (!zoomed || current || !base || !viewport) return;
    if (serves(pending.current, base, viewport)) return;
    const request: Request = {
      base,
      span,
      range: {
        start: Math.max(0, viewport.start - span),
        end: Math.min(root, viewport.end + span),
        pruneFraction: (FLAME_PRUNE * span) / root,
      },
    };
    pending.current = request;
    const done = () => {
      if (pending.current === request) pending.current = null;
    };
    load(request.range).then(
      (tree) => {
        done();
        if (currentBase.current === request.base) setDetail({ ...request, tree });
      },
      // The whole-profile tree stays: it only lacks the narrowest nodes.
      done,
    );
    // `load` is a new closure every render; what it asks for is in the other inputs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [base, viewport, zoomed, current]);

  if (!base) return null;
  return zoomed && detail !== null && detail.base === base ? detail.tree : base;
}
