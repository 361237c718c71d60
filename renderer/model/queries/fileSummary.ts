// One profile file in a few kilobytes: what the continuous-profile timeline draws for it (time,
// length, totals, the hottest function) and its whole function table, so that the timeline can
// add up a range of files without decoding them again. Worked out once per file, in a worker
// pool, and kept in a disk cache by the Node services (electron/services/summaries/).
import type { Profile } from '../profile/profile';
import type { ValueType } from '../types';
import { topTable } from './top';

/**
 * Every function of the profile with its flat and cum for the default sample type, as
 * `go tool pprof -top -nodecount=100000 -nodefraction=0` lists them (function granularity,
 * inlined frames as functions of their own, a recursive function's cum counted once per
 * sample), in that report's order. Columns rather than rows: a day of files is 1,440 tables.
 * Flat and cum add up over files: the tables of several files summed by name are the table of
 * their merge.
 */
export interface FunctionTotals {
  names: string[];
  flat: number[];
  cum: number[];
}

export interface FileSummary {
  /** When the profile began, in nanoseconds since the epoch (0 when the file does not say). */
  timeNanos: number;
  durationNanos: number;
  periodType: ValueType | null;
  period: number;
  sampleTypes: ValueType[];
  /** pprof's default sample type (default_sample_type, else the last): the one tabled here. */
  defaultSampleIndex: number;
  /** sampleTypes[defaultSampleIndex], for readers that want only it. */
  sampleType: ValueType;
  /** Sum of every sample's value, one entry per sample type. */
  totals: number[];
  sampleCount: number;
  /** The function with the largest flat value ('' when there are no samples): the bar's label. */
  topFunction: string;
  functions: FunctionTotals;
}

export function fileSummary(profile: Profile): FileSummary {
  const s = profile.summary();
  const sampleIndex = s.defaultSampleIndex;
  const table = topTable(profile, { sampleIndex });
  const functions: FunctionTotals = { names: [], flat: [], cum: [] };
  for (const row of table.rows) {
    functions.names.push(row.name);
    functions.flat.push(row.flat);
    functions.cum.push(row.cum);
  }
  return {
    timeNanos: s.timeNanos,
    durationNanos: s.durationNanos,
    periodType: s.periodType ? { ...s.periodType } : null,
    period: s.period,
    sampleTypes: s.sampleTypes.map((t) => ({ ...t })),
    defaultSampleIndex: sampleIndex,
    sampleType: { ...(s.sampleTypes[sampleIndex] ?? { type: '', unit: '' }) },
    totals: s.totals.slice(),
    sampleCount: s.sampleCount,
    topFunction: functions.names[0] ?? '',
    functions,
  };
}
