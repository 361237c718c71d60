// The triage table's logic, shared by the window and the command line: groups of pods of one
// workload, values far from their group's median, and the change since the previous triage.
import type { TriageRow } from './types';

/** The figures compared across pods. */
export type TriageMetric = 'cpuCores' | 'heapInuseBytes' | 'goroutines';
export const TRIAGE_METRICS: readonly TriageMetric[] = ['cpuCores', 'heapInuseBytes', 'goroutines'];

/** context/namespace/pod: a pod's identity across triages. */
export function podKey(p: Pick<TriageRow, 'context' | 'namespace' | 'pod'>): string {
  return `${p.context}/${p.namespace}/${p.pod}`;
}

export function metricOf(p: TriageRow, m: TriageMetric): number | null {
  return p.summary ? p.summary[m] : null;
}

export interface TriageGroup<P extends TriageRow = TriageRow> {
  group: string;
  pods: P[];
}

/**
 * Pods grouped by workload (TriagePod.group) across contexts and namespaces: Fleet's agent is
 * one workload whichever cluster runs it, and an agent is compared with the other agents.
 * Groups by name, pods by context, namespace, name.
 */
export function triageGroups<P extends TriageRow>(pods: P[]): TriageGroup<P>[] {
  const by = new Map<string, P[]>();
  for (const p of pods) {
    const list = by.get(p.group);
    if (list) list.push(p);
    else by.set(p.group, [p]);
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...by.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([group, list]) => ({
      group,
      pods: list.slice().sort((a, b) => cmp(podKey(a), podKey(b))),
    }));
}

/** The median (the mean of the middle two for an even count); NaN for none. */
export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = values.slice().sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** A group needs this many pods with a value before any of them is called far from the rest. */
export const OUTLIER_MIN_GROUP = 3;
/** Far: at least this many times the median, or at most its inverse. */
export const OUTLIER_FACTOR = 2;
/**
 * …and at least this far from the median in absolute terms, so that idle pods (0.002 against
 * 0.001 cores) or a median of 0 do not flag noise.
 */
export const OUTLIER_FLOOR: Record<TriageMetric, number> = {
  cpuCores: 0.05,
  heapInuseBytes: 16 * 1024 * 1024,
  goroutines: 50,
};

export interface Outlier {
  context: string;
  namespace: string;
  pod: string;
  group: string;
  metric: TriageMetric;
  value: number;
  /** The median of the group's values, this pod's included. */
  median: number;
  direction: 'high' | 'low';
}

/**
 * Values far from their group's median: in a group of at least OUTLIER_MIN_GROUP pods with a
 * value for the metric, a value v with median m is flagged
 *   high when v ≥ OUTLIER_FACTOR × m and v − m ≥ OUTLIER_FLOOR[metric],
 *   low  when v ≤ m ÷ OUTLIER_FACTOR and m − v ≥ OUTLIER_FLOOR[metric].
 * Pods without a value (capture failed) neither count nor are flagged.
 */
export function outliers(pods: TriageRow[]): Outlier[] {
  const out: Outlier[] = [];
  for (const g of triageGroups(pods)) {
    for (const metric of TRIAGE_METRICS) {
      const valued = g.pods.flatMap((p) => {
        const v = metricOf(p, metric);
        return v === null ? [] : [{ p, v }];
      });
      if (valued.length < OUTLIER_MIN_GROUP) continue;
      const m = median(valued.map((x) => x.v));
      const floor = OUTLIER_FLOOR[metric];
      for (const { p, v } of valued) {
        const high = v >= OUTLIER_FACTOR * m && v - m >= floor;
        const low = v <= m / OUTLIER_FACTOR && m - v >= floor;
        if (high || low) {
          out.push({
            context: p.context,
            namespace: p.namespace,
            pod: p.pod,
            group: g.group,
            metric,
            value: v,
            median: m,
            direction: high ? 'high' : 'low',
          });
        }
      }
    }
  }
  return out;
}

const METRIC_LABEL: Record<TriageMetric, string> = {
  cpuCores: 'CPU',
  heapInuseBytes: 'heap',
  goroutines: 'goroutines',
};

/** "CPU 7.7× group median", "heap 23% of group median": what the flag says in a table cell. */
export function outlierText(o: Outlier): string {
  const label = METRIC_LABEL[o.metric];
  if (o.median === 0) return `${label} above a group median of 0`;
  const ratio = o.value / o.median;
  return o.direction === 'high'
    ? `${label} ${ratio.toFixed(1)}× group median`
    : `${label} ${Math.round(ratio * 100)}% of group median`;
}

/** outliers(pods) per pod, in the order of `pods` (none: an empty list), each with its text. */
export function triageOutliers(pods: TriageRow[]): (Outlier & { text: string })[][] {
  const byKey = new Map<string, (Outlier & { text: string })[]>();
  for (const o of outliers(pods)) {
    const k = podKey(o);
    const list = byKey.get(k) ?? [];
    list.push({ ...o, text: outlierText(o) });
    byKey.set(k, list);
  }
  return pods.map((p) => byKey.get(podKey(p)) ?? []);
}

export interface PodChange<P extends TriageRow = TriageRow> {
  /** podKey of the current pod. */
  key: string;
  /** The pod of the previous triage it is compared with, or null when there is none. */
  previous: P | null;
  /** 'pod': same context/namespace/pod; 'group': the pod was replaced (a new name, same workload). */
  matchedBy: 'pod' | 'group' | null;
  /** current − previous, per metric; null where either side has no value. */
  delta: Record<TriageMetric, number | null>;
}

/**
 * Each current pod's change since the previous triage. Pods are matched by context/namespace/
 * pod first; the pods left on both sides are then paired within the same context, namespace
 * and group, in name order (a Deployment's pod replaced by a rollout or an eviction).
 * Returned in the order of `current`.
 */
export function changeSince<P extends TriageRow>(
  previous: P[],
  current: TriageRow[],
): PodChange<P>[] {
  const prevByKey = new Map(previous.map((p) => [podKey(p), p]));
  const currentKeys = new Set(current.map(podKey));
  const spare = new Map<string, P[]>();
  const groupKey = (p: TriageRow) => `${p.context}/${p.namespace}/${p.group}`;
  for (const p of previous.slice().sort((a, b) => (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0))) {
    if (currentKeys.has(podKey(p))) continue;
    const list = spare.get(groupKey(p));
    if (list) list.push(p);
    else spare.set(groupKey(p), [p]);
  }
  const replaced = new Map<TriageRow, P>();
  const unmatched = current
    .filter((p) => !prevByKey.has(podKey(p)))
    .sort((a, b) => (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0));
  for (const p of unmatched) {
    const before = spare.get(groupKey(p))?.shift();
    if (before) replaced.set(p, before);
  }
  return current.map((p) => {
    const exact = prevByKey.get(podKey(p));
    const prev = exact ?? replaced.get(p) ?? null;
    const delta = {} as Record<TriageMetric, number | null>;
    for (const m of TRIAGE_METRICS) {
      const a = prev ? metricOf(prev, m) : null;
      const b = metricOf(p, m);
      delta[m] = a === null || b === null ? null : b - a;
    }
    return {
      key: podKey(p),
      previous: prev,
      matchedBy: exact ? 'pod' : prev ? 'group' : null,
      delta,
    };
  });
}
