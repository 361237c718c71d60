// Where the pods come from, as kubectl says it: a context, a namespace (the context's own
// unless another is typed or picked, all of them only when asked for) and a label selector.
import type { KubeContexts, NamespaceList } from '../../../electron/contract';
import { CommitInput } from './CommitInput';
import { isNamespaceName } from './connectState';

interface Props {
  contexts: KubeContexts | null;
  context: string;
  onContext: (context: string) => void;
  /** The namespace listed ('' for all). */
  namespace: string;
  /** The context's own namespace: what "All namespaces" unticked goes back to. */
  ownNamespace: string;
  /** Null until the cluster answers (or when it could not). */
  namespaces: NamespaceList | null;
  onNamespace: (namespace: string | null) => void;
  selector: string;
  onSelector: (selector: string) => void;
  loading: boolean;
  onRefresh: () => void;
  onInvalid: (message: string) => void;
}

export function ContextPicker(p: Props) {
  const all = p.namespace === '';
  return (
    <section className="live-row live-picker">
      <label>
        Context{' '}
        <select
          data-testid="context-select"
          value={p.context}
          onChange={(e) => p.onContext(e.target.value)}
        >
          {p.contexts?.contexts.map((c) => (
            <option
              key={c.name}
              value={c.name}
              title={`${c.cluster} · ${c.user} · ${c.auth} · ${c.file}`}
            >
              {c.name}
              {c.name === p.contexts?.current ? ' (current)' : ''}
            </option>
          ))}
        </select>
      </label>
      <label title="The context's namespace unless you type another, as kubectl's -n">
        Namespace{' '}
        <CommitInput
          data-testid="namespace-input"
          size={18}
          disabled={all}
          value={all ? '' : p.namespace}
          placeholder={all ? 'all namespaces' : p.ownNamespace}
          listId="live-namespaces"
          suggestions={p.namespaces?.listable ? p.namespaces.namespaces : undefined}
          onCommit={(v) => {
            if (v === '' || v === p.ownNamespace) p.onNamespace(null);
            else if (isNamespaceName(v)) p.onNamespace(v);
            else p.onInvalid(`“${v}” is not a namespace name (lower-case letters, digits and -)`);
          }}
        />
      </label>
      <label title="Every namespace, as kubectl's -A (needs RBAC to list pods cluster-wide)">
        <input
          type="checkbox"
          data-testid="all-namespaces"
          checked={all}
          onChange={(e) => p.onNamespace(e.target.checked ? '' : null)}
        />{' '}
        All namespaces
      </label>
      <label title="A label selector, as kubectl's -l (app=fleet-agent, tier in (a,b), !canary)">
        Selector{' '}
        <CommitInput
          data-testid="pod-selector"
          size={18}
          value={p.selector}
          placeholder="app=fleet-agent"
          onCommit={p.onSelector}
        />
      </label>
      {/* Never disabled: a list that hangs is exactly when a new try is wanted. */}
      <button data-testid="pods-refresh" onClick={p.onRefresh} title="Ask the cluster again">
        Refresh
      </button>
      {p.loading && <span className="muted">Loading…</span>}
    </section>
  );
}
