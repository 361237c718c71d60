// The pods listed, filtered by the search box: tick several to capture them together, click
// one to see its containers and where it serves pprof.
import type { PodInfo } from '../../../electron/contract';
import { age } from '../presets';
import { podKey } from './connectState';

interface Props {
  pods: PodInfo[];
  /** Show each pod's namespace (the list covers several). */
  showNamespace: boolean;
  checked: ReadonlySet<string>;
  focused: string | null;
  loading: boolean;
  filtered: boolean;
  onCheck: (pod: PodInfo, on: boolean) => void;
  onFocus: (pod: PodInfo) => void;
}

export function PodTable({
  pods,
  showNamespace,
  checked,
  focused,
  loading,
  filtered,
  ...on
}: Props) {
  return (
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
          {pods.map((p) => (
            <tr
              key={podKey(p)}
              data-testid="pod-row"
              className={podKey(p) === focused ? 'focused' : ''}
              onClick={() => on.onFocus(p)}
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
                  onChange={(e) => on.onCheck(p, e.target.checked)}
                />
              </td>
              <td>
                {showNamespace && <span className="muted">{p.namespace}/</span>}
                {p.name}
              </td>
              <td className={p.status === 'Running' ? '' : 'live-bad'}>{p.status}</td>
              <td>{p.ready}</td>
              <td>{p.restarts}</td>
              <td>{p.node ?? '–'}</td>
              <td>{age(p.createdAt)}</td>
            </tr>
          ))}
          {pods.length === 0 && !loading && (
            <tr>
              <td colSpan={7} className="muted">
                No pods{filtered ? ' match' : ''}.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** The pods whose name, namespace, node, status or a label contains `search`. */
export function searchPods(pods: PodInfo[], search: string): PodInfo[] {
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
}
