import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api/api';
import { unpackFileBatch, type ProfileFileInfo } from '../../electron/contract';
import type { PeekResult } from '../worker/protocol';
import { formatValueShort } from '../model';
import { engine } from '../worker/engineClient';
import { parseContinuousName } from './continuousNames';
import { useElementSize } from '../views/useElementSize';

interface Entry {
  file: ProfileFileInfo;
  startMs: number;
  durationMs: number;
  total: number;
  unit: string;
  topFunction: string;
  component: string;
  status: 'pending' | 'ready' | 'incomplete';
  error?: string;
}

interface Range {
  from: number;
  to: number;
}

/** New files are picked up by polling: it works the same over IPC and HTTP, and a file still being written simply fails to decode until it is whole. */
const POLL_MS = 3000;
/** Files per round trip while reading totals, and their size at most (a large file goes alone). */
const BATCH = 48;
const BATCH_BYTES = 64 * 1024 ** 2;
const HEIGHT = 220;
const PAD = { left: 56, right: 16, top: 12, bottom: 28 };

function startOf(file: ProfileFileInfo): { startMs: number; component: string; fromName: boolean } {
  const parsed = parseContinuousName(file.name);
  return parsed
    ? { startMs: parsed.startMs, component: parsed.component, fromName: true }
    : { startMs: file.mtimeMs, component: '', fromName: false };
}

