import { useCallback, useState } from 'react';
import { api } from '../api/api';
import type { ProfileFileInfo } from '../../electron/contract';
import type { ProfileSummary } from '../model/types';
import { engine } from '../worker/engineClient';

export type TabSource = { kind: 'file'; path: string } | { kind: 'upload' } | { kind: 'merge'; of: number[] };

export interface Tab {
  key: number;
  title: string;
  source: TabSource;
  status: 'loading' | 'ready' | 'error';
  error?: string;
  profileId?: number;
  summary?: ProfileSummary;
}

let nextKey = 1;

/** Open profiles, one tab each. Loading and errors stay inside their tab. */
export function useTabs() {
  const [tabs, setTabs] = useState<Tab[]>([]);
  const [active, setActive] = useState<number | null>(null);

  const update = useCallback((key: number, patch: Partial<Tab>) => {
    setTabs((ts) => ts.map((t) => (t.key === key ? { ...t, ...patch } : t)));
  }, []);

  const openBytes = useCallback(
    async (key: number, name: string, bytes: Promise<Uint8Array>) => {
      try {
        const data = await bytes;
        const opened = await engine.call('open', { bytes: data }, [data.buffer as ArrayBuffer]);
        update(key, { status: 'ready', profileId: opened.profileId, summary: opened.summary });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        update(key, { status: 'error', error: message.startsWith(name) ? message : `${name}: ${message}` });
      }
    },
    [update],
  );

  const add = useCallback((title: string, source: TabSource): number => {
    const key = nextKey++;
    setTabs((ts) => [...ts, { key, title, source, status: 'loading' }]);
    setActive(key);
    return key;
  }, []);

  const openFile = useCallback(
    (file: ProfileFileInfo) => {
      const key = add(file.name, { kind: 'file', path: file.path });
      void openBytes(key, file.name, api.readFile(file.path));
    },
    [add, openBytes],
  );

  const openUpload = useCallback(
    (file: File) => {
      const key = add(file.name, { kind: 'upload' });
      void openBytes(key, file.name, file.arrayBuffer().then((b) => new Uint8Array(b)));
    },
    [add, openBytes],
  );

  const close = useCallback((key: number) => {
    setTabs((ts) => {
      const tab = ts.find((t) => t.key === key);
      if (tab?.profileId !== undefined) void engine.call('close', { profileId: tab.profileId });
      const rest = ts.filter((t) => t.key !== key);
      setActive((a) => (a === key ? (rest.at(-1)?.key ?? null) : a));
      return rest;
    });
  }, []);

  return { tabs, active, setActive, openFile, openUpload, close };
}
