// A triage in its tab: one progress bar per pod and capture while it runs, the scopes that
// failed, then the table (tables of previous triages show the change since). This component
// owns the sort and the rules; TriageTable, BreakdownBar and RuleEditor draw.
import { useMemo, useState } from 'react';
import type { CaptureKind, TriagePod } from '../../electron/contract';
import { KIND_LABELS } from '../live/presets';
import { DEFAULT_BREAKDOWN_RULES } from '../model';
import { BreakdownLegend } from './BreakdownBar';
import { RuleEditor } from './RuleEditor';
import type { TriageOpeners } from './triageOpeners';
import {
  captureFile,
  triageRows,
  type SortColumn,
  type SortOrder,
  type TriageRowGroup,
} from './triageRows';
import { TriageTable } from './TriageTable';
import { useTriage, type TriageSource } from './useTriage';
import { api } from '../api/api';

interface Props extends TriageOpeners {
  source: TriageSource;
}

/** Text columns sort A→Z first; figures largest first, the way a culprit is looked for. */
const TEXT_COLUMNS: readonly SortColumn[] = ['context', 'namespace', 'pod', 'node', 'top'];

function doneFile(dir: string, pod: TriagePod, kind: CaptureKind): string | null {
  const c = pod.captures[kind];
  return c?.state === 'done' && c.file ? captureFile(dir, c.file) : null;
}

export function TriageView({ source, onOpenFile, onOpenMerged, onOpenDiff }: Props) {
  const { status, error, finished, applyRules } = useTriage(source);
  const [order, setOrder] = useState<SortOrder>({ column: 'cpuCores', descending: true });
  const groups = useMemo(
    () => (status ? triageRows(status.pods, status.previous?.pods ?? null, order) : []),
    [status, order],
  );
  const sort = (column: SortColumn) =>
    setOrder((o) =>
      o.column === column
        ? { column, descending: !o.descending }
        : { column, descending: !TEXT_COLUMNS.includes(column) },
    );

  if (!status) {
    return (
      <div className="triage-view" data-testid="triage-view">
        {error ? (
          <div className="live-error" role="alert">
            {error}
          </div>
        ) : (
          <p className="muted">Listing pods…</p>
        )}
      </div>
    );
  }

  const dir = status.dir;
  const kinds = status.request.kinds;
  const rules = status.request.rules.length ? status.request.rules : DEFAULT_BREAKDOWN_RULES;
  const captures = status.pods.flatMap((p) => kinds.map((k) => p.captures[k]));
  const ended = captures.filter((c) => c && c.state !== 'pending' && c.state !== 'running');
  const failed = captures.filter((c) => c?.state === 'error').length;
  const contexts = [...new Set(status.pods.map((p) => p.context))];
  const cpuOf = (p: TriagePod) => doneFile(dir, p, 'cpu');

  return (
    <div className="triage-view" data-testid="triage-view" data-state={status.state}>
      <header className="triage-head">
        <h2>Triage</h2>
        <span data-testid="triage-summary">
          {status.pods.length} pods · {contexts.length} contexts ·{' '}
          {kinds.map((k) => KIND_LABELS[k]).join(', ')}
          {kinds.includes('cpu') ? ` (${status.request.seconds} s)` : ''} ·{' '}
          {new Date(status.startedAt).toLocaleString()}
        </span>
        {!finished ? (
          <>
            <progress
              max={Math.max(1, captures.length)}
              value={ended.length}
              title={`${ended.length} of ${captures.length} captures ended`}
            />
            <span className="muted">
              {status.state === 'resolving'
                ? 'listing pods…'
                : `${ended.length}/${captures.length}`}
            </span>
            {source.id && (
              <button
                data-testid="triage-cancel"
                onClick={() => void api.cancelTriage(source.id!).catch(() => undefined)}
              >
                Cancel all
              </button>
            )}
          </>
        ) : (
          <span className="muted" data-testid="triage-state">
            {status.state === 'cancelled' ? 'cancelled' : 'done'}
            {failed ? ` · ${failed} captures failed` : ''}
          </span>
        )}
        <span className="muted triage-dir" title={dir}>
          {dir}
        </span>
      </header>
      {error && (
        <div className="live-error" role="alert">
          {error}
        </div>
      )}
      {status.scopeErrors.map((e) => (
        <div
          key={`${e.context}/${e.namespace}`}
          className="live-error"
          data-testid="triage-scope-error"
          data-context={e.context}
        >
          <strong>
            {e.context}
            {e.namespace ? ` / ${e.namespace}` : ''}:
          </strong>{' '}
          {e.message}
        </div>
      ))}
      {status.previous && (
        <p className="muted" data-testid="triage-previous">
          ▲/▼: change since the triage of {new Date(status.previous.startedAt).toLocaleString()}
        </p>
      )}
      <BreakdownLegend
        rules={rules.map((r) => r.name)}
        sortedBy={order.column.startsWith('share:') ? order.column.slice(6) : null}
        onSort={(r) => setOrder({ column: `share:${r}`, descending: true })}
      />
      <RuleEditor rules={rules} onApply={finished ? (r) => void applyRules(r) : null} />
      {status.pods.length === 0 && status.state !== 'resolving' && (
        <p className="muted">No pods matched.</p>
      )}
      <TriageTable
        groups={groups}
        rules={rules.map((r) => r.name)}
        kinds={kinds}
        order={order}
        onSort={sort}
        showMetrics={status.pods.some((p) => p.metrics !== null)}
        onOpen={({ pod }) => {
          for (const k of kinds) {
            const file = doneFile(dir, pod, k);
            if (file && k !== 'trace') {
              onOpenFile({ path: file, name: `${pod.pod} ${KIND_LABELS[k]}`, size: 0, mtimeMs: 0 });
            }
          }
        }}
        canDiff={(row, g) =>
          cpuOf(row.pod) !== null && g.rows.some((r) => r !== row && cpuOf(r.pod) !== null)
        }
        onDiff={(row, g: TriageRowGroup) => {
          const rest = g.rows.filter((r) => r !== row).map((r) => cpuOf(r.pod));
          const base = rest.filter((f): f is string => f !== null);
          const target = cpuOf(row.pod);
          if (!target || base.length === 0) return;
          onOpenDiff(
            { title: `${g.group} CPU without ${row.pod.pod} (${base.length} pods)`, paths: base },
            { title: `${row.pod.pod} CPU vs ${g.group}`, paths: [target] },
          );
        }}
        onMerge={(g, kind) => {
          const pods = g.rows.map((r) => r.pod).filter((p) => doneFile(dir, p, kind) !== null);
          if (pods.length === 0) return;
          onOpenMerged(
            `${g.group} ${KIND_LABELS[kind]} (${pods.length} pods merged)`,
            pods.map((p) => doneFile(dir, p, kind)!),
            pods.map((p) => ({ context: p.context, namespace: p.namespace, pod: p.pod })),
          );
        }}
      />
    </div>
  );
}
