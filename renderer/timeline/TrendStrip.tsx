// Trends under the timeline, on its time axis: the chosen function's (or regexp's) share of each
// file as a line, and a strip of small multiples for the window's hottest functions.
import { useMemo } from 'react';
import { PAD } from './TimelineChart';
import type { Window } from './timeAxis';
import { endOf, type Entry } from './timelineData';
import { trendOf, type Trend } from './trends';

const pct = (v: number) => `${(v * 100).toFixed(v < 0.1 ? 1 : 0)}%`;

function points(
  entries: Entry[],
  trend: Trend,
  x: (ms: number) => number,
  y: (v: number) => number,
) {
  return entries
    .filter((e) => trend.shares.has(e.file.path))
    .map(
      (e) =>
        `${((x(e.startMs) + x(endOf(e))) / 2).toFixed(1)},${y(trend.shares.get(e.file.path) ?? 0).toFixed(1)}`,
    )
    .join(' ');
}

export function TrendLine({
  entries,
  width,
  win,
  trend,
  label,
}: {
  entries: Entry[];
  width: number;
  win: Window;
  trend: Trend;
  label: string;
}) {
  const H = 72;
  const plotW = Math.max(1, width - PAD.left - PAD.right);
  const x = (ms: number) => PAD.left + ((ms - win.t0) / Math.max(win.t1 - win.t0, 1)) * plotW;
  const top = Math.max(trend.max, 1e-9);
  // The line stays under its label: the top 20 px are the label's.
  const y = (v: number) => H - 4 - (v / top) * (H - 24);
  const visible = entries.filter((e) => endOf(e) > win.t0 && e.startMs < win.t1);
  return (
    <svg width={width} height={H} className="trend-strip" data-testid="trend">
      <text x={PAD.left - 6} y={24} className="axis-label" textAnchor="end">
        {pct(trend.max)}
      </text>
      <text x={PAD.left - 6} y={H - 4} className="axis-label" textAnchor="end">
        0%
      </text>
      <text x={PAD.left + 4} y={12} className="lane-label">
        {label} · {trend.measure === 'cum' ? 'share with callees (cum)' : 'self share (flat)'}
      </text>
      <line x1={PAD.left} x2={PAD.left + plotW} y1={H - 4} y2={H - 4} className="axis" />
      <polyline
        className="trend-line"
        data-testid="trend-line"
        data-shares={visible
          .filter((e) => trend.shares.has(e.file.path))
          .map((e) => trend.shares.get(e.file.path))
          .join(',')}
        points={points(visible, trend, x, y)}
      />
    </svg>
  );
}

/** The window's hottest functions, each a sparkline of its cum share; a click makes it the trend. */
export function TrendMultiples({
  entries,
  names,
  width,
  win,
  onPick,
}: {
  entries: Entry[];
  names: string[];
  width: number;
  win: Window;
  onPick: (name: string) => void;
}) {
  const visible = useMemo(
    () => entries.filter((e) => endOf(e) > win.t0 && e.startMs < win.t1),
    [entries, win.t0, win.t1],
  );
  const cellW = Math.max(
    120,
    Math.floor((width - PAD.left - PAD.right) / Math.max(names.length, 1)) - 8,
  );
  const H = 40;
  return (
    <div
      className="trend-multiples"
      style={{ paddingLeft: PAD.left }}
      data-testid="trend-multiples"
    >
      {names.map((name) => {
        const trend = trendOf(visible, { kind: 'function', name });
        if ('error' in trend) return null;
        const x = (ms: number) => 2 + ((ms - win.t0) / Math.max(win.t1 - win.t0, 1)) * (cellW - 4);
        const top = Math.max(trend.max, 1e-9);
        const y = (v: number) => H - 2 - (v / top) * (H - 6);
        return (
          <button
            key={name}
            className="trend-cell"
            title={`${name}: show its trend`}
            onClick={() => onPick(name)}
            style={{ width: cellW }}
          >
            <span className="trend-cell-name">{name}</span>
            <span className="muted"> ≤ {pct(trend.max)}</span>
            <svg width={cellW - 4} height={H}>
              <polyline className="trend-line" points={points(visible, trend, x, y)} />
            </svg>
          </button>
        );
      })}
    </div>
  );
}
