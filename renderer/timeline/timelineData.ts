// What the timeline draws and selects, derived from the folder's files: bars in lanes, their
// height in cores for CPU profiles, and the files a range of time covers.
import type { FunctionTotals, ProfileFileInfo } from '../../electron/contract';

export interface Entry {
  file: ProfileFileInfo;
  startMs: number;
  durationMs: number;
  total: number;
  unit: string;
  topFunction: string;
  /** The component the file's name gives (Fleet's `fleetcontroller`), '' when none: its lane. */
  component: string;
  status: 'pending' | 'ready' | 'incomplete';
  error?: string;
  /** Every function's flat and cum in this file (its default sample type): trends read them. */
  functions?: FunctionTotals;
}

/** A span of time, in one lane (a component) or across all of them (null). */
export interface TimeRange {
  from: number;
  to: number;
  lane: string | null;
}

export const endOf = (e: Entry) => e.startMs + Math.max(e.durationMs, 1);

/**
 * A bar's height: CPU as cores used (CPU seconds per wall second, what `top` shows), so that
 * periods of different lengths compare; any other profile by its total.
 */
export function barValue(e: Entry): { value: number; unit: string } {
  if (e.unit === 'nanoseconds' && e.durationMs > 0) {
    return { value: e.total / 1e6 / e.durationMs, unit: 'cores' };
  }
  return { value: e.total, unit: e.unit };
}

/** The lanes in their order of first appearance, one for files without a component. */
export function lanesOf(entries: Entry[]): string[] {
  return [...new Set(entries.map((e) => e.component))];
}

/**
 * Whether a file belongs to a range: by its middle, since consecutive periods often overlap by
 * a fraction of a second (a range drawn from one bar's edge must not take in its neighbour).
 */
export function covers(r: TimeRange | null, e: Entry): boolean {
  if (!r || (r.lane !== null && e.component !== r.lane)) return false;
  const mid = (e.startMs + endOf(e)) / 2;
  return mid >= r.from && mid < r.to;
}

/** The ready files a range covers, oldest first. */
export function inRange(entries: Entry[], r: TimeRange | null): Entry[] {
  return entries.filter((e) => e.status === 'ready' && covers(r, e));
}

/** The window as long as `r` just before it: what a selection is compared with by default. */
export function windowBefore(r: TimeRange): TimeRange {
  return { from: r.from - (r.to - r.from), to: r.from, lane: r.lane };
}

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/** "fleetcontroller 13:50:29–13:51:00 (6)": a merged range's tab title. */
export function rangeTitle(sel: Entry[], fallback = 'profiles'): string {
  if (sel.length === 0) return '';
  const last = sel[sel.length - 1];
  return `${sel[0].component || fallback} ${clock(sel[0].startMs)}–${clock(last.startMs + last.durationMs)} (${sel.length})`;
}
