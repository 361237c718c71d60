// Live attach: pick a context, find pods, choose where pprof is, capture (with countdown and
// cancel), keep forwards and continuous captures in view. Credentials never come here: the
// main process answers with names and results only.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  CAPTURE_KINDS,
  CUMULATIVE_KINDS,
  type CaptureKind,
  type CaptureStatus,
  type ContinuousInfo,
  type ForwardInfo,
  type KubeContexts,
  type PodInfo,
  type PodTarget,
  type PprofEndpoint,
  type ProfileFileInfo,
} from '../../electron/contract';
import { api } from '../api/api';
import { LivePanelFrame, useErrorMessage } from './LivePanelFrame';
import { startPolling } from './poll';
import { age, FLEET_PRESETS, KIND_LABELS } from './presets';

export interface LiveOpeners {
  onOpenFile: (file: ProfileFileInfo) => void;
  onOpenMerged: (title: string, paths: string[]) => void;
  onOpenFolder: (path: string) => void;
}

interface Props extends LiveOpeners {
  onClose: () => void;
}

interface Batch {
  /** The capture ids joined: unique, as capture ids are. */
  key: string;
  ids: string[];
  kind: CaptureKind;
}

const podKey = (p: Pick<PodInfo, 'namespace' | 'name'>) => `${p.namespace}/${p.name}`;

/** `prev` with `next` put in by id. */
function withStatuses(
  prev: Record<string, CaptureStatus>,
  next: CaptureStatus[],
): Record<string, CaptureStatus> {
  const out = { ...prev };
  for (const s of next) out[s.id] = s;
  return out;
}

/** A whole number of seconds, at least 1, from a number input. */
const wholeSeconds = (value: string) => Math.max(1, Math.round(Number(value)));

