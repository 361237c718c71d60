// The triage table's rows, worked out from a TriageStatus: pods grouped by workload, each
// group sorted by the chosen column, each figure with its outlier flag and its change since
// the previous triage. Pure functions: the view only draws what these return.
import type { TriagePod } from '../../electron/contract';
import {
  changeSince,
  outliers,
  podKey,
  triageGroups,
  type Outlier,
  type PodChange,
  type TriageMetric,
} from '../model';

/** Columns the table sorts by; `share:<rule>` is one breakdown category's share of the CPU. */
export type SortColumn =
  | 'context'
  | 'namespace'
  | 'pod'
  | 'node'
  | 'restarts'
  | 'cpuCores'
  | 'heapInuseBytes'
  | 'goroutines'
  | 'top'
  | 'metricsCpu'
  | 'metricsMemory'
  | `share:${string}`;

export interface SortOrder {
  column: SortColumn;
  descending: boolean;
}

export interface TriageRow {
  key: string;
  pod: TriagePod;
  /** Figures far from the group's median, by metric. */
  outliers: Partial<Record<TriageMetric, Outlier>>;
  change: PodChange | null;
}

export interface TriageRowGroup {
  group: string;
  rows: TriageRow[];
}

/** A breakdown category's share of the pod's CPU (0–1), or null without a CPU profile. */
export function shareOf(p: TriagePod, rule: string): number | null {
  const b = p.summary?.breakdown;
  if (!b) return null;
  const total = b.reduce((n, c) => n + c.value, 0);
  const c = b.find((x) => x.rule === rule);
  return total > 0 && c ? c.value / total : null;
}

function sortValue(p: TriagePod, column: SortColumn): string | number | null {
  switch (column) {
    case 'context':
    case 'namespace':
    case 'pod':
      return p[column];
    case 'node':
      return p.node;
    case 'restarts':
      return p.restarts;
    case 'cpuCores':
    case 'heapInuseBytes':
    case 'goroutines':
      return p.summary?.[column] ?? null;
    case 'top':
      return p.summary?.topFunction?.name ?? null;
    case 'metricsCpu':
      return p.metrics?.cpuCores ?? null;
    case 'metricsMemory':
      return p.metrics?.memoryBytes ?? null;
    default:
      return shareOf(p, column.slice('share:'.length));
  }
}

/** Compares by `order`; pods without a value go last either way, ties by context/namespace/pod. */
export function comparePods(a: TriagePod, b: TriagePod, order: SortOrder): number {
  const va = sortValue(a, order.column);
  const vb = sortValue(b, order.column);
  if (va === null || vb === null) {
    if (va !== vb) return va === null ? 1 : -1;
  } else if (va !== vb) {
    const c =
      typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va) < String(vb) ? -1 : 1;
    return order.descending ? -c : c;
  }
  const ka = podKey(a);
  const kb = podKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function triageRows(
  pods: TriagePod[],
  previous: TriagePod[] | null,
  order: SortOrder,
): TriageRowGroup[] {
  const flagged = new Map<string, Partial<Record<TriageMetric, Outlier>>>();
  for (const o of outliers(pods)) {
    const k = podKey(o);
    flagged.set(k, { ...flagged.get(k), [o.metric]: o });
  }
  const changes = new Map<string, PodChange>();
  if (previous) for (const c of changeSince(previous, pods)) changes.set(c.key, c);
  return triageGroups(pods).map((g) => ({
    group: g.group,
    rows: g.pods
      .slice()
      .sort((a, b) => comparePods(a, b, order))
      .map((pod) => {
        const key = podKey(pod);
        return { key, pod, outliers: flagged.get(key) ?? {}, change: changes.get(key) ?? null };
      }),
  }));
}

/** Why a figure is flagged, in words, for its tooltip. */
export function outlierReason(o: Outlier, format: (v: number) => string): string {
  const ratio = o.median > 0 ? o.value / o.median : Infinity;
  const times = Number.isFinite(ratio)
    ? ratio >= 1
      ? `${ratio.toFixed(1)}×`
      : `${(1 / ratio).toFixed(1)}× less than`
    : 'far above';
  return `${format(o.value)} is ${times} the median of ${o.group} (${format(o.median)}): ${
    o.direction === 'high' ? 'far above' : 'far below'
  } the other pods of its workload`;
}

/** The path of a capture file: as given if absolute, else under the triage's folder. */
export function captureFile(dir: string, file: string): string {
  if (/^(?:[A-Za-z]:)?[\\/]/.test(file)) return file;
  return `${dir.replace(/[\\/]+$/, '')}/${file}`;
}
