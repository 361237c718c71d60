// What the triage form holds and the request it makes: which pods of which contexts (the
// ticked contexts with one selector and/or names, or a preset's scopes as given), which kinds,
// how long. Pure functions, tested without React.
import {
  CAPTURE_KINDS,
  type CaptureKind,
  type KubeContexts,
  type TriageRequest,
  type TriageScope,
} from '../../electron/contract';
import { DEFAULT_BREAKDOWN_RULES } from '../model';

export interface TriageFormState {
  /** Contexts ticked. */
  contexts: ReadonlySet<string>;
  /** Per context, the namespaces typed (comma-separated); '' or absent: the context's own. */
  namespaces: Readonly<Record<string, string>>;
  /** Every namespace of every ticked context (kubectl -A); the typed ones are then unused. */
  allNamespaces: boolean;
  /** Label selector (kubectl's syntax), '' for any pod. */
  selector: string;
  /** Pod names, separated by commas or spaces; '' for any. */
  names: string;
  /** A preset's scopes, used as given instead of the ticked contexts (null: none chosen). */
  preset: { label: string; scopes: TriageScope[] } | null;
  kinds: readonly CaptureKind[];
  /** The CPU profile's length. */
  seconds: number;
  /** The pprof port and path; '' lets each pod's own candidate decide. */
  port: string;
  pathPrefix: string;
}

/** Kinds offered: every pprof kind (an execution trace is not one, and has no figures). */
export const TRIAGE_KINDS: readonly CaptureKind[] = CAPTURE_KINDS.filter((k) => k !== 'trace');

export function initialTriageForm(contexts: KubeContexts | null): TriageFormState {
  const current = contexts?.current ?? contexts?.contexts[0]?.name;
  return {
    contexts: new Set(current ? [current] : []),
    namespaces: {},
    allNamespaces: false,
    selector: '',
    names: '',
    preset: null,
    kinds: ['cpu', 'heap', 'goroutine'],
    seconds: 10,
    port: '',
    pathPrefix: '',
  };
}

const split = (s: string) => s.split(/[\s,]+/).filter(Boolean);

/** Rancher Fleet: its controller in the local cluster, its agent in every cluster. */
export function fleetScopes(contexts: KubeContexts): TriageScope[] {
  const names = contexts.contexts.map((c) => c.name);
  const local = names.includes('local') ? 'local' : (contexts.current ?? names[0]);
  const scopes: TriageScope[] = [];
  if (local) {
    scopes.push({
      context: local,
      namespace: 'cattle-fleet-system',
      selector: 'app=fleet-controller',
      names: [],
    });
  }
  for (const context of names) {
    for (const namespace of ['cattle-fleet-local-system', 'cattle-fleet-system']) {
      scopes.push({ context, namespace, selector: 'app=fleet-agent', names: [] });
    }
  }
  return scopes;
}

/** The scopes the form asks for, in the contexts' order. */
export function triageScopes(form: TriageFormState, order: readonly string[]): TriageScope[] {
  if (form.preset) return form.preset.scopes;
  const selector = form.selector.trim();
  const names = split(form.names);
  return order
    .filter((c) => form.contexts.has(c))
    .flatMap((context) => {
      const typed = split(form.namespaces[context] ?? '');
      const namespaces: (string | null)[] = form.allNamespaces
        ? ['']
        : typed.length
          ? typed
          : [null];
      return namespaces.map((namespace) => ({ context, namespace, selector, names }));
    });
}

export function triageRequest(form: TriageFormState, order: readonly string[]): TriageRequest {
  return {
    scopes: triageScopes(form, order),
    kinds: TRIAGE_KINDS.filter((k) => form.kinds.includes(k)),
    seconds: form.seconds,
    port: form.port.trim() === '' ? null : Number(form.port),
    pathPrefix: form.pathPrefix.trim() === '' ? null : form.pathPrefix.trim(),
    rules: DEFAULT_BREAKDOWN_RULES,
  };
}
