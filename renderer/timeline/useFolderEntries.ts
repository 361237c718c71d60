// The folder's files as timeline entries: listed every few seconds, each read once for its
// totals (a file still being written is read again once it changes).
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/api';
import { unpackFileBatch, type ProfileFileInfo } from '../../electron/contract';
import type { PeekResult } from '../worker/protocol';
import { engine } from '../worker/engineClient';
import { parseContinuousName } from './continuousNames';
import type { Entry } from './timelineData';

/** New files are picked up by polling: it works the same over IPC and HTTP, and a file still being written simply fails to decode until it is whole. */
const POLL_MS = 3000;
/** Files per round trip while reading totals, and their size at most (a large file goes alone). */
const BATCH = 48;
const BATCH_BYTES = 64 * 1024 ** 2;
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

  /** Reads a batch of files in one round trip and decodes them in the worker for their totals. */
  const peekBatch = useCallback(
    async (files: ProfileFileInfo[]) => {
      const todo = files.filter((f) => !busy.current.has(f.path));
      todo.forEach((f) => busy.current.add(f.path));
      const results = new Map<string, PeekResult | { error: string }>();
      try {
        const items = unpackFileBatch(await api.readFileBatch(todo.map((f) => f.path)));
        const readable = items.flatMap((it, i) =>
          'bytes' in it ? [{ file: todo[i], bytes: it.bytes }] : [],
        );
        items.forEach((it, i) => 'error' in it && results.set(todo[i].path, it));
        const peeked = await engine.call(
          'peekMany',
          { files: readable.map((r) => r.bytes) },
          readable.map((r) => r.bytes.buffer as ArrayBuffer),
        );
        peeked.forEach((r, i) => results.set(readable[i].file.path, r));
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        todo.forEach((f) => results.set(f.path, { error }));
      } finally {
        todo.forEach((f) => busy.current.delete(f.path));
      }
      commit(
        entriesRef.current.map((e): Entry => {
          const r = results.get(e.file.path);
          if (!r) return e;
          if ('error' in r) return { ...e, status: 'incomplete', error: r.error };
          const { summary, topFunction } = r;
          const si = summary.defaultSampleIndex;
          const fromName = parseContinuousName(e.file.name) !== null;
          return {
            ...e,
            startMs: fromName || summary.timeNanos <= 0 ? e.startMs : summary.timeNanos / 1e6,
            durationMs: summary.durationNanos / 1e6,
            total: summary.totals[si] ?? 0,
            unit: summary.sampleTypes[si]?.unit ?? '',
            topFunction,
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
    // Totals first, a few files at a time; full decodes happen only for what gets selected.
    const todo = next.filter((e) => e.status === 'pending').map((e) => e.file);
    const batches: ProfileFileInfo[][] = [];
    let bytes = 0;
    for (const f of todo) {
      const last = batches.at(-1);
      if (last && last.length < BATCH && bytes + f.size <= BATCH_BYTES) last.push(f);
      else {
        batches.push([f]);
        bytes = 0;
      }
      bytes += f.size;
    }
    // Two batches in flight: one being read while the worker decodes the other.
    let nextBatch = 0;
    await Promise.all(
      [0, 1].map(async () => {
        while (nextBatch < batches.length) await peekBatch(batches[nextBatch++]);
      }),
    );
  }, [path, peekBatch, commit]);

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
