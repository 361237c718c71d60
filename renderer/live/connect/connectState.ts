// What the Connect panel remembers between renders, as one object changed by named actions.
// Everything that can be worked out from it and from the cluster's answers (the namespace in
// use, the pods to capture, whether a capture is timed) is derived where it is drawn instead.
import {
  CUMULATIVE_KINDS,
  type CaptureKind,
  type KubeContextInfo,
  type PodInfo,
} from '../../../electron/contract';
import type { Preset } from '../presets';

export interface ConnectState {
  /** The kubeconfig context in use; '' until the contexts are read. */
  context: string;
  /**
   * The namespace asked for: null is the context's own (kubectl's default, no flag), '' is all
   * namespaces (kubectl -A), anything else is what the user typed or picked.
   */
  namespace: string | null;
  /** Label selector for the pod list in kubectl's syntax; '' lists every pod. */
  selector: string;
  /** Filters the listed pods by name, label, node or status, on this side. */
  search: string;
  /** Pods ticked for a capture of several, by podKey. */
  checked: ReadonlySet<string>;
  /** The pod whose details show; it is the capture's target when none is ticked. */
  focused: string | null;
  /** Where pprof is served: the container to forward to and its port and path. */
  container: string | null;
  port: number;
  pathPrefix: string;
  /** The next capture. `delta` only applies to cumulative kinds. */
  kind: CaptureKind;
  seconds: number;
  delta: boolean;
  /** Continuous CPU capture: period in seconds and the component in the file names. */
  period: number;
  component: string;
}

export type ConnectAction =
  | { type: 'context'; context: string }
  | { type: 'namespace'; namespace: string | null }
  | { type: 'selector'; selector: string }
  | { type: 'search'; search: string }
  | { type: 'check'; key: string; on: boolean }
  | { type: 'focus'; pod: PodInfo }
  | { type: 'endpoint'; container?: string; port?: number; pathPrefix?: string }
  | { type: 'capture'; kind?: CaptureKind; seconds?: number; delta?: boolean }
  | { type: 'continuous'; period?: number; component?: string }
  | { type: 'preset'; preset: Preset };

export const initialConnectState: ConnectState = {
  context: '',
  namespace: null,
  selector: '',
  search: '',
  checked: new Set(),
  focused: null,
  container: null,
  port: 6060,
  pathPrefix: '/debug/pprof',
  kind: 'cpu',
  seconds: 10,
  delta: false,
  period: 30,
  component: 'fleetcontroller',
};

export const podKey = (p: Pick<PodInfo, 'namespace' | 'name'>) => `${p.namespace}/${p.name}`;

/** Nothing ticked or focused: a new pod list starts with no selection. */
const unselected = { checked: new Set<string>(), focused: null };

export function connectReducer(state: ConnectState, action: ConnectAction): ConnectState {
  switch (action.type) {
    case 'context':
      if (action.context === state.context) return state;
      // A new context starts on its own namespace, as `kubectl --context X get pods` does.
      return { ...state, context: action.context, namespace: null, ...unselected };
    case 'namespace':
      if (action.namespace === state.namespace) return state;
      return { ...state, namespace: action.namespace, ...unselected };
    case 'selector':
      if (action.selector === state.selector) return state;
      return { ...state, selector: action.selector, ...unselected };
    case 'search':
      return { ...state, search: action.search };
    case 'check': {
      const checked = new Set(state.checked);
      if (action.on) checked.add(action.key);
      else checked.delete(action.key);
      return { ...state, checked };
    }
    case 'focus': {
      // The pod's first container and its first pprof candidate are the likeliest target.
      const first = action.pod.containers[0];
      const cand = first?.candidates[0];
      return {
        ...state,
        focused: podKey(action.pod),
        container: first?.name ?? state.container,
        port: cand?.port ?? state.port,
        pathPrefix: cand?.pathPrefix ?? state.pathPrefix,
      };
    }
    case 'endpoint':
      return {
        ...state,
        container: action.container ?? state.container,
        port: action.port ?? state.port,
        pathPrefix: action.pathPrefix ?? state.pathPrefix,
      };
    case 'capture':
      return {
        ...state,
        kind: action.kind ?? state.kind,
        seconds: action.seconds ?? state.seconds,
        delta: action.delta ?? state.delta,
      };
    case 'continuous':
      return {
        ...state,
        period: action.period ?? state.period,
        component: action.component ?? state.component,
      };
    case 'preset': {
      const p = action.preset;
      return {
        ...state,
        namespace: p.namespace,
        search: p.podSearch,
        port: p.port,
        pathPrefix: '/debug/pprof',
        component: p.component,
        ...(p.namespace === state.namespace ? {} : unselected),
      };
    }
  }
}

/** The namespace kubectl would use for a context with no -n: its own, else `default`. */
export function contextNamespace(info: KubeContextInfo | undefined): string {
  return info?.namespace || 'default';
}

/** The namespace to list: what was asked for, else the context's own. */
export function namespaceInUse(state: ConnectState, info: KubeContextInfo | undefined): string {
  return state.namespace ?? contextNamespace(info);
}

/** Whether the capture runs for a time (and so counts down) rather than taking a snapshot. */
export function isTimed(kind: CaptureKind, delta: boolean): boolean {
  return kind === 'cpu' || kind === 'trace' || (delta && CUMULATIVE_KINDS.includes(kind));
}

/** A whole number of seconds, at least 1, from a number input. */
export const wholeSeconds = (value: string) => Math.max(1, Math.round(Number(value)) || 1);

/**
 * Whether `s` can be a namespace: an RFC 1123 label, as the API server requires. Checked here
 * so a typo is said at the field, not as a rejected call.
 */
export function isNamespaceName(s: string): boolean {
  return /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(s);
}
