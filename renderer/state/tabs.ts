import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/api';
import type { ProfileFileInfo } from '../../electron/contract';
import type { ProfileSummary } from '../model/types';
import { engine } from '../worker/engineClient';
import { readProfile } from './readProfile';
import { parseSavedTabs, SAVED_TABS_KEY, tabsToSave } from './savedTabs';

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
  initial?: { view: 'diff'; baseKey: number; focus?: string };
}

let nextKey = 1;

/** How a tab's profile is read again from its source; uploads keep their File for it. */
interface Reader {
  names: string[];
  read: (progress: (share: number) => void, signal: AbortSignal) => Promise<Uint8Array[]>;
  labels?: Record<string, string>[];
}

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

function readerFor(source: TabSource, upload: File | undefined): Reader | null {
  if (source.kind === 'file') {
    return {
      names: [baseName(source.path)],
      read: async (progress, signal) => [await readProfile(api, source.path, progress, signal)],
    };
  }
  if (source.kind === 'merged') {
    const { paths } = source;
    return {
      names: paths.map(baseName),
      labels: source.labels,
      read: (progress) => {
        let read = 0;
        return Promise.all(
          paths.map(async (p) => {
            const bytes = await api.readFile(p);
            progress(++read / paths.length);
            return bytes;
          }),
        );
      },
    };
  }
  if (source.kind === 'upload' && upload) {
    return { names: [upload.name], read: async () => [new Uint8Array(await upload.arrayBuffer())] };
  }
  return null;
}

