import type { ViewOptions } from '../model/types';

export type ViewKind = 'flame' | 'top' | 'sandwich' | 'diff' | 'speedscope';

export interface ViewState {
  view: ViewKind;
  filters: ViewOptions;
}

const VIEWS: ViewKind[] = ['flame', 'top', 'sandwich', 'diff', 'speedscope'];
const TEXT_KEYS = ['focus', 'ignore', 'hide', 'show', 'tagFocus', 'tagIgnore'] as const;

/** The active tab's view in the URL's hash, so a reload (or a copied URL) reopens it. */
export function serializeViewState(state: ViewState): string {
  const p = new URLSearchParams();
  p.set('view', state.view);
  if (state.filters.sampleIndex !== undefined) p.set('si', String(state.filters.sampleIndex));
  for (const k of TEXT_KEYS) {
    const v = state.filters[k];
    if (v) p.set(k, v);
  }
  return p.toString();
}

export function parseViewState(hash: string): Partial<ViewState> | null {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const view = p.get('view');
  if (!view || !VIEWS.includes(view as ViewKind)) return null;
  const filters: ViewOptions = {};
  const si = Number(p.get('si'));
  if (p.has('si') && Number.isInteger(si) && si >= 0) filters.sampleIndex = si;
  for (const k of TEXT_KEYS) {
    const v = p.get(k);
    if (v) filters[k] = v;
  }
  return { view: view as ViewKind, filters };
}
