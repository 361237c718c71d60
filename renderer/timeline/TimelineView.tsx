// A folder of continuous profiles explored in one view: the timeline on top (zoom, pan, select),
// the selection merged right below it as a flame graph and Top that follow the selection, and
// what changed against a baseline (by default the window of the same length just before it).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ProfileFileInfo } from '../../electron/contract';
import { escapeForRegex } from '../views/TopTable';
import { LoadedProfileView } from '../views/ProfileView';
import { useElementSize } from '../views/useElementSize';
import { useSettled } from '../views/useSettled';
import type { Tab } from '../state/tabs';
import { TimelineChart, TimelineOverview } from './TimelineChart';
import { clampWindow, type Window } from './timeAxis';
import {
  endOf,
  inRange,
  lanesOf,
  rangeTitle,
  windowBefore,
  type Entry,
  type TimeRange,
} from './timelineData';
import { useFolderEntries } from './useFolderEntries';
import { useMergedProfile } from './useMergedProfile';
import { WhatChangedList } from './WhatChangedList';
import { TrendLine, TrendMultiples } from './TrendStrip';
import { parseTrendQuery, topFunctionsIn, trendOf } from './trends';

export interface Merge {
  title: string;
  paths: string[];
}

export interface TimelineProps {
  path: string;
  onOpenFile: (file: ProfileFileInfo) => void;
  onOpenRange: (title: string, paths: string[]) => number;
  /** The target as a diff against the base, focused on a function when one is given. */
  onCompare: (base: Merge, target: Merge, focus?: string) => void;
}

/** What is selected when a folder opens: its last day. */
const DEFAULT_SPAN = 24 * 3600_000;
/** The selection stops moving for this long before it is merged (a drag is many ranges). */
const SETTLE_MS = 250;

