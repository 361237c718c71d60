// The latest captures, newest first: a countdown and Cancel while each runs, then where it was
// saved or why it failed.
import type { CaptureStatus } from '../../../electron/contract';
import { api } from '../../api/api';
import { KIND_LABELS } from '../presets';
import { captureSeconds, captureSubject } from './useCaptures';

export function CaptureList({
  statuses,
  fail,
}: {
  statuses: CaptureStatus[];
  fail: (e: unknown) => void;
}) {
  return (
    <ul className="live-list" data-testid="capture-list">
      {statuses.map((s) => {
        const total = captureSeconds(s.request);
        const left = Math.max(0, Math.ceil(total - s.elapsedMs / 1000));
        return (
          <li key={s.id} data-testid="capture-status" data-state={s.state}>
            <span>
              {KIND_LABELS[s.request.kind]} · {captureSubject(s.request)}
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
  );
}
