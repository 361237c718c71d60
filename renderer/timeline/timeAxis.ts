// The timeline's time axis: ticks at round UTC times (a minute, five, fifteen, an hour, …) for
// whatever window is shown, and the window's zoom and pan, kept inside the folder's span.

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
/** The steps a tick may take, each a round number of the unit above it divides into. */
const STEPS = [
  1 * S,
  5 * S,
  15 * S,
  30 * S,
  1 * M,
  5 * M,
  15 * M,
  30 * M,
  1 * H,
  3 * H,
  6 * H,
  12 * H,
  1 * D,
  7 * D,
];

export interface Window {
  t0: number;
  t1: number;
}

export interface Ticks {
  step: number;
  times: number[];
}

/** Ticks at multiples of the smallest round step that leaves `minGapPx` between labels. */
export function roundTicks(win: Window, widthPx: number, minGapPx = 90): Ticks {
  const span = Math.max(win.t1 - win.t0, 1);
  const wanted = (span * minGapPx) / Math.max(widthPx, 1);
  const step = STEPS.find((s) => s >= wanted) ?? Math.ceil(wanted / (7 * D)) * 7 * D;
  const times: number[] = [];
  for (let t = Math.ceil(win.t0 / step) * step; t <= win.t1; t += step) times.push(t);
  return { step, times };
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A tick's label, as precise as its step needs: seconds only for steps under a minute, the date
 * for day steps and wherever a tick is the first of its day (or the first shown).
 */
export function tickLabel(t: number, step: number, first: boolean): string {
  const d = new Date(t);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  if (step >= D) return date;
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  const time = step < M ? `${hm}:${pad(d.getUTCSeconds())}` : hm;
  return first || t % D === 0 ? `${date} ${time}` : time;
}

/** The shortest window shown: a few seconds, so one file of a minute still fills the chart. */
export const MIN_SPAN = 10 * S;

/** `win` moved to lie inside `full` (shifted, not shrunk, unless wider than `full`). */
export function clampWindow(win: Window, full: Window): Window {
  const fullSpan = full.t1 - full.t0;
  const span = Math.min(Math.max(win.t1 - win.t0, Math.min(MIN_SPAN, fullSpan)), fullSpan);
  let t0 = Math.max(full.t0, Math.min(win.t0, full.t1 - span));
  if (!Number.isFinite(t0)) t0 = full.t0;
  return { t0, t1: t0 + span };
}

/** Zoomed by `factor` (< 1 closer) about the time `at`, which stays where it was on screen. */
export function zoomWindow(win: Window, full: Window, at: number, factor: number): Window {
  const t0 = at - (at - win.t0) * factor;
  const t1 = at + (win.t1 - at) * factor;
  return clampWindow({ t0, t1 }, full);
}

/** Moved by `share` of its own span (negative: earlier). */
export function panWindow(win: Window, full: Window, share: number): Window {
  const dt = (win.t1 - win.t0) * share;
  return clampWindow({ t0: win.t0 + dt, t1: win.t1 + dt }, full);
}
