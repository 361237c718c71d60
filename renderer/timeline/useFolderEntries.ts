// The folder's files as timeline entries: listed every few seconds, each summarised once by the
// services (a file still being written is summarised again once it changes).
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/api';
import type { FileSummaryResult, ProfileFileInfo } from '../../electron/contract';
import { parseContinuousName } from './continuousNames';
import type { Entry } from './timelineData';

/** New files are picked up by polling: it works the same over IPC and HTTP, and a file still being written simply fails to decode until it is whole. */
const POLL_MS = 3000;
/** Files per round trip: the pool decodes them in parallel, the cache answers them at once. */
const BATCH = 120;
function startOf(file: ProfileFileInfo): { startMs: number; component: string; fromName: boolean } {
  const parsed = parseContinuousName(file.name);
  return parsed
    ? { startMs: parsed.startMs, component: parsed.component, fromName: true }
    : { startMs: file.mtimeMs, component: '', fromName: false };
}

export function useFolderEntries(path: string): { entries: Entry[]; error: string | null } {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const busy = useRef(new Set<string>());
  // The source of truth for the async readers; state mirrors it for rendering.
  const entriesRef = useRef<Entry[]>([]);
  const flushTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // Results arrive file by file; the chart re-renders at most every 100 ms, not 1,440 times.
  const commit = useCallback((next: Entry[]) => {
    entriesRef.current = next;
    flushTimer.current ??= setTimeout(() => {
      flushTimer.current = null;
      setEntries(entriesRef.current);
    }, 100);
  }, []);

  /**
   * A batch of files' summaries in one round trip: the services work them out on every core,
   * or take them from their disk cache when a file has not changed since.
   */
  const summarize = useCallback(
    async (files: ProfileFileInfo[]) => {
      const todo = files.filter((f) => !busy.current.has(f.path));
      todo.forEach((f) => busy.current.add(f.path));
      const results = new Map<string, FileSummaryResult>();
      try {
        for (const r of await api.summarizeFiles(todo.map((f) => f.path))) results.set(r.path, r);
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        todo.forEach((f) => results.set(f.path, { path: f.path, error }));
      } finally {
        todo.forEach((f) => busy.current.delete(f.path));
      }
      commit(
        entriesRef.current.map((e): Entry => {
          const r = results.get(e.file.path);
          if (!r) return e;
          if ('error' in r) return { ...e, status: 'incomplete', error: r.error };
          const { summary } = r;
          const fromName = parseContinuousName(e.file.name) !== null;
          return {
            ...e,
            startMs: fromName || summary.timeNanos <= 0 ? e.startMs : summary.timeNanos / 1e6,
            durationMs: summary.durationNanos / 1e6,
            total: summary.totals[summary.defaultSampleIndex] ?? 0,
            unit: summary.sampleType.unit,
            topFunction: summary.topFunction,
            functions: summary.functions,
            status: 'ready',
            error: undefined,
          };
        }),
      );
    },
    [commit],
  );

  const refresh = useCallback(async () => {
    let files: ProfileFileInfo[];
    try {
      files = await api.listFolder(path);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      return;
    }
    setError(null);
    const known = new Map(entriesRef.current.map((e) => [e.file.path, e]));
    const next = files.map((f): Entry => {
      const old = known.get(f.path);
      // A file that failed is read again once it changes (a profile still being written).
      const unchanged = old && old.file.size === f.size && old.file.mtimeMs === f.mtimeMs;
      if (old && (old.status === 'ready' || unchanged)) return old;
      const s = startOf(f);
      return {
        file: f,
        startMs: s.startMs,
        durationMs: 0,
        total: 0,
        unit: '',
        topFunction: '',
        component: s.component,
        status: 'pending',
      };
    });
    next.sort((x, y) => x.startMs - y.startMs);
    const same =
      next.length === entriesRef.current.length &&
      next.every((e, i) => e === entriesRef.current[i]);
    if (!same) commit(next);
    // Summaries in batches, so that bars appear as they come; two batches asked at a time keep
    // the services' pool busy between answers.
    const todo = next.filter((e) => e.status === 'pending').map((e) => e.file);
    const batches: ProfileFileInfo[][] = [];
    for (let i = 0; i < todo.length; i += BATCH) batches.push(todo.slice(i, i + BATCH));
    let nextBatch = 0;
    await Promise.all(
      [0, 1].map(async () => {
        while (nextBatch < batches.length) await summarize(batches[nextBatch++]);
      }),
    );
  }, [path, summarize, commit]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const loop = async () => {
      await refresh();
      if (live) timer = setTimeout(() => void loop(), POLL_MS);
    };
    void loop();
    return () => {
      live = false;
      clearTimeout(timer);
      if (flushTimer.current) clearTimeout(flushTimer.current);
    };
  }, [refresh]);

  return { entries, error };
}
