// A function's share of each file over time, from the files' function tables (no file is decoded
// again): one function by name is its cum share (time in it and its callees, as pprof's cum%);
// a regular expression is the self time of every function it matches (flat adds up, cum would
// count a sample twice where two matching functions share a stack).
import { compileGoRegexp } from '../model/goRegexp';
import { endOf, type Entry } from './timelineData';

export type TrendQuery = { kind: 'function'; name: string } | { kind: 'regex'; source: string };

export interface Trend {
  /** Share (0–1) of each file's total, by path; files without a table are left out. */
  shares: Map<string, number>;
  max: number;
  /** What the share is of: "cum" for one function, "self" for a regex's functions. */
  measure: 'cum' | 'self';
}

/** The query a trend box's text means: a function of the folder by its exact name, else a regexp. */
export function parseTrendQuery(text: string, known: (name: string) => boolean): TrendQuery | null {
  const t = text.trim();
  if (!t) return null;
  return known(t) ? { kind: 'function', name: t } : { kind: 'regex', source: t };
}

export function trendOf(entries: Entry[], q: TrendQuery): Trend | { error: string } {
  const re = q.kind === 'regex' ? compileGoRegexp(q.source) : null;
  if (q.kind === 'regex' && !re) return { error: `invalid regular expression: ${q.source}` };
  const shares = new Map<string, number>();
  let max = 0;
  for (const e of entries) {
    const f = e.functions;
    if (e.status !== 'ready' || !f || e.total === 0) continue;
    let v = 0;
    if (q.kind === 'function') {
      const i = f.names.indexOf(q.name);
      v = i < 0 ? 0 : f.cum[i];
    } else {
      for (let i = 0; i < f.names.length; i++) if (re!.test(f.names[i])) v += f.flat[i];
    }
    const share = v / e.total;
    shares.set(e.file.path, share);
    max = Math.max(max, share);
  }
  return { shares, max, measure: q.kind === 'function' ? 'cum' : 'self' };
}

/** The functions with the most self time over the files in a window: the small multiples. */
export function topFunctionsIn(entries: Entry[], t0: number, t1: number, count: number): string[] {
  const flat = new Map<string, number>();
  for (const e of entries) {
    if (e.status !== 'ready' || !e.functions || endOf(e) <= t0 || e.startMs >= t1) continue;
    const f = e.functions;
    for (let i = 0; i < f.names.length; i++) {
      flat.set(f.names[i], (flat.get(f.names[i]) ?? 0) + f.flat[i]);
    }
  }
  return [...flat.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, count)
    .map(([name]) => name);
}
