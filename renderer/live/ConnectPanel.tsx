// Live attach: pick a context, a namespace and pods as kubectl would, choose where pprof is,
// capture (with countdown and cancel), from a URL too, and keep forwards and continuous
// captures in view. This component owns the state (connect/connectState.ts) and wires the
// parts in connect/, which draw what they are given. Credentials never come here: the main
// process answers with names and results only.
import { useMemo, useReducer, useState } from 'react';
import { CUMULATIVE_KINDS, type PodInfo, type PodTarget } from '../../electron/contract';
import { api } from '../api/api';
import { CaptureForm } from './connect/CaptureForm';
import { CaptureList } from './connect/CaptureList';
import {
  connectReducer,
  contextNamespace,
  initialConnectState,
  namespaceInUse,
  podKey,
  type ConnectState,
} from './connect/connectState';
import { ContextPicker } from './connect/ContextPicker';
import { ContinuousForm } from './connect/ContinuousForm';
import { ForwardList } from './connect/ForwardList';
import { PodTable, searchPods } from './connect/PodTable';
import { TargetForm } from './connect/TargetForm';
import { UrlCaptureForm } from './connect/UrlCaptureForm';
import { useCaptures } from './connect/useCaptures';
import { useLiveLists } from './connect/useLiveLists';
import { useLoaded } from './connect/useLoaded';
import { LivePanelFrame, useErrorMessage } from './LivePanelFrame';
import type { LiveOpeners } from './liveOpeners';
import { FLEET_PRESETS } from './presets';

export type { LiveOpeners } from './liveOpeners';

interface Props extends LiveOpeners {
  onClose: () => void;
}

/** Where the pprof of `pod` is, with the container chosen if the pod has it, else its first. */
function targetFor(state: ConnectState, pod: PodInfo): PodTarget {
  return {
    context: state.context,
    namespace: pod.namespace,
    pod: pod.name,
    container: pod.containers.some((c) => c.name === state.container)
      ? state.container
      : (pod.containers[0]?.name ?? null),
    port: state.port,
    pathPrefix: state.pathPrefix,
  };
}