export function ConnectPanel({ onClose, onOpenFile, onOpenMerged, onOpenFolder }: Props) {
  const [contexts, setContexts] = useState<KubeContexts | null>(null);
  const [context, setContext] = useState('');
  const [namespaces, setNamespaces] = useState<string[]>([]);
  const [namespace, setNamespace] = useState('');
  const [pods, setPods] = useState<PodInfo[]>([]);
  const [search, setSearch] = useState('');
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [focused, setFocused] = useState<string | null>(null);
  const [port, setPort] = useState(6060);
  const [pathPrefix, setPathPrefix] = useState('/debug/pprof');
  const [container, setContainer] = useState<string | null>(null);
  const [kind, setKind] = useState<CaptureKind>('cpu');
  const [seconds, setSeconds] = useState(10);
  const [delta, setDelta] = useState(false);
  const [period, setPeriod] = useState(30);
  const [component, setComponent] = useState('fleetcontroller');
  const { error, setError, fail } = useErrorMessage();
  const [note, setNote] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [index, setIndex] = useState<PprofEndpoint[] | null>(null);
  const [statuses, setStatuses] = useState<Record<string, CaptureStatus>>({});
  const [batches, setBatches] = useState<Batch[]>([]);
  const [forwards, setForwards] = useState<ForwardInfo[]>([]);
  const [jobs, setJobs] = useState<ContinuousInfo[]>([]);
  const pendingSearch = useRef<string | null>(null);

  useEffect(() => {
    api.kubeContexts().then((info) => {
      setContexts(info);
      setContext(info.current ?? info.contexts[0]?.name ?? '');
    }, fail);
  }, [fail]);

  const loadPods = useCallback(
    async (ctx: string, ns: string) => {
      if (!ctx) return;
      setLoading(true);
      setError(null);
      try {
        setPods(await api.kubePods(ctx, ns));
      } catch (err) {
        setPods([]);
        fail(err);
      } finally {
        setLoading(false);
      }
    },
    [fail, setError],
  );

  useEffect(() => {
    if (!context) return;
    setNamespaces([]);
    api.kubeNamespaces(context).then(setNamespaces, fail);
  }, [context, fail]);

  useEffect(() => {
    void loadPods(context, namespace);
    setChecked(new Set());
    setFocused(null);
    if (pendingSearch.current !== null) {
      setSearch(pendingSearch.current);
      pendingSearch.current = null;
    }
  }, [context, namespace, loadPods]);

  // Forwards, continuous jobs and running captures: every 250 ms while a capture runs, else
  // every 2 s. The effect depends only on whether something runs, not on the statuses
  // themselves (each tick sets new ones, which would restart it and tick again at once, a
  // back-to-back IPC loop); the tick reads the latest statuses from a ref instead.
  const running = Object.values(statuses).some((s) => s.state === 'running');
  const statusesRef = useRef(statuses);
  useEffect(() => {
    statusesRef.current = statuses;
  }, [statuses]);
  const tickGate = useRef<Promise<void> | null>(null);
  useEffect(() => {
    const tick = async (isLive: () => boolean) => {
      const [fw, js] = await Promise.all([
        api.listForwards().catch((): ForwardInfo[] => []),
        api.listContinuous().catch((): ContinuousInfo[] => []),
      ]);
      if (!isLive()) return;
      setForwards(fw);
      setJobs(js);
      const live = Object.values(statusesRef.current).filter((s) => s.state === 'running');
      if (live.length === 0) return;
      const next = await Promise.all(live.map((s) => api.captureStatus(s.id).catch(() => s)));
      if (!isLive()) return;
      setStatuses((prev) => withStatuses(prev, next));
    };
    return startPolling(tick, running ? 250 : 2000, tickGate);
  }, [running]);

  // Open each batch once all its captures are done: one tab per pod, plus a merged view.
  // Which batches were opened is kept in a ref, not written into the batch objects: those
  // are state, and changing state in place is invisible to React.
  const openedBatches = useRef(new Set<string>());
  useEffect(() => {
    const ready = batches.filter(
      (b) =>
        !openedBatches.current.has(b.key) &&
        b.ids.every((id) => statuses[id] !== undefined && statuses[id].state !== 'running'),
    );
    for (const b of ready) {
      openedBatches.current.add(b.key);
      const done = b.ids
        .map((id) => statuses[id])
        .filter((s): s is CaptureStatus => s !== undefined && s.state === 'done' && !!s.entry);
      if (b.kind === 'trace') {
        if (done.length) {
          setNote(
            `Execution traces are not pprof profiles: saved for \`go tool trace\`: ${done.map((s) => s.entry?.path).join(', ')}`,
          );
        }
        continue;
      }
      for (const s of done) {
        const e = s.entry!;
        onOpenFile({
          path: e.path,
          name: `${s.request.pod} ${KIND_LABELS[b.kind]}`,
          size: e.size,
          mtimeMs: Date.now(),
        });
      }
      if (done.length > 1) {
        onOpenMerged(
          `merged ${KIND_LABELS[b.kind]} (${done.length} pods)`,
          done.map((s) => s.entry!.path),
        );
      }
    }
  }, [batches, statuses, onOpenFile, onOpenMerged]);

  const visible = useMemo(() => {
    const q = search.trim().toLowerCase();
    if (!q) return pods;
    return pods.filter(
      (p) =>
        p.name.toLowerCase().includes(q) ||
        p.namespace.toLowerCase().includes(q) ||
        (p.node ?? '').toLowerCase().includes(q) ||
        p.status.toLowerCase().includes(q) ||
        Object.entries(p.labels).some(([k, v]) => `${k}=${v}`.toLowerCase().includes(q)),
    );
  }, [pods, search]);

  const focusedPod = pods.find((p) => podKey(p) === focused) ?? null;
  const selected = pods.filter((p) => checked.has(podKey(p)));
  const targets: PodInfo[] = selected.length ? selected : focusedPod ? [focusedPod] : [];

  const targetFor = (p: PodInfo): PodTarget => ({
    context,
    namespace: p.namespace,
    pod: p.name,
    container: p.containers.some((c) => c.name === container)
      ? container
      : (p.containers[0]?.name ?? null),
    port,
    pathPrefix,
  });

  const focus = (p: PodInfo) => {
    setFocused(podKey(p));
    setIndex(null);
    const first = p.containers[0];
    if (first) {
      setContainer(first.name);
      const c = first.candidates[0];
      if (c) {
        setPort(c.port);
        setPathPrefix(c.pathPrefix);
      }
    }
  };

  const startCaptures = async () => {
    setError(null);
    setNote(null);
    try {
      const ids = await Promise.all(
        targets.map((p) =>
          api.startCapture({
            ...targetFor(p),
            kind,
            seconds,
            delta: delta && CUMULATIVE_KINDS.includes(kind),
          }),
        ),
      );
      const now = await Promise.all(ids.map((id) => api.captureStatus(id)));
      setStatuses((prev) => withStatuses(prev, now));
      setBatches((bs) => [...bs, { key: ids.join(','), ids, kind }]);
    } catch (err) {
      fail(err);
    }
  };

  const timed = kind === 'cpu' || kind === 'trace' || (delta && CUMULATIVE_KINDS.includes(kind));

  return (
    <LivePanelFrame
      title="Connect"
      label="Connect to a cluster"
      closeLabel="Close connect panel"
      testId="connect-panel"
      onClose={onClose}
    >
      {error && (
        <div className="live-error" role="alert" data-testid="live-error">
          {error}
        </div>
      )}
      {note && (
        <div className="live-note" data-testid="live-note">
          {note}
        </div>
      )}
      <section className="live-row">
        <label>
          Context{' '}
          <select
            data-testid="context-select"
            value={context}
            onChange={(e) => setContext(e.target.value)}
          >
            {contexts?.contexts.map((c) => (
              <option
                key={c.name}
                value={c.name}
                title={`${c.cluster} · ${c.user} · ${c.auth} · ${c.file}`}
              >
                {c.name}
                {c.name === contexts.current ? ' (current)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          Namespace{' '}
          <select
            data-testid="namespace-select"
            value={namespace}
            onChange={(e) => setNamespace(e.target.value)}
          >
            <option value="">All namespaces</option>
            {namespaces.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button onClick={() => void loadPods(context, namespace)} disabled={loading}>
          {loading ? 'Loading…' : 'Refresh'}
        </button>
      </section>
      {contexts && contexts.contexts.length === 0 && (
        <p className="muted">
          No kubeconfig contexts found in{' '}
          {contexts.files.join(', ') || 'KUBECONFIG or ~/.kube/config'}.
        </p>
      )}
      {contexts?.warnings.map((w) => (
        <p key={w} className="muted live-warning">
          ⚠ {w}
        </p>
      ))}
      <section className="live-row">
        <span className="muted">Presets:</span>
        {FLEET_PRESETS.map((p) => (
          <button
            key={p.label}
            onClick={() => {
              setPort(p.port);
              setPathPrefix('/debug/pprof');
              setComponent(p.component);
              if (namespace === p.namespace) setSearch(p.podSearch);
              else {
                pendingSearch.current = p.podSearch;
                setNamespace(p.namespace);
              }
            }}
          >
            {p.label}
          </button>
        ))}
      </section>
      <input
        className="live-search"
        data-testid="pod-search"
        placeholder="Search pods by name, label, node or status"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      <div className="live-pods">
        <table>
          <thead>
            <tr>
              <th />
              <th>Pod</th>
              <th>Status</th>
              <th>Ready</th>
              <th>Restarts</th>
              <th>Node</th>
              <th>Age</th>
            </tr>
          </thead>
          <tbody>
            {visible.map((p) => (
              <tr
                key={podKey(p)}
                data-testid="pod-row"
                className={podKey(p) === focused ? 'focused' : ''}
                onClick={() => focus(p)}
                title={Object.entries(p.labels)
                  .map(([k, v]) => `${k}=${v}`)
                  .join('\n')}
              >
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${p.name}`}
                    checked={checked.has(podKey(p))}
                    onClick={(e) => e.stopPropagation()}
                    onChange={(e) => {
                      const next = new Set(checked);
                      if (e.target.checked) next.add(podKey(p));
                      else next.delete(podKey(p));
                      setChecked(next);
                      if (!focused) focus(p);
                    }}
                  />
                </td>
                <td>
                  {namespace === '' && <span className="muted">{p.namespace}/</span>}
                  {p.name}
                </td>
                <td className={p.status === 'Running' ? '' : 'live-bad'}>{p.status}</td>
                <td>{p.ready}</td>
                <td>{p.restarts}</td>
                <td>{p.node ?? '–'}</td>
                <td>{age(p.createdAt)}</td>
              </tr>
            ))}
            {visible.length === 0 && !loading && (
              <tr>
                <td colSpan={7} className="muted">
                  No pods{search ? ' match' : ''}.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {focusedPod && (
        <section className="live-target" data-testid="pod-detail">
          <h3>{focusedPod.name}</h3>
          {focusedPod.containers.map((c) => (
            <div key={c.name} className="live-container">
              <strong>{c.name}</strong> <span className="muted">{c.image}</span>
              <div className="live-row">
                {c.candidates.map((cand) => (
                  <button
                    key={`${cand.port}${cand.pathPrefix}`}
                    aria-pressed={
                      container === c.name && port === cand.port && pathPrefix === cand.pathPrefix
                    }
                    onClick={() => {
                      setContainer(c.name);
                      setPort(cand.port);
                      setPathPrefix(cand.pathPrefix);
                    }}
                    title={cand.source}
                  >
                    {cand.label}
                  </button>
                ))}
              </div>
            </div>
          ))}
          <div className="live-row">
            <label>
              Port{' '}
              <input
                data-testid="pprof-port"
                type="number"
                min={1}
                max={65535}
                value={port}
                onChange={(e) => setPort(Number(e.target.value))}
              />
            </label>
            <label>
              Path{' '}
              <input
                data-testid="pprof-path"
                value={pathPrefix}
                onChange={(e) => setPathPrefix(e.target.value)}
              />
            </label>
            <button
              onClick={() => {
                setIndex(null);
                api.pprofIndex(targetFor(focusedPod)).then(setIndex, fail);
              }}
            >
              What does it offer?
            </button>
          </div>
          {index && (
            <p className="muted" data-testid="pprof-index">
              {index.map((e) => `${e.name}${e.count !== null ? ` (${e.count})` : ''}`).join(' · ')}
            </p>
          )}
        </section>
      )}
      <section className="live-row live-capture">
        <select
          data-testid="capture-kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as CaptureKind)}
        >
          {CAPTURE_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
        {CUMULATIVE_KINDS.includes(kind) && (
          <label title="The change over the window, not the total since the program started">
            <input type="checkbox" checked={delta} onChange={(e) => setDelta(e.target.checked)} />{' '}
            delta
          </label>
        )}
        {timed && (
          <label>
            <input
              data-testid="capture-seconds"
              type="number"
              min={1}
              max={3600}
              value={seconds}
              onChange={(e) => setSeconds(wholeSeconds(e.target.value))}
            />{' '}
            s
          </label>
        )}
        <button
          data-testid="capture-button"
          disabled={targets.length === 0 || !context}
          onClick={() => void startCaptures()}
        >
          Capture {targets.length > 1 ? `${targets.length} pods` : ''}
        </button>
      </section>
      {kind === 'trace' && (
        <p className="muted">
          Execution traces are not pprof: the file is saved for `go tool trace`.
        </p>
      )}
      <ul className="live-list" data-testid="capture-list">
        {Object.values(statuses)
          .sort((a, b) => b.startedAt - a.startedAt)
          .slice(0, 12)
          .map((s) => {
            const total =
              s.request.kind === 'cpu' || s.request.kind === 'trace' || s.request.delta
                ? s.request.seconds
                : 0;
            const left = Math.max(0, Math.ceil(total - s.elapsedMs / 1000));
            return (
              <li key={s.id} data-testid="capture-status" data-state={s.state}>
                <span>
                  {KIND_LABELS[s.request.kind]} · {s.request.pod}
                </span>
                {s.state === 'running' ? (
                  <>
                    <progress max={1} value={total ? s.progress : undefined} />
                    <span>{total ? `${left} s left` : 'fetching…'}</span>
                    <button onClick={() => void api.cancelCapture(s.id).catch(fail)}>Cancel</button>
                  </>
                ) : s.state === 'done' ? (
                  <span className="muted" title={s.entry?.path}>
                    saved {s.entry?.name}
                  </span>
                ) : (
                  <span className="live-bad">{s.error}</span>
                )}
              </li>
            );
          })}
      </ul>
      <section className="live-row">
        <span>Continuous CPU every</span>
        <input
          type="number"
          min={1}
          max={86400}
          value={period}
          onChange={(e) => setPeriod(wholeSeconds(e.target.value))}
        />
        <span>s as</span>
        <input
          value={component}
          onChange={(e) => setComponent(e.target.value.replace(/[^A-Za-z0-9-]/g, ''))}
          size={14}
        />
        <button
          disabled={targets.length === 0}
          onClick={() =>
            void api
              .startContinuous({
                targets: targets.map(targetFor),
                periodSec: period,
                component: component || 'app',
              })
              .then((j) => setJobs((js) => [...js, j]), fail)
          }
        >
          Start
        </button>
      </section>
      <ul className="live-list">
        {jobs.map((j) => (
          <li key={j.id}>
            <span>
              {j.running ? '●' : '○'} {j.request.targets.map((t) => t.pod).join(', ')} every{' '}
              {j.request.periodSec}s — {j.captures} saved
              {j.errors ? `, ${j.errors} failed` : ''}
            </span>
            {j.lastError && <span className="live-bad">{j.lastError}</span>}
            {j.folders.map((f) => (
              <button key={f} onClick={() => onOpenFolder(f)} title={f}>
                Timeline
              </button>
            ))}
            {j.running && (
              <button onClick={() => void api.stopContinuous(j.id).catch(fail)}>Stop</button>
            )}
          </li>
        ))}
      </ul>
      <h3>Active port-forwards</h3>
      <ul className="live-list" data-testid="forward-list">
        {forwards.length === 0 && <li className="muted">None</li>}
        {forwards.map((f) => (
          <li key={f.id}>
            <span>
              127.0.0.1:{f.localPort} → {f.namespace}/{f.pod}:{f.port}{' '}
              <span className="muted">
                ({f.context}, {f.connections} conn.)
              </span>
            </span>
            {f.lastError && <span className="live-bad">{f.lastError}</span>}
            <button
              onClick={() =>
                void api
                  .stopForward(f.id)
                  .then(() => setForwards((fs) => fs.filter((x) => x.id !== f.id)), fail)
              }
            >
              Stop
            </button>
          </li>
        ))}
      </ul>
    </LivePanelFrame>
  );
}