/** Open profiles, one tab each. Loading and errors stay inside their tab. */
export function useTabs() {
  const [tabs, setTabs] = useState<Tab[]>([]);
  const [active, setActive] = useState<number | null>(null);
  /**
   * One per loading tab, aborted when the tab closes: the worker stops decoding, and a result
   * that arrives anyway is dropped (and freed in the worker).
   */
  const loading = useRef(new Map<number, AbortController>());
  /** Dropped files, by tab: their bytes are read again if the engine has to reopen them. */
  const uploads = useRef(new Map<number, File>());

  const update = useCallback((key: number, patch: Partial<Tab>) => {
    setTabs((ts) => ts.map((t) => (t.key === key ? { ...t, ...patch } : t)));
  }, []);

  /**
   * Reads, decodes (merging several files) and fills the tab; a tab closed meanwhile drops the
   * result. `reopen`: the engine restarted under a tab that was showing its profile, which stays
   * on screen (with its view and filters) until the new copy's id replaces the old one.
   */
  const load = useCallback(
    async (key: number, { names, read, labels }: Reader, reopen = false) => {
      const controller = new AbortController();
      loading.current.set(key, controller);
      const cancelled = controller.signal;
      try {
        const files = await read((progress) => !reopen && update(key, { progress }), cancelled);
        if (cancelled.aborted) return;
        // The rendering benchmark measures from here to the first flame graph on screen.
        if (!reopen) performance.mark('profscope:bytes-arrived');
        const bytes = files.reduce((n, f) => n + f.byteLength, 0);
        if (!reopen) {
          update(key, { phase: 'decoding', phaseSince: Date.now(), bytes, progress: undefined });
        }
        const transfer = files.map((f) => f.buffer as ArrayBuffer);
        const onProgress = reopen ? undefined : (progress: number) => update(key, { progress });
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
          void engine.call('close', { profileId: opened.profileId }).catch(() => undefined);
          return;
        }
        update(key, { status: 'ready', profileId: opened.profileId, summary: opened.summary });
      } catch (err) {
        if (cancelled.aborted) return;
        const message = err instanceof Error ? err.message : String(err);
        const named = names.some((n) => message.startsWith(n))
          ? message
          : `${names.join(', ')}: ${message}`;
        update(key, { status: 'error', error: named, profileId: undefined });
      } finally {
        loading.current.delete(key);
      }
    },
    [update],
  );

  // Closing frees the worker's copy and picks the next tab; side effects stay out of the updater.
  const tabsRef = useRef(tabs);
  tabsRef.current = tabs;

  // The engine died and a new one took over: the profiles it held are gone. Tabs that were
  // showing theirs open them again from their sources; those that were loading (whose profile
  // may be what killed it) already got the error saying so from their own call.
  useEffect(
    () =>
      engine.onRestart(({ restarted }) => {
        if (!restarted) return;
        for (const t of tabsRef.current) {
          if (t.status !== 'ready' || t.profileId === undefined || loading.current.has(t.key)) {
            continue;
          }
          const reader = readerFor(t.source, uploads.current.get(t.key));
          if (reader) void load(t.key, reader, true);
        }
      }),
    [load],
  );

  const add = useCallback(
    (title: string, source: TabSource, initial?: Tab['initial'], select = true): number => {
      const key = nextKey++;
      setTabs((ts) => [
        ...ts,
        {
          key,
          title,
          source,
          status: 'loading',
          phase: 'reading',
          phaseSince: Date.now(),
          initial,
        },
      ]);
      if (select) setActive(key);
      return key;
    },
    [],
  );

  const openFile = useCallback(
    (file: ProfileFileInfo) => {
      const source: TabSource = { kind: 'file', path: file.path };
      const key = add(file.name, source);
      void load(key, { ...readerFor(source, undefined)!, names: [file.name] });
    },
    [add, load],
  );

  const openUpload = useCallback(
    (file: File) => {
      const key = add(file.name, { kind: 'upload' });
      uploads.current.set(key, file);
      void load(key, readerFor({ kind: 'upload' }, file)!);
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
      const source: TabSource = { kind: 'merged', paths, labels };
      const key = add(title, source, initial);
      void load(key, readerFor(source, undefined)!);
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

  // Read before the effect below first saves (no tabs yet) over it.
  const [savedAtStart] = useState(() => parseSavedTabs(sessionStorage.getItem(SAVED_TABS_KEY)));
  // Every change of the tabs' sources is saved for a reload; progress ticks change nothing saved.
  const savedText = useRef<string | null>(null);
  useEffect(() => {
    const text = JSON.stringify(tabsToSave(tabs, active));
    if (text === savedText.current) return;
    savedText.current = text;
    try {
      sessionStorage.setItem(SAVED_TABS_KEY, text);
    } catch {
      // Storage full or refused: a reload then starts with the launch files, as before.
    }
  }, [tabs, active]);
  useEffect(() => {
    const onHide = () => {
      const saved = parseSavedTabs(savedText.current);
      if (saved) sessionStorage.setItem(SAVED_TABS_KEY, JSON.stringify({ ...saved, clean: true }));
    };
    window.addEventListener('pagehide', onHide);
    return () => window.removeEventListener('pagehide', onHide);
  }, []);

  /**
   * Opens the tabs saved before a reload, in their order; false when none were saved. After a
   * crash (no clean `pagehide`), a tab that was still loading is not opened again, since its
   * profile may be what brought the page down, and says so.
   */
  const restore = useCallback((): boolean => {
    const saved = savedAtStart;
    if (!saved) return false;
    const keys = new Map<number, number>();
    for (const t of saved.tabs) {
      const baseKey = t.initial && keys.get(t.initial.baseKey);
      const initial = baseKey === undefined ? undefined : { view: 'diff' as const, baseKey };
      const key = add(t.title, t.source, initial, false);
      keys.set(t.key, key);
      if (t.loading && !saved.clean) {
        update(key, {
          status: 'error',
          error: `${t.title} was still loading when the window stopped (out of memory, or a crash); open it again to retry`,
        });
        continue;
      }
      const reader = readerFor(t.source, undefined);
      if (reader) void load(key, reader);
      else update(key, { status: 'ready' });
    }
    const activeKey = saved.active === null ? undefined : keys.get(saved.active);
    setActive(activeKey ?? [...keys.values()].at(-1) ?? null);
    return true;
  }, [add, load, update, savedAtStart]);

  const close = useCallback((key: number) => {
    const tab = tabsRef.current.find((t) => t.key === key);
    if (tab?.profileId !== undefined) {
      void engine.call('close', { profileId: tab.profileId }).catch(() => undefined);
    }
    loading.current.get(key)?.abort();
    uploads.current.delete(key);
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
    restore,
    close,
  };
}
