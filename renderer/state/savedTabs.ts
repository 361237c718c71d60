// The open tabs' sources, kept in sessionStorage so that a reload (the one Electron makes after
// the renderer crashed, or the user's) opens them again. sessionStorage lives in the browser
// process, so it outlives a renderer that crashed; a new window starts without it.
import type { Tab, TabSource } from './tabs';

export const SAVED_TABS_KEY = 'profscope:tabs';

export interface SavedTab {
  key: number;
  title: string;
  source: Exclude<TabSource, { kind: 'upload' }>;
  initial?: Tab['initial'];
  /** Still loading when saved: if the page then died uncleanly, this profile may be why. */
  loading: boolean;
}

export interface SavedTabs {
  tabs: SavedTab[];
  active: number | null;
  /** Set as the page goes away normally (`pagehide`); a crash leaves it false. */
  clean: boolean;
}

/** What can be opened again from its source: a dropped file's bytes are gone with the page. */
export function tabsToSave(tabs: Tab[], active: number | null): SavedTabs {
  const saved: SavedTab[] = [];
  for (const t of tabs) {
    if (t.source.kind === 'upload') continue;
    saved.push({
      key: t.key,
      title: t.title,
      source: t.source,
      ...(t.initial ? { initial: t.initial } : {}),
      loading: t.status === 'loading',
    });
  }
  return { tabs: saved, active, clean: false };
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function parseSource(v: unknown): SavedTab['source'] | null {
  if (!isRecord(v)) return null;
  if ((v.kind === 'file' || v.kind === 'folder') && isString(v.path)) {
    return { kind: v.kind, path: v.path };
  }
  if (v.kind === 'merged' && Array.isArray(v.paths) && v.paths.every(isString)) {
    const labels = v.labels;
    if (labels === undefined) return { kind: 'merged', paths: v.paths };
    const valid =
      Array.isArray(labels) &&
      labels.length === v.paths.length &&
      labels.every((l) => isRecord(l) && Object.values(l).every(isString));
    return valid
      ? { kind: 'merged', paths: v.paths, labels: labels as Record<string, string>[] }
      : null;
  }
  if (v.kind === 'triage') {
    const id = v.id === null || isString(v.id) ? v.id : undefined;
    const dir = v.dir === null || isString(v.dir) ? v.dir : undefined;
    if (id !== undefined && dir !== undefined) return { kind: 'triage', id, dir };
  }
  return null;
}

/** The saved tabs, or null when there are none or the text is not ours (dropped, not trusted). */
export function parseSavedTabs(text: string | null): SavedTabs | null {
  if (!text) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value) || !Array.isArray(value.tabs)) return null;
  const tabs: SavedTab[] = [];
  for (const t of value.tabs) {
    if (!isRecord(t) || typeof t.key !== 'number' || !isString(t.title)) continue;
    const source = parseSource(t.source);
    if (!source) continue;
    const initial =
      isRecord(t.initial) && t.initial.view === 'diff' && typeof t.initial.baseKey === 'number'
        ? {
            view: 'diff' as const,
            baseKey: t.initial.baseKey,
            ...(isString(t.initial.focus) ? { focus: t.initial.focus } : {}),
          }
        : undefined;
    tabs.push({ key: t.key, title: t.title, source, initial, loading: t.loading === true });
  }
  const active = typeof value.active === 'number' ? value.active : null;
  return tabs.length > 0 ? { tabs, active, clean: value.clean === true } : null;
}
