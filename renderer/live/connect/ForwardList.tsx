// The port-forwards the main process holds, each with its current state: open, closed after
// being idle (reopened by the next capture through it) or failed, and its last error only
// while no later connection through it has succeeded (the main process clears it).
import type { ForwardInfo } from '../../../electron/contract';
import { api } from '../../api/api';

const STATE_TEXT: Record<ForwardInfo['state'], string> = {
  open: 'open',
  'idle-closed': 'closed while idle, reopens on demand',
  failed: 'failed',
};

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m >= 1 ? `${m} min` : `${Math.round(ms / 1000)} s`;
}

interface Props {
  forwards: ForwardInfo[];
  onStopped: (id: string) => void;
  fail: (err: unknown) => void;
  now?: number;
}

export function ForwardList({ forwards, onStopped, fail, now = Date.now() }: Props) {
  return (
    <>
      <h3>Active port-forwards</h3>
      <ul className="live-list" data-testid="forward-list">
        {forwards.length === 0 && <li className="muted">None</li>}
        {forwards.map((f) => (
          <li key={f.id} data-testid="forward-row" data-state={f.state}>
            <span className={`live-dot live-dot-${f.state}`} aria-hidden />
            <span className="live-entry">
              {f.state === 'idle-closed' ? '(closed)' : `127.0.0.1:${f.localPort}`} → {f.namespace}/
              {f.pod}:{f.port}{' '}
              <span className="muted">
                ({f.context}, {f.connections} conn.)
              </span>
            </span>
            <span
              className={f.state === 'failed' ? 'live-bad' : 'muted'}
              data-testid="forward-state"
              title={`Closes after ${minutes(f.idleCloseMs)} unused; last used ${minutes(Math.max(0, now - f.lastUsedAt))} ago`}
            >
              {STATE_TEXT[f.state]}
            </span>
            {f.lastError && (
              <span className="live-bad" data-testid="forward-error">
                {f.lastError}
              </span>
            )}
            <button onClick={() => void api.stopForward(f.id).then(() => onStopped(f.id), fail)}>
              Stop
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
