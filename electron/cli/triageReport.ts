// What `profscope triage` prints: a table as kubectl prints one (upper-case headers, columns
// padded with spaces), or with --json an object for scripts.
import type { TriagePod, TriageStatus } from '../contract';
import { formatValue, triageOutliers } from '../../renderer/model/index';

function cores(v: number | null | undefined): string {
  return v === null || v === undefined ? '-' : v.toFixed(2);
}

function bytes(v: number | null | undefined): string {
  return v === null || v === undefined ? '-' : formatValue(v, 'bytes');
}

/** The two largest shares of the CPU breakdown, e.g. "Serving requests 61%, Encoding 22%". */
function breakdownText(pod: TriagePod): string {
  const parts = pod.summary?.breakdown;
  if (!parts) return '-';
  const total = parts.reduce((s, p) => s + p.value, 0);
  if (total <= 0) return '-';
  return [...parts]
    .sort((a, b) => b.value - a.value)
    .slice(0, 2)
    .map((p) => ({ rule: p.rule, pct: Math.round((100 * p.value) / total) }))
    .filter((p) => p.pct > 0)
    .map((p) => `${p.rule} ${p.pct}%`)
    .join(', ');
}

function errorsOf(pod: TriagePod): string[] {
  return Object.entries(pod.captures)
    .filter(([, c]) => c?.error)
    .map(([kind, c]) => `${kind}: ${c?.error}`);
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i])))
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}

export function triageTableText(status: TriageStatus): string {
  const flags = triageOutliers(status.pods);
  const header = [
    'CONTEXT',
    'NAMESPACE',
    'POD',
    'NODE',
    'RESTARTS',
    'CPU(cores)',
    'HEAP',
    'GOROUTINES',
    'KUBECTL TOP(cores)',
    'TOP FUNCTION',
    'CPU GOES TO',
    'FLAGS',
  ];
  const rows = status.pods.map((p, i) => [
    p.context,
    p.namespace,
    p.pod,
    p.node ?? '-',
    String(p.restarts),
    cores(p.summary?.cpuCores),
    bytes(p.summary?.heapInuseBytes),
    p.summary?.goroutines === null || p.summary?.goroutines === undefined
      ? '-'
      : String(p.summary.goroutines),
    p.metrics ? cores(p.metrics.cpuCores) : '-',
    p.summary?.topFunction
      ? `${p.summary.topFunction.name} (${Math.round(p.summary.topFunction.share * 100)}%)`
      : '-',
    breakdownText(p),
    (flags[i] ?? []).map((f) => f.text).join('; '),
  ]);
  let out = `${table([header, ...rows])}\n`;
  for (const p of status.pods)
    for (const e of errorsOf(p)) out += `error: ${p.context}/${p.namespace}/${p.pod} ${e}\n`;
  for (const e of status.scopeErrors)
    out += `error: context ${e.context}${e.namespace ? `, namespace ${e.namespace}` : ''}: ${e.message}\n`;
  out += `saved in ${status.dir}\n`;
  return out;
}

/** `--json`: every pod with its captures' files and totals, its summary and its flags. */
export function triageJson(status: TriageStatus) {
  const flags = triageOutliers(status.pods);
  return {
    dir: status.dir,
    state: status.state,
    pods: status.pods.map((p, i) => ({
      context: p.context,
      namespace: p.namespace,
      pod: p.pod,
      node: p.node,
      restarts: p.restarts,
      group: p.group,
      captures: Object.fromEntries(
        Object.entries(p.captures).map(([kind, c]) => [
          kind,
          {
            file: c?.file ?? null,
            total: c?.total ?? null,
            unit: c?.unit ?? null,
            error: c?.error ?? null,
          },
        ]),
      ),
      summary: p.summary,
      metrics: p.metrics,
      flags: (flags[i] ?? []).map((f) => f.text),
    })),
    scopeErrors: status.scopeErrors,
  };
}
