import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { formatPercent, formatValueShort } from '../../model';
import type { FlameTree } from '../../model/types';
import { drawFlame } from './draw';
import {
  ancestry,
  frameLocation,
  frameName,
  fullViewport,
  nodeAt,
  nodeViewport,
  ROW_HEIGHT,
  type Viewport,
} from './layout';
import { useDarkMode } from '../useDarkMode';
import { useElementSize } from '../useElementSize';
import { useSettled } from '../useSettled';
import { download, flameToSvg } from '../exportView';

export interface FlameGraphProps {
  tree: FlameTree;
  inverted: boolean;
  matched: Uint8Array | null;
  /** Called with the frame name on double-click (sandwich) — optional. */
  onOpenFunction?: (name: string) => void;
  /** File name stem for PNG/SVG export of the graph; no export buttons without it. */
  exportName?: string;
  /** Zoom to this node of this tree when it changes (search's Enter cycles through matches). */
  zoomRequest?: { node: number; tree: FlameTree } | null;
  /**
   * The view (zoom, hover) starts over when this changes; by default when the tree does. Trees
   * that lay the same nodes out in the same places (more or less detail, see useDetailTree)
   * share one: the view then stays where it is.
   */
  layoutKey?: unknown;
  /** Told where the view is once it rests (not at every frame of a zoom or pan). */
  onViewportRest?: (viewport: Viewport) => void;
  /**
   * What "% of all" is of: the whole profile's total before filters, as pprof's flat% and cum%
   * (and the Top table) count it. The tree's own root total when not given.
   */
  allTotal?: number;
  /** The filtered profile's total, for "% of shown" when filters drop samples. */
  shownTotal?: number;
}

/** Zoom paths longer than this show their first two and last frames, the rest folded. */
const CRUMBS_SHOWN = 10;
const CRUMBS_HEAD = 2;

/** How long the view must stay put to count as resting. */
const VIEW_REST_MS = 120;

interface Hover {
  node: number;
  /** The tree `node` indexes: a hover outlives no tree swap. */
  tree: FlameTree;
  x: number;
  y: number;
}

/**
 * A node by its place (depth, a value inside it) rather than its index: places hold across
 * trees of one layout (more or less detail), indices do not.
 */
interface Place {
  depth: number;
  at: number;
}

function placeOf(tree: FlameTree, node: number): Place | null {
  return node > 0 ? { depth: tree.depth[node], at: tree.start[node] + tree.total[node] / 2 } : null;
}

