import { useCallback, useRef, useState } from 'react';
import { api } from '../api/api';
import type { ProfileFileInfo } from '../../electron/contract';
import type { ProfileSummary } from '../model/types';
import { engine } from '../worker/engineClient';
import { readProfile } from './readProfile';

export type TabSource =
  | { kind: 'file'; path: string }
  | { kind: 'upload' }
  /** With labels (one set per path), every sample carries its file's: a triage group's merge. */
  | { kind: 'merged'; paths: string[]; labels?: Record<string, string>[] }
  | { kind: 'folder'; path: string }
  /** A triage's table: one running (polled by id) or one saved in the library (its folder). */
  | { kind: 'triage'; id: string | null; dir: string | null };

export interface Tab {
  key: number;
  title: string;
  source: TabSource;
  status: 'loading' | 'ready' | 'error';
  /** While loading: which step, since when, and how many bytes once read. */
  phase?: 'reading' | 'decoding';
  phaseSince?: number;
  bytes?: number;
  /** Share of the current step done (0–1), when known. */
  progress?: number;
  error?: string;
  profileId?: number;
  summary?: ProfileSummary;
  /** How the tab first shows: e.g. a timeline comparison opens as a diff against another tab. */
  initial?: { view: 'diff'; baseKey: number };
}

let nextKey = 1;

/** Open profiles, one tab each. Loading and errors stay inside their tab. */
export function useTabs() {
  const [tabs, setTabs] = useState<Tab[]>([]);
  const [active, setActive] = useState<number | null>(null);
  /**
   * One per loading tab, aborted when the tab closes: the worker stops decoding, and a result
   * that arrives anyway is dropped (and freed in the worker).
   */
  const loading = useRef(new Map<number, AbortController>());

  const update = useCallback((key: number, patch: Partial<Tab>) => {
    setTabs((ts) => ts.map((t) => (t.key === key ? { ...t, ...patch } : t)));
  }, []);

  /** Reads, decodes (merging several files) and fills the tab; a tab closed meanwhile drops the result. */
  const load = useCallback(
    async (
      key: number,
      names: string[],
      read: (progress: (share: number) => void, signal: AbortSignal) => Promise<Uint8Array[]>,
      labels?: Record<string, string>[],
    ) => {
      const controller = new AbortController();
      loading.current.set(key, controller);
      const cancelled = controller.signal;
      try {
        const files = await read((progress) => update(key, { progress }), cancelled);
        if (cancelled.aborted) return;
        // The rendering benchmark measures from here to the first flame graph on screen.
        performance.mark('profscope:bytes-arrived');
        const bytes = files.reduce((n, f) => n + f.byteLength, 0);
        update(key, { phase: 'decoding', phaseSince: Date.now(), bytes, progress: undefined });
        const transfer = files.map((f) => f.buffer as ArrayBuffer);
        const onProgress = (progress: number) => update(key, { progress });
        const opened = labels
          ? await engine.call(
              'openLabelled',
              { files, names, labels },
              transfer,
              onProgress,
              cancelled,
            )
          : await engine.call('open', { files, names }, transfer, onProgress, cancelled);
        if (cancelled.aborted) {
          void engine.call('close', { profileId: opened.profileId });
          return;
        }
        update(key, { status: 'ready', profileId: opened.profileId, summary: opened.summary });
      } catch (err) {
        if (cancelled.aborted) return;
        const message = err instanceof Error ? err.message : String(err);
        const named = names.some((n) => message.startsWith(n))
          ? message
          : `${names.join(', ')}: ${message}`;
        update(key, { status: 'error', error: named });
      } finally {
        loading.current.delete(key);
      }
    },
    [update],
  );

  const add = useCallback((title: string, source: TabSource, initial?: Tab['initial']): number => {
    const key = nextKey++;
    setTabs((ts) => [
      ...ts,
      { key, title, source, status: 'loading', phase: 'reading', phaseSince: Date.now(), initial },
    ]);
    setActive(key);
    return key;
  }, []);

  const openFile = useCallback(
    (file: ProfileFileInfo) => {
      const key = add(file.name, { kind: 'file', path: file.path });
      void load(key, [file.name], async (progress, signal) => [
        await readProfile(api, file.path, progress, signal),
      ]);
    },
    [add, load],
  );

  const openUpload = useCallback(
    (file: File) => {
      const key = add(file.name, { kind: 'upload' });
      void load(key, [file.name], async () => [new Uint8Array(await file.arrayBuffer())]);
    },
    [add, load],
  );

  /**
   * Several files merged into one profile (a range of a timeline, captures of several pods);
   * with `labels`, one set per path put on every sample of that file (a triage group).
   */
  const openMerged = useCallback(
    (
      title: string,
      paths: string[],
      initial?: Tab['initial'],
      labels?: Record<string, string>[],
    ) => {
      const key = add(title, { kind: 'merged', paths, labels }, initial);
      const names = paths.map((p) => p.split(/[\\/]/).pop() ?? p);
      void load(
        key,
        names,
        (progress) => {
          let read = 0;
          return Promise.all(
            paths.map(async (p) => {
              const bytes = await api.readFile(p);
              progress(++read / paths.length);
              return bytes;
            }),
          );
        },
        labels,
      );
      return key;
    },
    [add, load],
  );

  /** A triage's table: the tab polls or reads it itself. */
  const openTriage = useCallback(
    (title: string, source: { id: string | null; dir: string | null }) => {
      const key = add(title, { kind: 'triage', ...source });
      update(key, { status: 'ready' });
      return key;
    },
    [add, update],
  );

  /** A folder of continuous profiles: the tab is its timeline, which reads the files itself. */
  const openFolder = useCallback(
    (path: string) => {
      const name = path.split(/[\\/]/).filter(Boolean).pop() ?? path;
      const key = add(`${name}/`, { kind: 'folder', path });
      update(key, { status: 'ready' });
    },
    [add, update],
  );

  // Closing frees the worker's copy and picks the next tab; side effects stay out of the updater.
  const tabsRef = useRef(tabs);
  tabsRef.current = tabs;
  const close = useCallback((key: number) => {
    const tab = tabsRef.current.find((t) => t.key === key);
    if (tab?.profileId !== undefined) void engine.call('close', { profileId: tab.profileId });
    loading.current.get(key)?.abort();
    const rest = tabsRef.current.filter((t) => t.key !== key);
    setTabs((ts) => ts.filter((t) => t.key !== key));
    setActive((a) => (a === key ? (rest.at(-1)?.key ?? null) : a));
  }, []);

  return {
    tabs,
    active,
    setActive,
    openFile,
    openUpload,
    openMerged,
    openFolder,
    openTriage,
    close,
  };
}