export function ConnectPanel({ onClose, onOpenFile, onOpenMerged, onOpenFolder }: Props) {
  const [state, dispatch] = useReducer(connectReducer, initialConnectState);
  const { error, setError, fail } = useErrorMessage();
  /** Bumped by Refresh: part of every list's key, so each is asked for again. */
  const [attempt, setAttempt] = useState(0);

  const contexts = useLoaded(`contexts\n${attempt}`, () => api.kubeContexts());
  const contextList = contexts.value;
  const context = state.context || contextList?.current || contextList?.contexts[0]?.name || '';
  const info = contextList?.contexts.find((c) => c.name === context);
  const namespace = namespaceInUse(state, info);

  const namespaces = useLoaded(context ? `${context}\n${attempt}` : null, () =>
    api.kubeNamespaces(context),
  );
  const pods = useLoaded(
    context ? JSON.stringify([context, namespace, state.selector, attempt]) : null,
    () => api.kubePods(context, namespace, state.selector),
  );
  const podList = useMemo(() => pods.value?.pods ?? [], [pods.value]);
  const listed = pods.value?.namespace ?? namespace;

  const captures = useCaptures({ onOpenFile, onOpenMerged }, fail);
  const lists = useLiveLists(captures.running);

  const visible = useMemo(() => searchPods(podList, state.search), [podList, state.search]);
  const focusedPod = podList.find((p) => podKey(p) === state.focused) ?? null;
  const selected = podList.filter((p) => state.checked.has(podKey(p)));
  const targets: PodInfo[] = selected.length ? selected : focusedPod ? [focusedPod] : [];
  const withContext = { ...state, context };

  const startCaptures = () => {
    setError(null);
    const { kind, seconds } = state;
    const delta = state.delta && CUMULATIVE_KINDS.includes(kind);
    void captures.start(
      kind,
      targets.map(
        (p) => () => api.startCapture({ ...targetFor(withContext, p), kind, seconds, delta }),
      ),
    );
  };

  const loadError = contexts.error ?? namespaces.error ?? pods.error;
  const notices = [
    namespaces.value && !namespaces.value.listable ? namespaces.value.notice : null,
    pods.value?.notice ?? null,
  ].filter((n): n is string => !!n);

  return (
    <LivePanelFrame
      title="Connect"
      label="Connect to a cluster"
      closeLabel="Close connect panel"
      testId="connect-panel"
      onClose={onClose}
    >
      {(error ?? loadError) && (
        <div className="live-error" role="alert" data-testid="live-error">
          {error ?? loadError}
        </div>
      )}
      {captures.note && (
        <div className="live-note" data-testid="live-note">
          {captures.note}
        </div>
      )}
      <ContextPicker
        contexts={contextList}
        context={context}
        onContext={(c) => dispatch({ type: 'context', context: c })}
        namespace={namespace}
        ownNamespace={namespaces.value?.contextNamespace ?? contextNamespace(info)}
        namespaces={namespaces.value}
        onNamespace={(n) => {
          setError(null);
          dispatch({ type: 'namespace', namespace: n });
        }}
        selector={state.selector}
        onSelector={(s) => dispatch({ type: 'selector', selector: s })}
        loading={pods.loading}
        onRefresh={() => {
          setError(null);
          setAttempt((a) => a + 1);
        }}
        onInvalid={setError}
      />
      {notices.map((n) => (
        <p key={n} className="live-notice" data-testid="live-notice">
          {n}
        </p>
      ))}
      {contextList && contextList.contexts.length === 0 && (
        <p className="muted">
          No kubeconfig contexts found in{' '}
          {contextList.files.join(', ') || 'KUBECONFIG or ~/.kube/config'}.
        </p>
      )}
      {contextList?.warnings.map((w) => (
        <p key={w} className="muted live-warning">
          ⚠ {w}
        </p>
      ))}
      <section className="live-row">
        <span className="muted">Presets:</span>
        {FLEET_PRESETS.map((p) => (
          <button key={p.label} onClick={() => dispatch({ type: 'preset', preset: p })}>
            {p.label}
          </button>
        ))}
      </section>
      <input
        className="live-search"
        data-testid="pod-search"
        placeholder="Search pods by name, label, node or status"
        value={state.search}
        onChange={(e) => dispatch({ type: 'search', search: e.target.value })}
      />
      <PodTable
        pods={visible}
        showNamespace={listed === ''}
        checked={state.checked}
        focused={state.focused}
        loading={pods.loading}
        filtered={state.search.trim() !== ''}
        onCheck={(p, on) => {
          dispatch({ type: 'check', key: podKey(p), on });
          if (!state.focused) dispatch({ type: 'focus', pod: p });
        }}
        onFocus={(p) => dispatch({ type: 'focus', pod: p })}
      />
      {focusedPod && (
        <TargetForm
          pod={focusedPod}
          target={targetFor(withContext, focusedPod)}
          onEndpoint={(e) => dispatch({ type: 'endpoint', ...e })}
          fail={fail}
        />
      )}
      <CaptureForm
        kind={state.kind}
        seconds={state.seconds}
        delta={state.delta}
        onChange={(c) => dispatch({ type: 'capture', ...c })}
        targets={context ? targets.length : 0}
        onCapture={startCaptures}
      />
      <h3>From a URL</h3>
      <UrlCaptureForm
        onCapture={(r) => {
          setError(null);
          void captures.start(r.kind, [() => api.startUrlCapture(r)]);
        }}
      />
      <CaptureList statuses={captures.recent} fail={fail} />
      <ContinuousForm
        period={state.period}
        component={state.component}
        onChange={(c) => dispatch({ type: 'continuous', ...c })}
        targets={targets.length}
        onStart={() =>
          void api
            .startContinuous({
              targets: targets.map((p) => targetFor(withContext, p)),
              periodSec: state.period,
              component: state.component || 'app',
            })
            .then(lists.added, fail)
        }
        jobs={lists.jobs}
        onOpenFolder={onOpenFolder}
        fail={fail}
      />
      <ForwardList forwards={lists.forwards} onStopped={lists.forget} fail={fail} />
    </LivePanelFrame>
  );
}
