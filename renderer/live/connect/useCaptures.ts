// Captures started from the Connect panel: their statuses, polled while any runs, and the
// opening of each batch once all of it has finished (one tab per capture, plus a merged one).
import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  CaptureKind,
  CaptureRequest,
  CaptureStatus,
  UrlCaptureRequest,
} from '../../../electron/contract';
import { api } from '../../api/api';
import type { LiveOpeners } from '../liveOpeners';
import { startPolling } from '../poll';
import { KIND_LABELS } from '../presets';

interface Batch {
  /** The capture ids joined: unique, as capture ids are. */
  key: string;
  ids: string[];
  kind: CaptureKind;
}

export function isUrlRequest(r: CaptureRequest | UrlCaptureRequest): r is UrlCaptureRequest {
  return 'url' in r;
}

/** What a capture is of, for its tab and its line in the list: the pod, or the URL's host. */
export function captureSubject(r: CaptureRequest | UrlCaptureRequest): string {
  if (!isUrlRequest(r)) return r.pod;
  try {
    return new URL(r.url).host;
  } catch {
    return r.url;
  }
}

/** Seconds the capture runs for, or 0 for a snapshot (heap, goroutines… without delta). */
export function captureSeconds(r: CaptureRequest | UrlCaptureRequest): number {
  if (r.kind === 'cpu' || r.kind === 'trace' || (!isUrlRequest(r) && r.delta)) return r.seconds;
  return 0;
}

/** `prev` with `next` put in by id. */
function withStatuses(
  prev: Record<string, CaptureStatus>,
  next: CaptureStatus[],
): Record<string, CaptureStatus> {
  const out = { ...prev };
  for (const s of next) out[s.id] = s;
  return out;
}

export function useCaptures(
  { onOpenFile, onOpenMerged }: Pick<LiveOpeners, 'onOpenFile' | 'onOpenMerged'>,
  fail: (err: unknown) => void,
) {
  const [statuses, setStatuses] = useState<Record<string, CaptureStatus>>({});
  const [batches, setBatches] = useState<Batch[]>([]);
  const [note, setNote] = useState<string | null>(null);

  // Every 250 ms while a capture runs. The effect depends only on whether something runs, not
  // on the statuses themselves (each tick sets new ones, which would restart it and tick again
  // at once, a back-to-back IPC loop); the tick reads the latest statuses from a ref instead.
  const running = Object.values(statuses).some((s) => s.state === 'running');
  const statusesRef = useRef(statuses);
  useEffect(() => {
    statusesRef.current = statuses;
  }, [statuses]);
  const tickGate = useRef<Promise<void> | null>(null);
  useEffect(() => {
    if (!running) return;
    return startPolling(
      async (isLive) => {
        const live = Object.values(statusesRef.current).filter((s) => s.state === 'running');
        const next = await Promise.all(live.map((s) => api.captureStatus(s.id).catch(() => s)));
        if (isLive()) setStatuses((prev) => withStatuses(prev, next));
      },
      250,
      tickGate,
    );
  }, [running]);

  // Which batches were opened is kept in a ref, not written into the batch objects: those are
  // state, and changing state in place is invisible to React.
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
          name: `${captureSubject(s.request)} ${KIND_LABELS[b.kind]}`,
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

  /** Starts one batch (every capture its `starts` begin) and tracks it until it opens. */
  const start = useCallback(
    async (kind: CaptureKind, starts: (() => Promise<string>)[]) => {
      setNote(null);
      try {
        const ids = await Promise.all(starts.map((s) => s()));
        const now = await Promise.all(ids.map((id) => api.captureStatus(id)));
        setStatuses((prev) => withStatuses(prev, now));
        setBatches((bs) => [...bs, { key: ids.join(','), ids, kind }]);
      } catch (err) {
        fail(err);
      }
    },
    [fail],
  );

  const recent = Object.values(statuses)
    .sort((a, b) => b.startedAt - a.startedAt)
    .slice(0, 12);
  return { recent, running, note, start };
}
