// A triage's status: polled while it runs (by id), or read from its library folder; and its
// breakdown computed again by other rules once it has finished.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BreakdownRule, TriageStatus } from '../../electron/contract';
import { api } from '../api/api';
import { startPolling } from '../live/poll';
import { message } from '../live/presets';

export interface TriageSource {
  /** A triage started in this session: polled until it ends. */
  id: string | null;
  /** A saved triage (its library folder): read once. */
  dir: string | null;
}

export const isFinished = (s: TriageStatus | null) =>
  s !== null && (s.state === 'done' || s.state === 'cancelled');

export function useTriage(source: TriageSource) {
  const [status, setStatus] = useState<TriageStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const finished = isFinished(status);
  const gate = useRef<Promise<void> | null>(null);
  const { id, dir } = source;

  useEffect(() => {
    if (id === null || finished) return;
    return startPolling(
      async (isLive) => {
        try {
          const s = await api.triageStatus(id);
          if (isLive()) {
            setStatus(s);
            setError(null);
          }
        } catch (err) {
          if (isLive()) setError(message(err));
        }
      },
      500,
      gate,
    );
  }, [id, finished]);

  useEffect(() => {
    if (id !== null || dir === null) return;
    let live = true;
    // No rules: the ones it was captured with.
    api.openTriage(dir, []).then(
      (s) => live && setStatus(s),
      (err: unknown) => live && setError(message(err)),
    );
    return () => {
      live = false;
    };
  }, [id, dir]);

  /** The same captures broken down by `rules` (from the folder: the triage must have ended). */
  const applyRules = useCallback(
    async (rules: BreakdownRule[]) => {
      if (!status || !isFinished(status)) return;
      try {
        setStatus(await api.openTriage(status.dir, rules));
        setError(null);
      } catch (err) {
        setError(message(err));
      }
    },
    [status],
  );

  return { status, error, finished, applyRules };
}
