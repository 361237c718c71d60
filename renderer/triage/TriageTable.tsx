// The triage table: one row per pod, grouped by workload. Each figure is flagged when far from
// its group's median (the tooltip says why) and shows its change since the previous triage.
// Draws what it is given; sorting and the row actions are the owner's.
import type { ReactNode } from 'react';
import type { CaptureKind, TriageCapture, TriagePod } from '../../electron/contract';
import { KIND_LABELS } from '../live/presets';
import type { Outlier, TriageMetric } from '../model';
import { BreakdownBar } from './BreakdownBar';
import { bytes, cores, delta, METRIC_FORMAT, percent, shortFunction } from './triageFormat';
import {
  outlierReason,
  type SortColumn,
  type SortOrder,
  type TriageRow,
  type TriageRowGroup,
} from './triageRows';

export interface RowActions {
  onOpen: (row: TriageRow) => void;
  /** False when the pod or the rest of its group has no CPU profile. */
  canDiff: (row: TriageRow, group: TriageRowGroup) => boolean;
  onDiff: (row: TriageRow, group: TriageRowGroup) => void;
  onMerge: (group: TriageRowGroup, kind: CaptureKind) => void;
}

interface Props extends RowActions {
  groups: TriageRowGroup[];
  rules: string[];
  kinds: CaptureKind[];
  order: SortOrder;
  onSort: (column: SortColumn) => void;
  /** Some pod has kubectl top figures: show their columns. */
  showMetrics: boolean;
}

const COLUMNS: { column: SortColumn; label: string; title?: string; numeric?: boolean }[] = [
  { column: 'context', label: 'Context' },
  { column: 'namespace', label: 'Namespace' },
  { column: 'pod', label: 'Pod' },
  { column: 'node', label: 'Node' },
  { column: 'restarts', label: 'Restarts', numeric: true },
];

const FIGURES: { column: TriageMetric; label: string; title: string }[] = [
  {
    column: 'cpuCores',
    label: 'CPU',
    title: 'Cores: CPU seconds ÷ wall seconds of the CPU profile',
  },
  { column: 'heapInuseBytes', label: 'Heap in use', title: 'inuse_space of the heap profile' },
  { column: 'goroutines', label: 'Goroutines', title: 'Goroutines in the goroutine profile' },
];

