// The timeline itself: one bar per file in its component's lane, CPU in cores, ticks at round
// times. Drag selects (Shift-drag sets the baseline), the wheel zooms about the pointer,
// Shift-wheel and the arrow keys pan; the overview strip under it shows where the window is.
import { useEffect, useRef, useState } from 'react';
import { formatValueShort } from '../model';
import { roundTicks, tickLabel, zoomWindow, panWindow, type Window } from './timeAxis';
import { barValue, covers, endOf, type Entry, type TimeRange } from './timelineData';
import { useWindowDrag } from './useWindowDrag';

export const PAD = { left: 64, right: 16, top: 10, bottom: 24 };
const LANE_ONE = 180;
const LANE_MANY = 84;

export interface TimelineChartProps {
  entries: Entry[];
  lanes: string[];
  width: number;
  full: Window;
  win: Window;
  onWindow: (w: Window) => void;
  selection: TimeRange | null;
  baseline: TimeRange | null;
  /** 'selection' for a drag or click, 'baseline' with Shift (or the baseline brush). */
  onRange: (which: 'selection' | 'baseline', r: TimeRange | null) => void;
  brush: 'selection' | 'baseline';
  onOpenFile: (e: Entry) => void;
}

function formatAxis(value: number, unit: string): string {
  if (unit === 'cores') return `${value.toFixed(value < 10 ? 2 : 1)} cores`;
  return formatValueShort(value, unit);
}

