// A set of files merged into one profile in the engine, following the set as it changes: the
// explore view's selection and its baseline. The previous merge is cancelled or closed, so the
// worker holds at most one profile per hook however often the selection moves.
import { useEffect, useRef, useState } from 'react';
import { api } from '../api/api';
import { unpackFileBatch } from '../../electron/contract';
import type { ProfileSummary } from '../model/types';
import { engine } from '../worker/engineClient';

export type MergedProfile =
  | { status: 'none' }
  | { status: 'ready'; profileId: number; summary: ProfileSummary; count: number }
  | { status: 'error'; error: string };

export interface MergedState {
  /** What to show: the last merge that finished, kept on screen while the next one runs. */
  shown: MergedProfile;
  /** Files being merged now (0: none). */
  merging: number;
}

/** Files per round trip: a day of one-minute files is read in a few dozen. */
const BATCH = 96;

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

async function readAll(paths: string[], signal: AbortSignal): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (let i = 0; i < paths.length && !signal.aborted; i += BATCH) {
    const part = paths.slice(i, i + BATCH);
    const items = unpackFileBatch(await api.readFileBatch(part));
    items.forEach((it, j) => {
      if ('error' in it) throw new Error(`${baseName(part[j])}: ${it.error}`);
      out.push(it.bytes);
    });
  }
  return out;
}

/**
 * `paths` merged; a new list (by content) starts a new merge. The profile on screen stays open
 * in the engine until the one replacing it is ready (or the view goes away).
 */
export function useMergedProfile(paths: string[]): MergedState {
  const key = paths.join('\n');
  const [state, setState] = useState<MergedState>({ shown: { status: 'none' }, merging: 0 });
  const shownId = useRef<number | null>(null);
  useEffect(() => {
    const list = key === '' ? [] : key.split('\n');
    const replace = (shown: MergedProfile) => {
      const old = shownId.current;
      shownId.current = shown.status === 'ready' ? shown.profileId : null;
      setState({ shown, merging: 0 });
      if (old !== null && old !== shownId.current) {
        void engine.call('close', { profileId: old }).catch(() => undefined);
      }
    };
    if (list.length === 0) {
      replace({ status: 'none' });
      return;
    }
    setState((s) => ({ ...s, merging: list.length }));
    const controller = new AbortController();
    void (async () => {
      try {
        const files = await readAll(list, controller.signal);
        if (controller.signal.aborted) return;
        const result = await engine.call(
          'open',
          { files, names: list.map(baseName) },
          files.map((f) => f.buffer as ArrayBuffer),
          undefined,
          controller.signal,
        );
        if (controller.signal.aborted) {
          void engine.call('close', { profileId: result.profileId }).catch(() => undefined);
          return;
        }
        replace({ status: 'ready', ...result, count: list.length });
      } catch (err) {
        if (!controller.signal.aborted) {
          replace({ status: 'error', error: err instanceof Error ? err.message : String(err) });
        }
      }
    })();
    return () => controller.abort();
  }, [key]);
  // The last one shown is let go with the view.
  useEffect(
    () => () => {
      if (shownId.current !== null) {
        void engine.call('close', { profileId: shownId.current }).catch(() => undefined);
      }
    },
    [],
  );
  return state;
}