export function FlameGraph({
  tree,
  inverted,
  matched,
  onOpenFunction,
  zoomRequest,
  exportName,
  layoutKey = tree,
  onViewportRest,
  allTotal,
  shownTotal,
}: FlameGraphProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const width = Math.max(200, useElementSize(wrapRef).width);
  const [viewport, setViewport] = useState<Viewport>(() => fullViewport(tree));
  const [zoomPlace, setZoomPlace] = useState<Place | null>(null);
  const zoomNode = useMemo(
    () => (zoomPlace ? Math.max(0, nodeAt(tree, zoomPlace.depth, zoomPlace.at)) : 0),
    [tree, zoomPlace],
  );
  const [hoverState, setHover] = useState<Hover | null>(null);
  const hover = hoverState?.tree === tree ? hoverState : null;
  const firstDrawn = useRef(false);
  const drag = useRef<{ x: number; start: Viewport; moved: boolean } | null>(null);
  const dark = useDarkMode();
  const height = (tree.maxDepth + 1) * ROW_HEIGHT;
  const diff = tree.baseTotal !== undefined;

  // Flame orientation puts the root at the bottom: start there, not at the leaves.
  useEffect(() => {
    const el = wrapRef.current;
    if (el) el.scrollTop = inverted ? el.scrollHeight : 0;
  }, [inverted, tree]);

  useEffect(() => {
    setViewport(fullViewport(tree));
    setZoomPlace(null);
    // Only on a new layout: `tree` is read then, not followed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [layoutKey]);

  const rested = useSettled(viewport, VIEW_REST_MS);
  useEffect(() => onViewportRest?.(rested), [rested, onViewportRest]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    const t0 = performance.now();
    const drawn = drawFlame(ctx, tree, {
      width,
      height,
      dpr,
      viewport,
      inverted,
      dark,
      diff,
      matched,
      hovered: hover?.node ?? -1,
    });
    if (!firstDrawn.current && drawn > 0) {
      firstDrawn.current = true;
      performance.mark('profscope:first-flame');
    }
    canvas.dataset.drawn = String(drawn);
    canvas.dataset.nodes = String(tree.frame.length);
    canvas.dataset.drawMs = (performance.now() - t0).toFixed(2);
  }, [tree, width, height, viewport, inverted, dark, diff, matched, hover?.node]);

  const nodeAtEvent = useCallback(
    (clientX: number, clientY: number): number => {
      const canvas = canvasRef.current;
      if (!canvas) return -1;
      const rect = canvas.getBoundingClientRect();
      const x = clientX - rect.left;
      const row = Math.floor((clientY - rect.top) / ROW_HEIGHT);
      const depth = inverted ? tree.maxDepth - row : row;
      const v = viewport.start + (x / width) * (viewport.end - viewport.start);
      return nodeAt(tree, depth, v);
    },
    [tree, inverted, viewport, width],
  );

  /** Zooms to `node` of `of` (the tree shown, or the one a zoom request was made on). */
  const zoomTo = useCallback(
    (node: number, of: FlameTree = tree) => {
      setZoomPlace(placeOf(of, node));
      setViewport(nodeViewport(of, node));
    },
    [tree],
  );

  const reset = useCallback(() => zoomTo(0), [zoomTo]);

  useEffect(() => {
    if (zoomRequest) zoomTo(zoomRequest.node, zoomRequest.tree);
    // A request is carried out once, not again when a detailed tree replaces this one.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [zoomRequest]);

  const zoomBy = useCallback(
    (factor: number, anchorFraction = 0.5) => {
      setViewport((vp) => {
        const full = fullViewport(tree);
        const span = vp.end - vp.start;
        const newSpan = Math.min(full.end, Math.max(span * factor, full.end * 1e-7));
        const anchor = vp.start + span * anchorFraction;
        let start = anchor - newSpan * anchorFraction;
        start = Math.max(0, Math.min(start, full.end - newSpan));
        return { start, end: start + newSpan };
      });
    },
    [tree],
  );

  const panBy = useCallback(
    (fraction: number) => {
      setViewport((vp) => {
        const full = fullViewport(tree);
        const span = vp.end - vp.start;
        const start = Math.max(0, Math.min(vp.start + span * fraction, full.end - span));
        return { start, end: start + span };
      });
    },
    [tree],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
      // Graphs in hidden tabs stay mounted; only a visible one takes keys.
      if (canvasRef.current?.offsetParent === null) return;
      if (e.key === 'r' || e.key === 'Escape') reset();
      else if (e.key === '+' || e.key === '=') zoomBy(0.7);
      else if (e.key === '-') zoomBy(1 / 0.7);
      else if (e.key === 'ArrowLeft') panBy(-0.1);
      else if (e.key === 'ArrowRight') panBy(0.1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [reset, zoomBy, panBy]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    // Ctrl/⌘+wheel and trackpad pinch zoom around the pointer; horizontal wheel pans, as in speedscope.
    const onWheel = (e: WheelEvent) => {
      const rect = canvas.getBoundingClientRect();
      if (e.ctrlKey || e.metaKey) {
        e.preventDefault();
        zoomBy(Math.exp(e.deltaY * 0.01), (e.clientX - rect.left) / rect.width);
      } else if (Math.abs(e.deltaX) > Math.abs(e.deltaY) || e.shiftKey) {
        e.preventDefault();
        panBy((e.shiftKey ? e.deltaY : e.deltaX) / rect.width);
      }
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, [zoomBy, panBy]);

  const crumbs = useMemo(() => ancestry(tree, zoomNode), [tree, zoomNode]);
  // A deep zoom path would fill several lines above the graph: its middle folds into one button
  // that unfolds it, for this zoom (not a more detailed tree's same node: that has the place).
  const [unfoldedAt, setUnfoldedAt] = useState<Place | null>(null);
  const foldFrom = CRUMBS_HEAD;
  const foldTo =
    unfoldedAt === zoomPlace || crumbs.length <= CRUMBS_SHOWN
      ? foldFrom
      : crumbs.length - (CRUMBS_SHOWN - CRUMBS_HEAD - 1);
  const hovered = hover && hover.node >= 0 ? hover.node : -1;
  const crumb = (n: number, separated: boolean) => (
    <span key={n}>
      {separated && <span className="crumb-sep">›</span>}
      <button className="crumb" onClick={() => zoomTo(n)} title={frameName(tree, n)}>
        {frameName(tree, n)}
      </button>
    </span>
  );

  return (
    <div className="flame" data-testid="flame-graph">
      <nav className="breadcrumbs" aria-label="Zoom path" data-testid="breadcrumbs">
        {crumbs.slice(0, foldFrom).map((n, idx) => crumb(n, idx > 0))}
        {foldTo > foldFrom && (
          <span key="folded">
            <span className="crumb-sep">›</span>
            <button
              className="crumb"
              data-testid="crumbs-folded"
              title={crumbs
                .slice(foldFrom, foldTo)
                .map((c) => frameName(tree, c))
                .join('\n')}
              onClick={() => setUnfoldedAt(zoomPlace)}
            >
              … {foldTo - foldFrom} more
            </button>
          </span>
        )}
        {crumbs.slice(Math.max(foldFrom, foldTo)).map((n) => crumb(n, true))}
      </nav>
      {exportName && (
        <div className="flame-export">
          <button
            data-testid="export-png"
            onClick={() =>
              canvasRef.current?.toBlob(
                (blob) => blob && download(`${exportName}.png`, blob, 'image/png'),
              )
            }
          >
            PNG
          </button>
          <button
            data-testid="export-svg"
            onClick={() =>
              download(
                `${exportName}.svg`,
                flameToSvg(tree, viewport, width, inverted),
                'image/svg+xml',
              )
            }
          >
            SVG
          </button>
        </div>
      )}
      <div className="flame-scroll" ref={wrapRef}>
        <canvas
          ref={canvasRef}
          data-testid="flame-canvas"
          style={{ width, height }}
          onMouseMove={(e) => {
            const d = drag.current;
            if (d) {
              const dx = e.clientX - d.x;
              if (Math.abs(dx) > 3) d.moved = true;
              const span = d.start.end - d.start.start;
              const full = fullViewport(tree);
              const start = Math.max(
                0,
                Math.min(d.start.start - (dx / width) * span, full.end - span),
              );
              setViewport({ start, end: start + span });
              return;
            }
            setHover({
              node: nodeAtEvent(e.clientX, e.clientY),
              tree,
              x: e.clientX,
              y: e.clientY,
            });
          }}
          onMouseLeave={() => {
            setHover(null);
            drag.current = null;
          }}
          onMouseDown={(e) => {
            drag.current = { x: e.clientX, start: viewport, moved: false };
          }}
          onMouseUp={(e) => {
            const d = drag.current;
            drag.current = null;
            if (d?.moved) return;
            const node = nodeAtEvent(e.clientX, e.clientY);
            if (node >= 0) zoomTo(node);
          }}
          onDoubleClick={(e) => {
            const node = nodeAtEvent(e.clientX, e.clientY);
            if (node > 0 && onOpenFunction) onOpenFunction(frameName(tree, node));
          }}
        />
      </div>
      {hover && hovered >= 0 && (
        <FlameTooltip
          tree={tree}
          node={hovered}
          x={hover.x}
          y={hover.y}
          allTotal={allTotal ?? tree.grandTotal}
          shownTotal={shownTotal}
        />
      )}
    </div>
  );
}

function FlameTooltip({
  tree,
  node,
  x,
  y,
  allTotal,
  shownTotal,
}: {
  tree: FlameTree;
  node: number;
  x: number;
  y: number;
  allTotal: number;
  shownTotal?: number;
}) {
  const unit = tree.sampleType.unit;
  const parent = tree.parent[node];
  const ofParent =
    parent >= 0 && tree.total[parent] > 0 ? tree.total[node] / tree.total[parent] : 1;
  const all = allTotal || 1;
  // "of shown" only when the filters dropped samples: otherwise it repeats "of all".
  const shown = shownTotal !== undefined && shownTotal !== allTotal ? shownTotal || 1 : null;
  // As wide as .flame-tooltip may be (styles.css), so that it stays inside the window.
  const left = Math.min(x + 14, window.innerWidth - 500);
  const top = Math.min(y + 14, window.innerHeight - 140);
  return (
    <div
      className="tooltip flame-tooltip"
      role="tooltip"
      data-testid="flame-tooltip"
      style={{ left, top }}
    >
      <div className="tooltip-name">{frameName(tree, node)}</div>
      {frameLocation(tree, node) && <div className="tooltip-loc">{frameLocation(tree, node)}</div>}
      <table>
        <tbody>
          <tr>
            <th>Total</th>
            <td>{formatValueShort(tree.total[node], unit)}</td>
            <td data-testid="tooltip-total-of-all">
              {formatPercent(tree.total[node], all).trim()} of all
            </td>
            {shown !== null && <td>{formatPercent(tree.total[node], shown)} of shown</td>}
            <td>{formatPercent(ofParent, 1)} of parent</td>
          </tr>
          <tr>
            <th>Self</th>
            <td>{formatValueShort(tree.self[node], unit)}</td>
            <td>{formatPercent(tree.self[node], all)} of all</td>
            {shown !== null && <td>{formatPercent(tree.self[node], shown)} of shown</td>}
            <td />
          </tr>
          {tree.baseTotal && (
            <tr>
              <th>Base</th>
              <td>{formatValueShort(tree.baseTotal[node], unit)}</td>
              <td>{formatPercent(tree.baseTotal[node], tree.baseGrandTotal ?? 0)} of base</td>
              {shown !== null && <td />}
              <td />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