export function TimelineChart(props: TimelineChartProps) {
  const { entries, lanes, width, full, win, onWindow, selection, baseline } = props;
  const laneH = lanes.length > 1 ? LANE_MANY : LANE_ONE;
  const height = PAD.top + lanes.length * laneH + PAD.bottom;
  const plotW = Math.max(1, width - PAD.left - PAD.right);
  const span = Math.max(win.t1 - win.t0, 1);
  const x = (ms: number) => PAD.left + ((ms - win.t0) / span) * plotW;
  const msAt = (px: number) => win.t0 + ((px - PAD.left) / plotW) * span;
  const laneAt = (py: number) =>
    lanes.length > 1
      ? (lanes[Math.min(lanes.length - 1, Math.max(0, Math.floor((py - PAD.top) / laneH)))] ?? null)
      : null;

  const ready = entries.filter((e) => e.status === 'ready');
  const values = ready.map(barValue);
  const unit = values[0]?.unit ?? '';
  const max = Math.max(1e-9, ...values.map((v) => v.value));
  const visible = ready.filter((e) => endOf(e) > win.t0 && e.startMs < win.t1);
  const { step, times } = roundTicks(win, plotW);

  const svgRef = useRef<SVGSVGElement>(null);
  const drag = useRef<{
    which: 'selection' | 'baseline';
    from: number;
    lane: string | null;
  } | null>(null);
  const [hover, setHover] = useState<{ entry: Entry; x: number; y: number } | null>(null);
  const startDrag = useWindowDrag({
    move: (e) => {
      const d = drag.current;
      if (!d) return;
      const t = msAt(local(e).px);
      props.onRange(d.which, { from: Math.min(d.from, t), to: Math.max(d.from, t), lane: d.lane });
    },
    up: (e) => {
      const d = drag.current;
      drag.current = null;
      if (!d) return;
      const t = msAt(local(e).px);
      // A click, not a drag: the bar under it alone, or nothing on empty space.
      if (Math.abs(x(t) - x(d.from)) < 3) {
        const hit = visible.find(
          (b) => b.startMs <= t && endOf(b) >= t && (d.lane === null || b.component === d.lane),
        );
        props.onRange(d.which, hit ? { from: hit.startMs, to: endOf(hit), lane: d.lane } : null);
      }
    },
  });
  const local = (e: { clientX: number; clientY: number }) => {
    const r = svgRef.current?.getBoundingClientRect();
    return { px: e.clientX - (r?.left ?? 0), py: e.clientY - (r?.top ?? 0) };
  };

  // The wheel must be able to cancel the page's scroll, which React's passive listener cannot.
  const wheelState = useRef({ win, full, msAt, onWindow });
  wheelState.current = { win, full, msAt, onWindow };
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const onWheel = (e: WheelEvent) => {
      const s = wheelState.current;
      e.preventDefault();
      const horizontal = e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY);
      if (horizontal) {
        const d = e.shiftKey ? e.deltaY : e.deltaX;
        s.onWindow(panWindow(s.win, s.full, d / 1000));
      } else {
        const r = svg.getBoundingClientRect();
        const at = s.msAt(e.clientX - r.left);
        s.onWindow(zoomWindow(s.win, s.full, at, Math.exp(e.deltaY / 400)));
      }
    };
    svg.addEventListener('wheel', onWheel, { passive: false });
    return () => svg.removeEventListener('wheel', onWheel);
  }, []);

  const onKey = (e: React.KeyboardEvent) => {
    const mid = (win.t0 + win.t1) / 2;
    const moves: Record<string, () => Window> = {
      ArrowLeft: () => panWindow(win, full, -0.2),
      ArrowRight: () => panWindow(win, full, 0.2),
      '+': () => zoomWindow(win, full, mid, 0.5),
      '=': () => zoomWindow(win, full, mid, 0.5),
      '-': () => zoomWindow(win, full, mid, 2),
      '0': () => full,
    };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      onWindow(move());
    } else if (e.key === 'Escape') {
      props.onRange('selection', null);
      props.onRange('baseline', null);
    }
  };

  const brushRect = (r: TimeRange | null, cls: string) => {
    if (!r) return null;
    const li = r.lane === null ? -1 : lanes.indexOf(r.lane);
    const y = PAD.top + (li < 0 ? 0 : li * laneH);
    const h = li < 0 ? lanes.length * laneH : laneH;
    const x0 = Math.max(PAD.left, x(r.from));
    const x1 = Math.min(PAD.left + plotW, x(r.to));
    if (x1 < x0) return null;
    return <rect className={`brush ${cls}`} x={x0} y={y} width={Math.max(1, x1 - x0)} height={h} />;
  };

  return (
    <>
      <svg
        ref={svgRef}
        width={width}
        height={height}
        className="timeline-chart"
        data-testid="timeline-chart"
        tabIndex={0}
        aria-label="Timeline: drag to select, Shift-drag for a baseline, wheel to zoom, arrows to pan"
        onKeyDown={onKey}
        onMouseDown={(e) => {
          if (e.button !== 0) return;
          const { px, py } = local(e);
          const which = e.shiftKey ? 'baseline' : props.brush;
          drag.current = { which, from: msAt(px), lane: laneAt(py) };
          startDrag();
        }}
        onMouseLeave={() => setHover(null)}
      >
        <defs>
          <clipPath id="timeline-plot">
            <rect x={PAD.left} y={0} width={plotW} height={height} />
          </clipPath>
        </defs>
        {lanes.map((lane, li) => {
          const top = PAD.top + li * laneH;
          return (
            <g key={lane || '-'} className="timeline-lane">
              <line
                x1={PAD.left}
                x2={PAD.left + plotW}
                y1={top + laneH}
                y2={top + laneH}
                className="axis"
              />
              <text x={PAD.left - 6} y={top + 10} className="axis-label" textAnchor="end">
                {formatAxis(max, unit)}
              </text>
              {lanes.length > 1 && (
                <text
                  x={PAD.left + 4}
                  y={top + 12}
                  className="lane-label"
                  data-testid="timeline-lane"
                >
                  {lane || 'other'}
                </text>
              )}
            </g>
          );
        })}
        {times.map((t, i) => (
          <g key={t}>
            <line
              x1={x(t)}
              x2={x(t)}
              y1={PAD.top}
              y2={PAD.top + lanes.length * laneH + 4}
              className="tick"
            />
            <text
              x={x(t)}
              y={height - 6}
              className="axis-label"
              // The last label would run off the chart's right edge: it ends at its tick.
              textAnchor={x(t) > width - 50 ? 'end' : 'middle'}
              data-testid="timeline-tick"
            >
              {tickLabel(t, step, i === 0)}
            </text>
          </g>
        ))}
        <g clipPath="url(#timeline-plot)">
          {brushRect(baseline, 'brush-b')}
          {brushRect(selection, 'brush-a')}
          {visible.map((e) => {
            const li = Math.max(0, lanes.indexOf(e.component));
            const bottom = PAD.top + (li + 1) * laneH;
            const bx = x(e.startMs);
            const bw = Math.max(1, x(endOf(e)) - bx - 1);
            const bh = (barValue(e).value / max) * (laneH - 14);
            const inSel = covers(selection, e);
            const inBase = covers(baseline, e);
            return (
              <rect
                key={e.file.path}
                className={`bar ${inSel ? 'in-a' : ''} ${inBase ? 'in-b' : ''}`}
                data-testid="timeline-bar"
                data-total={e.total}
                data-name={e.file.name}
                x={bx}
                y={bottom - bh}
                width={bw}
                height={Math.max(bh, 1)}
                onMouseEnter={(ev) => setHover({ entry: e, x: ev.clientX, y: ev.clientY })}
                onDoubleClick={() => props.onOpenFile(e)}
              />
            );
          })}
        </g>
      </svg>
      {hover && (
        <div
          className="tooltip"
          role="tooltip"
          data-testid="timeline-tooltip"
          style={{ left: hover.x + 12, top: hover.y + 12 }}
        >
          <div className="tooltip-name">{hover.entry.file.name}</div>
          <div>
            {new Date(hover.entry.startMs).toISOString().replace('T', ' ').slice(0, 19)} UTC ·{' '}
            {(hover.entry.durationMs / 1000).toFixed(1)}s
          </div>
          <div>
            {barValue(hover.entry).unit === 'cores'
              ? `${barValue(hover.entry).value.toFixed(2)} cores · `
              : ''}
            Total {formatValueShort(hover.entry.total, hover.entry.unit)} · top{' '}
            {hover.entry.topFunction}
          </div>
        </div>
      )}
    </>
  );
}