function SortHeader({
  column,
  label,
  title,
  order,
  onSort,
  numeric,
}: {
  column: SortColumn;
  label: ReactNode;
  title?: string;
  order: SortOrder;
  onSort: (c: SortColumn) => void;
  numeric?: boolean;
}) {
  const sorted = order.column === column;
  return (
    <th
      className={numeric ? 'num' : undefined}
      aria-sort={sorted ? (order.descending ? 'descending' : 'ascending') : 'none'}
      title={title}
    >
      <button
        className="triage-sort"
        data-testid={`triage-sort-${column}`}
        onClick={() => onSort(column)}
      >
        {label}
        {sorted ? (order.descending ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );
}

/** One capture's state: a progress bar while it runs, then ✓ or ✗ with the error. */
function CaptureCell({
  kind,
  c,
  compact,
}: {
  kind: CaptureKind;
  c: TriageCapture | undefined;
  /** Every capture of the pod is done: a tick each says enough (the tooltip names it). */
  compact: boolean;
}) {
  const state = c?.state ?? 'pending';
  const label = KIND_LABELS[kind];
  // Short: the column holds one per kind; the tooltip says the rest.
  const short = kind === 'goroutine' ? 'gor.' : kind;
  return (
    <span
      className={`triage-capture triage-capture-${state}`}
      data-testid="triage-progress"
      data-kind={kind}
      data-state={state}
      title={c?.error ? `${label}: ${c.error}` : `${label}: ${state}`}
    >
      {state === 'running' || state === 'pending' ? (
        <>
          {short} <progress max={1} value={state === 'running' ? c?.progress : 0} />
        </>
      ) : state === 'done' ? (
        compact ? (
          '✓'
        ) : (
          `${short} ✓`
        )
      ) : (
        `${short} ✗`
      )}
    </span>
  );
}

function Figure({ row, metric }: { row: TriageRow; metric: TriageMetric }) {
  const v = row.pod.summary?.[metric] ?? null;
  const format = METRIC_FORMAT[metric];
  const flag: Outlier | undefined = row.outliers[metric];
  const change = row.change ? delta(row.change.delta[metric], format) : null;
  return (
    <td
      className={`num ${flag ? 'triage-outlier' : ''}`}
      data-testid={`triage-${metric}`}
      data-value={v ?? ''}
      data-outlier={flag ? flag.direction : undefined}
      title={flag ? outlierReason(flag, format) : undefined}
    >
      {flag && <span aria-label="outlier">⚠ </span>}
      {v === null ? '–' : format(v)}
      {change && (
        <span
          className={`triage-delta ${change.startsWith('▲') ? 'up' : change.startsWith('▼') ? 'down' : ''}`}
          data-testid="triage-delta"
          title={
            row.change?.matchedBy === 'group'
              ? `Since the previous triage, against ${row.change.previous?.pod} (same workload)`
              : 'Since the previous triage'
          }
        >
          {change}
        </span>
      )}
    </td>
  );
}

export function TriageTable(p: Props) {
  const { groups, kinds, order, onSort, showMetrics } = p;
  const span = COLUMNS.length + FIGURES.length + 5 + (showMetrics ? 2 : 0);
  return (
    <div className="triage-table-wrap">
      <table className="triage-table" data-testid="triage-table">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <SortHeader key={c.column} {...c} order={order} onSort={onSort} />
            ))}
            <th>Captures</th>
            {FIGURES.map((f) => (
              <SortHeader key={f.column} {...f} numeric order={order} onSort={onSort} />
            ))}
            <SortHeader
              column="top"
              label="Top function (self)"
              title="The function with the most CPU self time, and its share of the CPU"
              order={order}
              onSort={onSort}
            />
            <th title="Where the CPU goes, by the rules above">CPU breakdown</th>
            {showMetrics && (
              <>
                <SortHeader
                  column="metricsCpu"
                  label="top CPU"
                  title="kubectl top pod: cores (metrics.k8s.io)"
                  numeric
                  order={order}
                  onSort={onSort}
                />
                <SortHeader
                  column="metricsMemory"
                  label="top memory"
                  title="kubectl top pod: working set (metrics.k8s.io)"
                  numeric
                  order={order}
                  onSort={onSort}
                />
              </>
            )}
            <th />
          </tr>
        </thead>
        {groups.map((g) => (
          <tbody key={g.group} data-testid="triage-group" data-group={g.group}>
            <tr className="triage-group-head">
              <th colSpan={span}>
                <span>
                  {g.group}{' '}
                  <span className="muted">
                    · {g.rows.length} pod{g.rows.length === 1 ? '' : 's'}
                  </span>
                </span>
                {g.rows.length > 1 &&
                  kinds.map((k) => (
                    <button
                      key={k}
                      data-testid="triage-merge"
                      data-kind={k}
                      title={`Merge the ${KIND_LABELS[k]} profiles of ${g.group}; each sample keeps its context, namespace and pod as labels`}
                      onClick={() => p.onMerge(g, k)}
                    >
                      Merge {KIND_LABELS[k]}
                    </button>
                  ))}
              </th>
            </tr>
            {g.rows.map((row) => (
              <PodRow key={row.key} row={row} group={g} {...p} />
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}

function PodRow({
  row,
  group,
  rules,
  kinds,
  showMetrics,
  ...actions
}: Props & { row: TriageRow; group: TriageRowGroup }) {
  const pod: TriagePod = row.pod;
  const top = pod.summary?.topFunction ?? null;
  const flagged = Object.keys(row.outliers);
  const allDone = kinds.every((k) => pod.captures[k]?.state === 'done');
  return (
    <tr
      data-testid="triage-row"
      data-context={pod.context}
      data-namespace={pod.namespace}
      data-pod={pod.pod}
      data-group={pod.group}
      data-outlier={flagged.join(',') || undefined}
      className={flagged.length ? 'triage-row-outlier' : undefined}
    >
      <td>{pod.context}</td>
      <td className="triage-clip" title={pod.namespace}>
        {pod.namespace}
      </td>
      <td className="triage-clip triage-pod" title={pod.pod}>
        {pod.pod}
      </td>
      <td className="triage-clip" title={pod.node ?? undefined}>
        {pod.node ?? '–'}
      </td>
      <td className={`num ${pod.restarts > 0 ? 'live-bad' : ''}`}>{pod.restarts}</td>
      <td>
        <div className="triage-captures">
          {kinds.map((k) => (
            <CaptureCell key={k} kind={k} c={pod.captures[k]} compact={allDone} />
          ))}
        </div>
      </td>
      {FIGURES.map((f) => (
        <Figure key={f.column} row={row} metric={f.column} />
      ))}
      <td
        className="triage-clip triage-top"
        title={top ? `${top.name}: ${percent(top.share)} of the CPU` : undefined}
      >
        {top ? (
          <>
            {shortFunction(top.name)} <span className="muted">{percent(top.share)}</span>
          </>
        ) : (
          '–'
        )}
      </td>
      <td>
        {pod.summary?.breakdown ? (
          <BreakdownBar breakdown={pod.summary.breakdown} rules={rules} />
        ) : (
          '–'
        )}
      </td>
      {showMetrics && (
        <>
          <td className="num" data-testid="triage-top-cpu">
            {pod.metrics ? cores(pod.metrics.cpuCores) : '–'}
          </td>
          <td className="num" data-testid="triage-top-memory">
            {pod.metrics ? bytes(pod.metrics.memoryBytes) : '–'}
          </td>
        </>
      )}
      <td>
        <div className="triage-actions">
          <button
            data-testid="triage-open"
            title="Open this pod's captures, one tab each"
            disabled={!Object.values(pod.captures).some((c) => c?.state === 'done' && c.file)}
            onClick={() => actions.onOpen(row)}
          >
            Open
          </button>
          <button
            data-testid="triage-diff"
            title={`Diff this pod's CPU against the rest of ${pod.group} merged`}
            disabled={!actions.canDiff(row, group)}
            onClick={() => actions.onDiff(row, group)}
          >
            Diff
          </button>
        </div>
      </td>
    </tr>
  );
}
