import { useEffect, useMemo, useState } from 'react';
import { formatPercent, searchFrames } from '../model';
import type {
  ExportFormat,
  FlameTree,
  ProfileSummary,
  TopTable as TopTableData,
  ViewOptions,
} from '../model/types';
import type { Tab } from '../state/tabs';
import {
  parseViewState,
  serializeViewState,
  type ViewKind,
  type ViewState,
} from '../state/viewHash';
import { engine } from '../worker/engineClient';
import { DiffLegend } from './DiffLegend';
import { download } from './exportView';
import { FilterBar } from './FilterBar';
import { FlameGraph } from './flame/FlameGraph';
import type { Viewport } from './flame/layout';
import { FLAME_PRUNE } from './flame/prune';
import { useDetailTree } from './flame/useDetailTree';
import { ProfileHeader } from './ProfileHeader';
import { SandwichView } from './SandwichView';
import { SpeedscopeView } from './SpeedscopeView';
import { escapeForRegex, TopTable } from './TopTable';
import { useEngine } from './useEngine';
import { useSettled } from './useSettled';
import { invalidFilterOf, noSamplesReason, ViewMessage } from './ViewMessage';

const VIEWS: { kind: ViewKind; label: string }[] = [
  { kind: 'flame', label: 'Flame graph' },
  { kind: 'top', label: 'Top' },
  { kind: 'sandwich', label: 'Sandwich' },
  { kind: 'diff', label: 'Diff' },
  { kind: 'speedscope', label: 'speedscope' },
];

/** The options that filter a view; hide and show only reshape stacks but are filters all the same. */
const FILTER_KEYS = ['focus', 'ignore', 'hide', 'show', 'tagFocus', 'tagIgnore'] as const;

/** Matched nodes that are not inside another match, widest first. */
function matchesByWidth(tree: FlameTree, matched: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < matched.length;) {
    if (matched[i]) {
      out.push(i);
      i += tree.subtreeSize[i];
    } else i++;
  }
  return out.sort((a, b) => tree.total[b] - tree.total[a]);
}

export function ProfileView({
  tab,
  others,
  onCancel,
  active,
}: {
  tab: Tab;
  others: Tab[];
  onCancel: () => void;
  /** The visible tab mirrors its view into the URL. */
  active: boolean;
}) {
  if (tab.status === 'loading') return <LoadingPanel tab={tab} onCancel={onCancel} />;
  if (tab.status === 'error' || !tab.summary || tab.profileId === undefined) {
    return (
      <div className="error-panel" role="alert" data-testid="tab-error">
        <h2>Could not open {tab.title}</h2>
        <p>{tab.error}</p>
      </div>
    );
  }
  return (
    <LoadedProfileView
      tab={tab}
      summary={tab.summary}
      profileId={tab.profileId}
      others={others}
      active={active}
    />
  );
}

/** Reading and decoding a large profile takes seconds: say which step, for how long, and allow a cancel. */
function LoadingPanel({ tab, onCancel }: { tab: Tab; onCancel: () => void }) {
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 250);
    return () => clearInterval(t);
  }, []);
  const seconds = ((Date.now() - (tab.phaseSince ?? Date.now())) / 1000).toFixed(1);
  const mb = tab.bytes !== undefined ? ` (${(tab.bytes / 1024 / 1024).toFixed(1)} MiB)` : '';
  return (
    <div className="loading-panel" data-testid="loading">
      <p>
        {tab.phase === 'decoding' ? `Decoding ${tab.title}${mb}` : `Reading ${tab.title}`}…{' '}
        {seconds}s
      </p>
      {tab.progress !== undefined ? (
        <progress
          aria-label={tab.phase === 'decoding' ? 'Decoding' : 'Reading'}
          data-testid={tab.phase === 'decoding' ? 'decode-progress' : 'read-progress'}
          value={tab.progress}
          max={1}
        />
      ) : (
        <progress aria-label="Loading" />
      )}
      <button onClick={onCancel}>Cancel</button>
    </div>
  );
}

