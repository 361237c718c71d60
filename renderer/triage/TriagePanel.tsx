// Starts a triage: which contexts (each with its own namespace, the context's by default), a
// label selector and/or pod names, or the Fleet preset; which kinds and how long. The table
// opens in a tab of its own, which follows the triage from there.
import { useState } from 'react';
import { isTriageRequest, type TriageRequest } from '../../electron/contract';
import { api } from '../api/api';
import { useLoaded } from '../live/connect/useLoaded';
import { LivePanelFrame, useErrorMessage } from '../live/LivePanelFrame';
import { KIND_LABELS } from '../live/presets';
import { wholeSeconds } from '../live/connect/connectState';
import {
  fleetScopes,
  initialTriageForm,
  TRIAGE_KINDS,
  triageRequest,
  type TriageFormState,
} from './triageForm';

interface Props {
  onClose: () => void;
  onStarted: (id: string, request: TriageRequest) => void;
}

export function TriagePanel({ onClose, onStarted }: Props) {
  const contexts = useLoaded('contexts', () => api.kubeContexts());
  const list = contexts.value;
  const [edited, setForm] = useState<TriageFormState | null>(null);
  const form = edited ?? initialTriageForm(list);
  const patch = (p: Partial<TriageFormState>) => setForm({ ...form, ...p });
  const { error, setError, fail } = useErrorMessage();
  const [starting, setStarting] = useState(false);

  const order = list?.contexts.map((c) => c.name) ?? [];
  const request = triageRequest(form, order);
  const valid = isTriageRequest(request);
  const allTicked = order.length > 0 && order.every((c) => form.contexts.has(c));

  const start = async () => {
    setError(null);
    setStarting(true);
    try {
      onStarted(await api.startTriage(request), request);
    } catch (err) {
      fail(err);
    } finally {
      setStarting(false);
    }
  };

  return (
    <LivePanelFrame
      title="Triage"
      label="Triage pods across clusters"
      closeLabel="Close triage panel"
      testId="triage-panel"
      onClose={onClose}
    >
      <p className="muted">
        Capture every chosen pod of every chosen context at once, and compare them in one table:
        which pod is truly at fault, and which is its victim.
      </p>
      {(error ?? contexts.error) && (
        <div className="live-error" role="alert" data-testid="triage-error">
          {error ?? contexts.error}
        </div>
      )}
      <section className="live-row">
        <span className="muted">Preset:</span>
        <button
          data-testid="triage-preset-fleet"
          aria-pressed={form.preset !== null}
          disabled={!list}
          title="fleet-controller in cattle-fleet-system of the local (or current) context; fleet-agent in cattle-fleet-local-system and cattle-fleet-system of every context"
          onClick={() =>
            patch({
              preset: form.preset || !list ? null : { label: 'Fleet', scopes: fleetScopes(list) },
            })
          }
        >
          Fleet
        </button>
      </section>
      {form.preset ? (
        <ul className="live-list" data-testid="triage-scopes">
          {form.preset.scopes.map((s, i) => (
            <li key={i} data-testid="triage-scope">
              <span className="live-entry">
                {s.context} / {s.namespace ?? '(its namespace)'}{' '}
                <span className="muted">{s.selector}</span>
              </span>
              <button
                aria-label={`Remove ${s.context} ${s.namespace ?? ''}`}
                onClick={() => {
                  const scopes = form.preset!.scopes.filter((_, j) => j !== i);
                  patch({ preset: scopes.length ? { ...form.preset!, scopes } : null });
                }}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <>
          <h3>Contexts</h3>
          <label className="triage-context">
            <input
              type="checkbox"
              data-testid="triage-all-contexts"
              checked={allTicked}
              onChange={(e) => patch({ contexts: new Set(e.target.checked ? order : []) })}
            />{' '}
            All contexts
          </label>
          <ul className="live-list triage-contexts">
            {list?.contexts.map((c) => {
              const on = form.contexts.has(c.name);
              return (
                <li key={c.name}>
                  <label className="live-entry">
                    <input
                      type="checkbox"
                      data-testid="triage-context"
                      data-context={c.name}
                      checked={on}
                      onChange={(e) => {
                        const next = new Set(form.contexts);
                        if (e.target.checked) next.add(c.name);
                        else next.delete(c.name);
                        patch({ contexts: next });
                      }}
                    />{' '}
                    {c.name}
                    {c.name === list.current ? <span className="muted"> (current)</span> : null}
                  </label>
                  {on && !form.allNamespaces && (
                    <input
                      data-testid="triage-namespace"
                      data-context={c.name}
                      aria-label={`Namespaces in ${c.name}`}
                      placeholder={c.namespace || 'default'}
                      title="The context's namespace unless you type others (comma-separated)"
                      value={form.namespaces[c.name] ?? ''}
                      onChange={(e) =>
                        patch({ namespaces: { ...form.namespaces, [c.name]: e.target.value } })
                      }
                    />
                  )}
                </li>
              );
            })}
          </ul>
          <div className="live-row">
            <label>
              <input
                type="checkbox"
                data-testid="triage-all-namespaces"
                checked={form.allNamespaces}
                onChange={(e) => patch({ allNamespaces: e.target.checked })}
              />{' '}
              All namespaces
            </label>
          </div>
          <div className="live-row">
            <label>
              Selector{' '}
              <input
                data-testid="triage-selector"
                placeholder="app=fleet-agent"
                value={form.selector}
                onChange={(e) => patch({ selector: e.target.value })}
              />
            </label>
            <label>
              Pods{' '}
              <input
                data-testid="triage-names"
                placeholder="names, comma-separated"
                value={form.names}
                onChange={(e) => patch({ names: e.target.value })}
              />
            </label>
          </div>
        </>
      )}
      <h3>Capture</h3>
      <div className="live-row">
        {TRIAGE_KINDS.map((k) => (
          <label key={k}>
            <input
              type="checkbox"
              data-testid="triage-kind"
              data-kind={k}
              checked={form.kinds.includes(k)}
              onChange={(e) =>
                patch({
                  kinds: e.target.checked ? [...form.kinds, k] : form.kinds.filter((x) => x !== k),
                })
              }
            />{' '}
            {KIND_LABELS[k]}
          </label>
        ))}
      </div>
      <div className="live-row live-capture">
        <label title="The CPU profile's length">
          CPU{' '}
          <input
            data-testid="triage-seconds"
            type="number"
            min={1}
            max={3600}
            value={form.seconds}
            onChange={(e) => patch({ seconds: wholeSeconds(e.target.value) })}
          />{' '}
          s
        </label>
        <label title="Empty: each pod's own (annotation, port named pprof, else 6060)">
          Port{' '}
          <input
            data-testid="triage-port"
            size={6}
            placeholder="auto"
            value={form.port}
            onChange={(e) => patch({ port: e.target.value.replace(/\D/g, '') })}
          />
        </label>
        <label>
          Path{' '}
          <input
            size={14}
            placeholder="/debug/pprof"
            value={form.pathPrefix}
            onChange={(e) => patch({ pathPrefix: e.target.value })}
          />
        </label>
      </div>
      <div className="live-row">
        <button
          data-testid="triage-start"
          disabled={!valid || starting}
          onClick={() => void start()}
          title={valid ? undefined : 'Choose at least one context and one kind'}
        >
          Start triage of {request.scopes.length} scope{request.scopes.length === 1 ? '' : 's'}
        </button>
      </div>
    </LivePanelFrame>
  );
}