function spanLabel(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 2 * 3600) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(s < 36000 ? 1 : 0)} h`;
}

export function TimelineView({ path, onOpenFile, onOpenRange, onCompare }: TimelineProps) {
  const { entries, error } = useFolderEntries(path);
  const wrapRef = useRef<HTMLDivElement>(null);
  const width = Math.max(400, useElementSize(wrapRef).width);
  const [brush, setBrush] = useState<'selection' | 'baseline'>('selection');
  const [selection, setSelection] = useState<TimeRange | null>(null);
  const [baseline, setBaseline] = useState<TimeRange | null>(null);
  const [zoom, setZoom] = useState<Window | null>(null);
  const [trendText, setTrendText] = useState('');

  const ready = useMemo(() => entries.filter((e) => e.status === 'ready'), [entries]);
  const lanes = useMemo(() => lanesOf(ready), [ready]);
  const full = useMemo<Window>(() => {
    if (ready.length === 0) return { t0: 0, t1: 1 };
    let t0 = Infinity;
    let t1 = -Infinity;
    for (const e of ready) {
      t0 = Math.min(t0, e.startMs);
      t1 = Math.max(t1, endOf(e));
    }
    return { t0, t1: t1 > t0 ? t1 : t0 + 1 };
  }, [ready]);
  const win = zoom ? clampWindow(zoom, full) : full;
  const pending = entries.filter((e) => e.status === 'pending').length;
  const incomplete = entries.filter((e) => e.status === 'incomplete');

  // Once every file is read the first time, the folder's last day (all of a shorter folder) is
  // the selection: the page below the timeline is never empty, and a week is not merged whole
  // unasked. The user's own selection is never replaced.
  const chose = useRef(false);
  useEffect(() => {
    if (!chose.current && pending === 0 && ready.length > 0) {
      chose.current = true;
      const from = Math.max(full.t0, full.t1 - DEFAULT_SPAN);
      setSelection({ from, to: full.t1, lane: lanes.length > 1 ? lanes[0] : null });
    }
  }, [pending, ready.length, full, lanes]);

  const selected = inRange(ready, selection);
  const baselineRange = baseline ?? (selection ? windowBefore(selection) : null);
  const based = inRange(ready, baselineRange);
  const selKey = useSettled(selected.map((e) => e.file.path).join('\n'), SETTLE_MS);
  const baseKey = useSettled(based.map((e) => e.file.path).join('\n'), SETTLE_MS);
  const mergedSel = useMergedProfile(useMemo(() => (selKey ? selKey.split('\n') : []), [selKey]));
  const mergedBase = useMergedProfile(
    useMemo(() => (baseKey ? baseKey.split('\n') : []), [baseKey]),
  );
  const merged = mergedSel.shown;

  const component = lanes.find((l) => l) ?? '';
  const selTitle = rangeTitle(selected, component || 'profiles');
  const baseTitle = rangeTitle(based, component || 'profiles');
  const baselineLabel = baseline
    ? `the baseline (${based.length} profiles)`
    : selection
      ? `the previous ${spanLabel(selection.to - selection.from)}`
      : 'the baseline';

  // Trends come from the files' function tables: typing redraws them, nothing is decoded again.
  const settledTrend = useSettled(trendText, 200);
  const known = useMemo(() => {
    const names = new Set<string>();
    for (const e of ready) e.functions?.names.forEach((n) => names.add(n));
    return names;
  }, [ready]);
  const trendQuery = parseTrendQuery(settledTrend, (n) => known.has(n));
  const trend = useMemo(
    () => (trendQuery ? trendOf(ready, trendQuery) : null),
    // The query is rebuilt each render; its text and the names it was checked against say it all.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [ready, settledTrend, known],
  );
  const hottest = useMemo(() => topFunctionsIn(ready, win.t0, win.t1, 6), [ready, win.t0, win.t1]);

  const onRange = (which: 'selection' | 'baseline', r: TimeRange | null) => {
    chose.current = true;
    (which === 'selection' ? setSelection : setBaseline)(r);
  };

  // The embedded view stands on a tab of its own making: it follows the merged selection.
  const selectionTab: Tab | null =
    merged.status === 'ready'
      ? {
          key: -1,
          title: selTitle,
          source: { kind: 'merged', paths: selected.map((e) => e.file.path) },
          status: 'ready',
          profileId: merged.profileId,
          summary: merged.summary,
        }
      : null;

  return (
    <div className="timeline explore" data-testid="timeline" ref={wrapRef}>
      <div className="toolbar">
        <strong>{path}</strong>
        <span className="muted" data-testid="timeline-count">
          {ready.length} profiles{component ? ` of ${component}` : ''}
          {pending > 0 ? ` · reading ${pending}…` : ''}
        </span>
        <div className="segmented" role="group" aria-label="Brush">
          <button aria-pressed={brush === 'selection'} onClick={() => setBrush('selection')}>
            Select
          </button>
          <button aria-pressed={brush === 'baseline'} onClick={() => setBrush('baseline')}>
            Baseline (Shift)
          </button>
        </div>
        <div className="segmented" role="group" aria-label="Zoom">
          <button title="Zoom out (−)" onClick={() => setZoom(growBy(win, full, 2))}>
            −
          </button>
          <button title="Zoom in (+)" onClick={() => setZoom(growBy(win, full, 0.5))}>
            +
          </button>
          <button
            title="The whole folder (0)"
            data-testid="zoom-reset"
            disabled={!zoom}
            onClick={() => setZoom(null)}
          >
            All
          </button>
        </div>
        <button
          title="Zoom to the selection"
          disabled={!selection}
          onClick={() => selection && setZoom({ t0: selection.from, t1: selection.to })}
        >
          Zoom to selection
        </button>
        <span className="spacer" />
        <button
          data-testid="open-range"
          disabled={selected.length === 0}
          onClick={() =>
            onOpenRange(
              selTitle,
              selected.map((e) => e.file.path),
            )
          }
        >
          Open in a tab{selected.length ? ` (${selected.length})` : ''}
        </button>
        <button
          data-testid="compare-ranges"
          disabled={selected.length === 0 || based.length === 0}
          onClick={() =>
            onCompare(
              { title: `base: ${baseTitle}`, paths: based.map((e) => e.file.path) },
              { title: selTitle, paths: selected.map((e) => e.file.path) },
            )
          }
        >
          Diff against baseline
        </button>
      </div>
      {error && <div className="error-banner">{error}</div>}
      {entries.length === 0 && !error && (
        <div className="loading">
          No profiles in this folder yet; new files appear as they are written.
        </div>
      )}
      <TimelineChart
        entries={entries}
        lanes={lanes.length ? lanes : ['']}
        width={width}
        full={full}
        win={win}
        onWindow={(w) => setZoom(w.t0 <= full.t0 && w.t1 >= full.t1 ? null : w)}
        selection={selection}
        baseline={baselineRange}
        brush={brush}
        onRange={onRange}
        onOpenFile={(e: Entry) => onOpenFile(e.file)}
      />
      <TimelineOverview
        entries={entries}
        width={width}
        full={full}
        win={win}
        onWindow={(w) => setZoom(w.t0 <= full.t0 && w.t1 >= full.t1 ? null : w)}
      />
      <div className="toolbar trend-bar">
        <label htmlFor={`trend-${path}`}>Trend</label>
        <span className="search-box">
          <input
            className="search"
            type="search"
            id={`trend-${path}`}
            list={`trend-names-${path}`}
            placeholder="Trend: function or regex"
            data-testid="trend-input"
            value={trendText}
            aria-invalid={trend !== null && 'error' in trend}
            onChange={(e) => setTrendText(e.target.value)}
          />
          {trend && 'error' in trend && <span className="search-error">{trend.error}</span>}
          <datalist id={`trend-names-${path}`}>
            {hottest.map((n) => (
              <option key={n} value={n} />
            ))}
          </datalist>
        </span>
        {!trend && <span className="muted">a function's share over time; or pick one below</span>}
      </div>
      {trend && !('error' in trend) && (
        <TrendLine
          entries={ready}
          width={width}
          win={win}
          trend={trend}
          label={settledTrend.trim()}
        />
      )}
      {hottest.length > 0 && (
        <TrendMultiples
          entries={ready}
          names={hottest}
          width={width}
          win={win}
          onPick={setTrendText}
        />
      )}
      <p className="muted timeline-help">
        Drag to select, Shift-drag for a baseline (else the window before the selection); click a
        bar for its period alone, double-click to open it in a tab. Wheel or + − to zoom,
        Shift-wheel or ← → to pan, 0 for all.
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
      <div className="explore-below">
        <section className="explore-selection" aria-label="Selection" data-testid="selection-view">
          <h3>
            {selection ? selTitle || 'No profiles in the selection' : 'Drag over the timeline'}
            {mergedSel.merging > 0 && (
              <span className="muted" data-testid="selection-merging">
                {' '}
                · merging {mergedSel.merging}…
              </span>
            )}
          </h3>
          {merged.status === 'error' && <p className="error-text">{merged.error}</p>}
          {selectionTab && merged.status === 'ready' && (
            <LoadedProfileView
              tab={selectionTab}
              summary={merged.summary}
              profileId={merged.profileId}
              others={[]}
              active={false}
              embedded
            />
          )}
        </section>
        <WhatChangedList
          selection={merged}
          baseline={mergedBase.shown}
          baselineLabel={baselineLabel}
          onOpen={(c) =>
            onCompare(
              { title: `base: ${baseTitle}`, paths: based.map((e) => e.file.path) },
              { title: selTitle, paths: selected.map((e) => e.file.path) },
              `^${escapeForRegex(c.name)}$`,
            )
          }
        />
      </div>
    </div>
  );
}

function growBy(win: Window, full: Window, factor: number): Window {
  const mid = (win.t0 + win.t1) / 2;
  const half = ((win.t1 - win.t0) * factor) / 2;
  return clampWindow({ t0: mid - half, t1: mid + half }, full);
}