let restoreConsumed = false;

function takeRestoredState(summary: ProfileSummary): Partial<ViewState> | null {
  if (restoreConsumed) return null;
  restoreConsumed = true;
  const state = parseViewState(location.hash);
  const si = state?.filters?.sampleIndex;
  if (state?.filters && si !== undefined && si >= summary.sampleTypes.length)
    delete state.filters.sampleIndex;
  return state;
}

export function LoadedProfileView({
  tab,
  summary,
  profileId,
  others,
  active,
  embedded = false,
}: {
  tab: Tab;
  summary: ProfileSummary;
  profileId: number;
  others: Tab[];
  active: boolean;
  /** Inside another view (a timeline's selection): it neither takes nor writes the URL's view. */
  embedded?: boolean;
}) {
  // The first profile opened after a reload takes its view back from the URL.
  const [restored] = useState(() => (tab.initial || embedded ? null : takeRestoredState(summary)));
  const [view, setView] = useState<ViewKind>(tab.initial?.view ?? restored?.view ?? 'flame');
  const [filters, setFilters] = useState<ViewOptions>({
    sampleIndex: summary.defaultSampleIndex,
    ...restored?.filters,
    ...(tab.initial?.focus ? { focus: tab.initial.focus } : {}),
  });
  useEffect(() => {
    if (active && !embedded) {
      history.replaceState(null, '', `#${serializeViewState({ view, filters })}`);
    }
  }, [active, embedded, view, filters]);
  const [inverted, setInverted] = useState(false);
  const [search, setSearch] = useState('');
  // Enter cycles through the matches of one search: the widest, the next widest, …
  const [zoomRequest, setZoomRequest] = useState<{
    node: number;
    tree: FlameTree;
    search: string;
    seq: number;
  } | null>(null);
  const [viewport, setViewport] = useState<Viewport | null>(null);
  const [sandwichFn, setSandwichFn] = useState<string | null>(null);
  const bases = others.filter((t) => t.status === 'ready' && t.profileId !== undefined);
  const [baseKey, setBaseKey] = useState<number | null>(tab.initial?.baseKey ?? null);
  const base = bases.find((t) => t.key === baseKey) ?? null;
  const baseId = view === 'diff' ? base?.profileId : undefined;

  const flameOpts: ViewOptions = useMemo(
    () => ({ ...filters, pruneFraction: FLAME_PRUNE }),
    [filters],
  );
  const needTree = view === 'flame' || (view === 'diff' && baseId !== undefined);
  const needTable =
    view === 'top' || view === 'sandwich' || (view === 'diff' && baseId !== undefined);

  const flame = useEngine<FlameTree>(
    needTree ? () => engine.call('flame', { profileId, opts: flameOpts, baseId }) : null,
    [profileId, flameOpts, baseId, needTree],
  );
  const top = useEngine<TopTableData>(
    needTable ? () => engine.call('top', { profileId, opts: filters, baseId }) : null,
    [profileId, filters, baseId, needTable],
  );
  const tree = useDetailTree(flame.data, viewport, (detail) =>
    engine.call('flame', { profileId, opts: { ...flameOpts, detail }, baseId }),
  );

  const searching = needTree && search.trim() !== '';
  // A search that is not a valid regular expression says so beside the box, not nothing.
  const { matched, searchError } = useMemo(() => {
    if (!tree || !searching) return { matched: null, searchError: null };
    try {
      return { matched: searchFrames(tree, search), searchError: null };
    } catch (err) {
      return { matched: null, searchError: err instanceof Error ? err.message : String(err) };
    }
  }, [tree, search, searching]);
  // The share matched is counted from every sample by the engine (the tree is pruned), once
  // the search has stopped changing: each count is a pass over every sample.
  const settled = useSettled(search, 150) === search;
  const matchedTotal = useEngine<number>(
    searching && settled && searchError === null
      ? () => engine.call('searchTotal', { profileId, opts: filters, regex: search })
      : null,
    [profileId, filters, search, searching, settled, searchError],
  );

  // Under a filter, the header shows the total kept: from the tree or the table the view has
  // asked for, else (speedscope, a diff without its base) from a tree asked for it alone.
  const filtered = FILTER_KEYS.some((k) => filters[k]);
  const shownOnly = useEngine<FlameTree>(
    filtered && !needTree && !needTable
      ? () => engine.call('flame', { profileId, opts: flameOpts })
      : null,
    [profileId, flameOpts, filtered, needTree, needTable],
  );
  const shownTotal = filtered
    ? (tree?.grandTotal ?? top.data?.keptTotal ?? shownOnly.data?.grandTotal)
    : undefined;

  // The flame and diff views draw the same kind of graph: detail, zoom and search alike.
  const graphProps = (shown: FlameTree) => ({
    tree: shown,
    layoutKey: flame.data,
    onViewportRest: setViewport,
    inverted,
    matched,
    allTotal,
    shownTotal,
  });

  const sampleIndex = filters.sampleIndex ?? summary.defaultSampleIndex;
  // "% of all" is of this everywhere (flame tooltip, search, Top, Sandwich), as pprof's flat%.
  const allTotal = summary.totals[sampleIndex] ?? 0;
  const empty = noSamplesReason(summary, sampleIndex, shownTotal);
  const emptyMessage = empty && (
    <ViewMessage kind="empty" title={empty.title}>
      {empty.detail}
    </ViewMessage>
  );
  const patch = (p: Partial<ViewOptions>) => setFilters((f) => ({ ...f, ...p }));
  const focusOn = (name: string) => {
    patch({ focus: `^${escapeForRegex(name)}$` });
    setView('flame');
  };
  const error = flame.error ?? top.error ?? shownOnly.error;
  // The view the error stopped says it in place of its graph or table.
  const errorMessage = error && (
    <ViewMessage kind="error" title="This view cannot be shown">
      {error}
    </ViewMessage>
  );
  const stem = tab.title.replace(/\.(pb\.gz|pprof|prof|pb)$/i, '').replace(/[^\w.-]+/g, '_');
  const exportProfile = async (format: ExportFormat) => {
    const ext: Record<ExportFormat, string> = {
      pprof: 'pb.gz',
      collapsed: 'txt',
      speedscope: 'speedscope.json',
    };
    const data = await engine.call('export', { profileId, opts: filters, format, name: tab.title });
    download(
      `${stem}.${ext[format]}`,
      data,
      format === 'pprof' ? 'application/gzip' : 'text/plain',
    );
  };

  return (
    <div className="profile-view">
      <ProfileHeader summary={summary} sampleIndex={sampleIndex} shownTotal={shownTotal} />
      <div className="toolbar">
        <div className="segmented" role="tablist" aria-label="View">
          {VIEWS.map((v) => (
            <button
              key={v.kind}
              role="tab"
              aria-selected={view === v.kind}
              aria-pressed={view === v.kind}
              onClick={() => setView(v.kind)}
            >
              {v.label}
            </button>
          ))}
        </div>
        <label>
          Sample type{' '}
          <select
            data-testid="sample-type"
            value={sampleIndex}
            onChange={(e) => patch({ sampleIndex: Number(e.target.value) })}
          >
            {summary.sampleTypes.map((t, i) => (
              <option key={i} value={i}>
                {t.type} ({t.unit})
              </option>
            ))}
          </select>
        </label>
        {(view === 'flame' || view === 'diff') && (
          <>
            <div className="segmented" role="group" aria-label="Orientation">
              <button aria-pressed={!inverted} onClick={() => setInverted(false)}>
                Icicle
              </button>
              <button aria-pressed={inverted} onClick={() => setInverted(true)}>
                Flame
              </button>
            </div>
            {/* The error hangs under the box: the toolbar does not reflow as one types. */}
            <span className="search-box">
              <input
                className="search"
                type="search"
                placeholder="Search (regex)"
                data-testid="search"
                value={search}
                aria-invalid={searchError !== null}
                aria-describedby={searchError !== null ? `search-error-${tab.key}` : undefined}
                onChange={(e) => setSearch(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key !== 'Enter' || !tree || !matched) return;
                  // Enter zooms to the widest match, then the next widest, and so on.
                  const order = matchesByWidth(tree, matched);
                  if (order.length === 0) return;
                  const seq = zoomRequest?.search === search ? zoomRequest.seq + 1 : 0;
                  setZoomRequest({ node: order[seq % order.length], tree, search, seq });
                }}
              />
              {searchError !== null && (
                <span
                  className="search-error"
                  role="alert"
                  id={`search-error-${tab.key}`}
                  data-testid="search-error"
                >
                  {searchError}
                </span>
              )}
            </span>
            {matched && tree && matchedTotal.data !== null && (
              <span className="search-share" data-testid="search-share">
                {formatPercent(matchedTotal.data, allTotal).trim()} of all
                {shownTotal !== undefined &&
                  shownTotal !== allTotal &&
                  `, ${formatPercent(matchedTotal.data, shownTotal).trim()} of shown`}{' '}
                matched
              </span>
            )}
          </>
        )}
        <select
          data-testid="export-profile"
          value=""
          aria-label="Export the current view"
          onChange={(e) => void exportProfile(e.target.value as ExportFormat)}
        >
          <option value="">Export…</option>
          <option value="pprof">pprof (.pb.gz), filtered</option>
          <option value="collapsed">collapsed stacks (.txt)</option>
          <option value="speedscope">speedscope (.json)</option>
        </select>
        {view === 'diff' && (
          <label>
            Base{' '}
            <select
              data-testid="diff-base"
              value={baseKey ?? ''}
              onChange={(e) => setBaseKey(e.target.value ? Number(e.target.value) : null)}
            >
              <option value="">choose a profile…</option>
              {bases.map((t) => (
                <option key={t.key} value={t.key}>
                  {t.title}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <FilterBar
        opts={filters}
        labelKeys={summary.labelKeys}
        onChange={patch}
        invalid={invalidFilterOf(error)}
      />
      {error && view === 'speedscope' && <div className="error-banner">{error}</div>}
      {view === 'flame' &&
        (errorMessage ??
          (tree && emptyMessage) ??
          (tree ? (
            <FlameGraph
              {...graphProps(tree)}
              zoomRequest={zoomRequest}
              exportName={stem}
              onOpenFunction={(n) => {
                setSandwichFn(n);
                setView('sandwich');
              }}
            />
          ) : (
            <div className="loading">Building the call tree…</div>
          )))}
      {view === 'top' &&
        (errorMessage ??
          (top.data && emptyMessage) ??
          (top.data ? (
            <TopTable table={top.data} onActivate={focusOn} />
          ) : (
            <div className="loading">Computing the top table…</div>
          )))}
      {view === 'sandwich' &&
        (errorMessage ??
          (top.data && emptyMessage) ??
          (top.data ? (
            <SandwichView
              profileId={profileId}
              opts={filters}
              table={top.data}
              allTotal={allTotal}
              selected={sandwichFn}
              onSelect={setSandwichFn}
            />
          ) : (
            <div className="loading">Computing functions…</div>
          )))}
      {view === 'diff' &&
        (!base ? (
          <div className="empty-state">
            <h2>Compare with a base profile</h2>
            <p>
              {bases.length > 0
                ? 'Choose the base profile above.'
                : 'Open a second profile of the same type (Ctrl+O or drop a file); then choose it as the base.'}
            </p>
          </div>
        ) : errorMessage ? (
          errorMessage
        ) : tree && top.data ? (
          <div className="diff-view">
            <DiffLegend base={base.title} />
            <FlameGraph {...graphProps(tree)} />
            <TopTable table={top.data} />
          </div>
        ) : (
          <div className="loading">Comparing…</div>
        ))}
      {view === 'speedscope' && (
        <SpeedscopeView profileId={profileId} opts={filters} title={tab.title} />
      )}
    </div>
  );
}