function timeLabel(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

export interface TimelineProps {
  path: string;
  onOpenFile: (file: ProfileFileInfo) => void;
  onOpenRange: (title: string, paths: string[]) => number;
  onCompare: (
    base: { title: string; paths: string[] },
    target: { title: string; paths: string[] },
  ) => void;
}

export function TimelineView({ path, onOpenFile, onOpenRange, onCompare }: TimelineProps) {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [ranges, setRanges] = useState<{ a: Range | null; b: Range | null }>({ a: null, b: null });
  const [brush, setBrush] = useState<'a' | 'b'>('a');
  const [hover, setHover] = useState<{ entry: Entry; x: number; y: number } | null>(null);
  const dragRef = useRef<{ which: 'a' | 'b'; from: number } | null>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const width = Math.max(400, useElementSize(wrapRef).width);
  const svgRef = useRef<SVGSVGElement>(null);
  const busy = useRef(new Set<string>());
  // The source of truth for the async readers; state mirrors it for rendering.
  const entriesRef = useRef<Entry[]>([]);
  const flushTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // Results arrive file by file; the chart re-renders at most every 100 ms, not 1,440 times.
  const commit = useCallback((next: Entry[]) => {
    entriesRef.current = next;
    flushTimer.current ??= setTimeout(() => {
      flushTimer.current = null;
      setEntries(entriesRef.current);
    }, 100);
  }, []);

  /** Reads a batch of files in one round trip and decodes them in the worker for their totals. */
  const peekBatch = useCallback(
    async (files: ProfileFileInfo[]) => {
      const todo = files.filter((f) => !busy.current.has(f.path));
      todo.forEach((f) => busy.current.add(f.path));
      const results = new Map<string, PeekResult | { error: string }>();
      try {
        const items = unpackFileBatch(await api.readFileBatch(todo.map((f) => f.path)));
        const readable = items.flatMap((it, i) =>
          'bytes' in it ? [{ file: todo[i], bytes: it.bytes }] : [],
        );
        items.forEach((it, i) => 'error' in it && results.set(todo[i].path, it));
        const peeked = await engine.call(
          'peekMany',
          { files: readable.map((r) => r.bytes) },
          readable.map((r) => r.bytes.buffer as ArrayBuffer),
        );
        peeked.forEach((r, i) => results.set(readable[i].file.path, r));
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        todo.forEach((f) => results.set(f.path, { error }));
      } finally {
        todo.forEach((f) => busy.current.delete(f.path));
      }
      commit(
        entriesRef.current.map((e): Entry => {
          const r = results.get(e.file.path);
          if (!r) return e;
          if ('error' in r) return { ...e, status: 'incomplete', error: r.error };
          const { summary, topFunction } = r;
          const si = summary.defaultSampleIndex;
          const fromName = parseContinuousName(e.file.name) !== null;
          return {
            ...e,
            startMs: fromName || summary.timeNanos <= 0 ? e.startMs : summary.timeNanos / 1e6,
            durationMs: summary.durationNanos / 1e6,
            total: summary.totals[si] ?? 0,
            unit: summary.sampleTypes[si]?.unit ?? '',
            topFunction,
            status: 'ready',
            error: undefined,
          };
        }),
      );
    },
    [commit],
  );

  const refresh = useCallback(async () => {
    let files: ProfileFileInfo[];
    try {
      files = await api.listFolder(path);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      return;
    }
    setError(null);
    const known = new Map(entriesRef.current.map((e) => [e.file.path, e]));
    const next = files.map((f): Entry => {
      const old = known.get(f.path);
      // A file that failed is read again once it changes (a profile still being written).
      const unchanged = old && old.file.size === f.size && old.file.mtimeMs === f.mtimeMs;
      if (old && (old.status === 'ready' || unchanged)) return old;
      const s = startOf(f);
      return {
        file: f,
        startMs: s.startMs,
        durationMs: 0,
        total: 0,
        unit: '',
        topFunction: '',
        component: s.component,
        status: 'pending',
      };
    });
    next.sort((x, y) => x.startMs - y.startMs);
    const same =
      next.length === entriesRef.current.length &&
      next.every((e, i) => e === entriesRef.current[i]);
    if (!same) commit(next);
    // Totals first, a few files at a time; full decodes happen only for what gets selected.
    const todo = next.filter((e) => e.status === 'pending').map((e) => e.file);
    const batches: ProfileFileInfo[][] = [];
    let bytes = 0;
    for (const f of todo) {
      const last = batches.at(-1);
      if (last && last.length < BATCH && bytes + f.size <= BATCH_BYTES) last.push(f);
      else {
        batches.push([f]);
        bytes = 0;
      }
      bytes += f.size;
    }
    // Two batches in flight: one being read while the worker decodes the other.
    let nextBatch = 0;
    await Promise.all(
      [0, 1].map(async () => {
        while (nextBatch < batches.length) await peekBatch(batches[nextBatch++]);
      }),
    );
  }, [path, peekBatch, commit]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const loop = async () => {
      await refresh();
      if (live) timer = setTimeout(() => void loop(), POLL_MS);
    };
    void loop();
    return () => {
      live = false;
      clearTimeout(timer);
      if (flushTimer.current) clearTimeout(flushTimer.current);
    };
  }, [refresh]);

  const ready = entries.filter((e) => e.status === 'ready');
  const domain = useMemo(() => {
    if (ready.length === 0) return { t0: 0, t1: 1, max: 1 };
    const t0 = Math.min(...ready.map((e) => e.startMs));
    const t1 = Math.max(...ready.map((e) => e.startMs + Math.max(e.durationMs, 1)));
    const max = Math.max(...ready.map((e) => e.total), 1e-9);
    return { t0, t1: t1 > t0 ? t1 : t0 + 1, max };
  }, [ready]);
  const plotW = width - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (ms: number) => PAD.left + ((ms - domain.t0) / (domain.t1 - domain.t0)) * plotW;
  const msAt = (px: number) => domain.t0 + ((px - PAD.left) / plotW) * (domain.t1 - domain.t0);
  const unit = ready[0]?.unit ?? '';
  const component = entries.find((e) => e.component)?.component ?? '';

  const inRange = (r: Range | null) =>
    r
      ? ready.filter((e) => e.startMs < r.to && e.startMs + Math.max(e.durationMs, 1) > r.from)
      : [];
  const selA = inRange(ranges.a);
  const selB = inRange(ranges.b);
  const inA = new Set(selA);
  const inB = new Set(selB);
  const rangeTitle = (sel: Entry[]) =>
    sel.length === 0
      ? ''
      : `${component || 'profiles'} ${timeLabel(sel[0].startMs)}–${timeLabel(sel[sel.length - 1].startMs + sel[sel.length - 1].durationMs)} (${sel.length})`;

  const localX = (clientX: number) => clientX - (svgRef.current?.getBoundingClientRect().left ?? 0);
  const incomplete = entries.filter((e) => e.status === 'incomplete');
  const pending = entries.filter((e) => e.status === 'pending').length;

  return (
    <div className="timeline" data-testid="timeline" ref={wrapRef}>
      <div className="toolbar">
        <strong>{path}</strong>
        <span className="muted" data-testid="timeline-count">
          {ready.length} profiles{component ? ` of ${component}` : ''}
          {pending > 0 ? ` · reading ${pending}…` : ''}
        </span>
        <div className="segmented" role="group" aria-label="Brush">
          <button aria-pressed={brush === 'a'} onClick={() => setBrush('a')}>
            Select A
          </button>
          <button aria-pressed={brush === 'b'} onClick={() => setBrush('b')}>
            Select B (Shift)
          </button>
        </div>
        <button
          data-testid="open-range"
          disabled={selA.length === 0}
          onClick={() =>
            onOpenRange(
              rangeTitle(selA),
              selA.map((e) => e.file.path),
            )
          }
        >
          Open A merged{selA.length ? ` (${selA.length})` : ''}
        </button>
        <button
          data-testid="compare-ranges"
          disabled={selA.length === 0 || selB.length === 0}
          onClick={() =>
            onCompare(
              { title: `A: ${rangeTitle(selA)}`, paths: selA.map((e) => e.file.path) },
              { title: `B: ${rangeTitle(selB)}`, paths: selB.map((e) => e.file.path) },
            )
          }
        >
          Compare B against A
        </button>
      </div>
      {error && <div className="error-banner">{error}</div>}
      {entries.length === 0 && !error && (
        <div className="loading">
          No profiles in this folder yet; new files appear as they are written.
        </div>
      )}
      <svg
        ref={svgRef}
        width={width}
        height={HEIGHT}
        className="timeline-chart"
        data-testid="timeline-chart"
        onMouseDown={(e) => {
          const which = e.shiftKey ? 'b' : brush;
          const t = msAt(localX(e.clientX));
          dragRef.current = { which, from: t };
          setRanges((r) => ({ ...r, [which]: { from: t, to: t } }));
        }}
        onMouseMove={(e) => {
          const d = dragRef.current;
          if (!d) return;
          const t = msAt(localX(e.clientX));
          setRanges((r) => ({
            ...r,
            [d.which]: { from: Math.min(d.from, t), to: Math.max(d.from, t) },
          }));
        }}
        onMouseUp={() => {
          const d = dragRef.current;
          dragRef.current = null;
          if (!d) return;
          setRanges((r) => {
            const cur = r[d.which];
            // A click, not a drag: no range (a click on a bar opens that period instead).
            return cur && x(cur.to) - x(cur.from) < 3 ? { ...r, [d.which]: null } : r;
          });
        }}
      >
        <line
          x1={PAD.left}
          x2={PAD.left + plotW}
          y1={PAD.top + plotH}
          y2={PAD.top + plotH}
          className="axis"
        />
        <text x={PAD.left - 6} y={PAD.top + 8} className="axis-label" textAnchor="end">
          {formatValueShort(domain.max, unit)}
        </text>
        <text x={PAD.left - 6} y={PAD.top + plotH} className="axis-label" textAnchor="end">
          0
        </text>
        {ready.length > 0 &&
          [0, 0.25, 0.5, 0.75, 1].map((f) => {
            const t = domain.t0 + f * (domain.t1 - domain.t0);
            return (
              <text
                key={f}
                x={x(t)}
                y={HEIGHT - 8}
                className="axis-label"
                textAnchor={f === 0 ? 'start' : f === 1 ? 'end' : 'middle'}
              >
                {timeLabel(t)}
              </text>
            );
          })}
        {(['a', 'b'] as const).map((k) => {
          const r = ranges[k];
          return r ? (
            <rect
              key={k}
              className={`brush brush-${k}`}
              x={x(r.from)}
              y={PAD.top}
              width={Math.max(1, x(r.to) - x(r.from))}
              height={plotH}
            />
          ) : null;
        })}
        {ready.map((e) => {
          const bx = x(e.startMs);
          const bw = Math.max(2, x(e.startMs + Math.max(e.durationMs, 1)) - bx - 1);
          const bh = (e.total / domain.max) * plotH;
          return (
            <rect
              key={e.file.path}
              className={`bar ${inA.has(e) ? 'in-a' : ''} ${inB.has(e) ? 'in-b' : ''}`}
              data-testid="timeline-bar"
              data-total={e.total}
              data-name={e.file.name}
              x={bx}
              y={PAD.top + plotH - bh}
              width={bw}
              height={Math.max(bh, 1)}
              onMouseEnter={(ev) => setHover({ entry: e, x: ev.clientX, y: ev.clientY })}
              onMouseLeave={() => setHover(null)}
              onClick={(ev) => {
                if (!ev.shiftKey && !ranges.a && !ranges.b) onOpenFile(e.file);
              }}
            />
          );
        })}
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
            Total {formatValueShort(hover.entry.total, hover.entry.unit)} · top{' '}
            {hover.entry.topFunction}
          </div>
        </div>
      )}
      <p className="muted timeline-help">
        Drag to select range A; Shift-drag (or “Select B”) for range B. Click a bar to open that
        period. Clear a range with a click on empty space.
      </p>
      {incomplete.length > 0 && (
        <ul className="timeline-incomplete" data-testid="timeline-incomplete">
          {incomplete.map((e) => (
            <li key={e.file.path}>
              {e.file.name}: {e.error} (read again when the file changes)
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