/** The whole span in a thin strip, the shown window as a handle: drag it to pan, its edges to zoom. */
export function TimelineOverview({
  entries,
  width,
  full,
  win,
  onWindow,
}: {
  entries: Entry[];
  width: number;
  full: Window;
  win: Window;
  onWindow: (w: Window) => void;
}) {
  const H = 26;
  const plotW = Math.max(1, width - PAD.left - PAD.right);
  const fspan = Math.max(full.t1 - full.t0, 1);
  const x = (ms: number) => PAD.left + ((ms - full.t0) / fspan) * plotW;
  const msAt = (px: number) => full.t0 + ((px - PAD.left) / plotW) * fspan;
  const ready = entries.filter((e) => e.status === 'ready');
  const max = Math.max(1e-9, ...ready.map((e) => barValue(e).value));
  const ref = useRef<SVGSVGElement>(null);
  const drag = useRef<{ mode: 'move' | 'left' | 'right'; at: number; win: Window } | null>(null);
  const px = (clientX: number) => clientX - (ref.current?.getBoundingClientRect().left ?? 0);
  const startDrag = useWindowDrag({
    move: (e) => {
      const d = drag.current;
      if (!d) return;
      const dt = msAt(px(e.clientX)) - d.at;
      const w = d.win;
      const next =
        d.mode === 'move'
          ? { t0: w.t0 + dt, t1: w.t1 + dt }
          : d.mode === 'left'
            ? { t0: Math.min(w.t0 + dt, w.t1 - 1), t1: w.t1 }
            : { t0: w.t0, t1: Math.max(w.t1 + dt, w.t0 + 1) };
      onWindow(zoomWindow(next, full, next.t0, 1));
    },
    up: () => (drag.current = null),
  });
  const zoomed = win.t0 > full.t0 || win.t1 < full.t1;
  return (
    <svg
      ref={ref}
      width={width}
      height={H}
      className="timeline-overview"
      data-testid="timeline-overview"
      onMouseDown={(e) => {
        const p = px(e.clientX);
        const [l, r] = [x(win.t0), x(win.t1)];
        let mode: 'move' | 'left' | 'right' = 'move';
        let start = win;
        if (Math.abs(p - l) < 5) mode = 'left';
        else if (Math.abs(p - r) < 5) mode = 'right';
        else if (p < l || p > r) {
          // Outside the handle: the window centres there first.
          const half = (win.t1 - win.t0) / 2;
          start = zoomWindow({ t0: msAt(p) - half, t1: msAt(p) + half }, full, msAt(p), 1);
          onWindow(start);
        }
        drag.current = { mode, at: msAt(p), win: start };
        startDrag();
      }}
    >
      {ready.map((e) => {
        const h = (barValue(e).value / max) * (H - 4);
        return (
          <rect
            key={e.file.path}
            className="overview-bar"
            x={x(e.startMs)}
            y={H - 2 - h}
            width={Math.max(0.5, x(endOf(e)) - x(e.startMs))}
            height={h}
          />
        );
      })}
      <rect
        className={`overview-window ${zoomed ? 'zoomed' : ''}`}
        data-testid="timeline-window"
        x={x(win.t0)}
        y={1}
        width={Math.max(2, x(win.t1) - x(win.t0))}
        height={H - 2}
      />
    </svg>
  );
}
