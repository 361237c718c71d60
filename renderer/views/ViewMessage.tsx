import type { ReactNode } from 'react';
import type { ProfileSummary } from '../model/types';
import type { FilterKey } from './FilterBar';

/**
 * What a view shows instead of its graph or table when it has none to show: the engine's error
 * (a bad regular expression) or why there is nothing (no samples), said where the graph would
 * be, never a blank canvas or a "Computing…" that never ends.
 */
export function ViewMessage({
  kind,
  title,
  children,
}: {
  kind: 'error' | 'empty';
  title: string;
  children?: ReactNode;
}) {
  return (
    <div
      className={`view-message view-message-${kind}`}
      role={kind === 'error' ? 'alert' : 'status'}
      data-testid={kind === 'error' ? 'view-error' : 'no-samples'}
    >
      <h2>{title}</h2>
      {children && <p>{children}</p>}
    </div>
  );
}

/**
 * Why a view of this profile has no samples to draw, or null when it has some: the file has
 * none (an idle process's CPU profile), the chosen sample type is zero throughout, or the
 * filters kept none (pprof: "Focus expression matched no samples").
 */
export function noSamplesReason(
  summary: ProfileSummary,
  sampleIndex: number,
  shownTotal: number | undefined,
): { title: string; detail: string } | null {
  const type = summary.sampleTypes[sampleIndex]?.type ?? 'value';
  if (summary.sampleCount === 0) {
    return {
      title: 'No samples',
      detail:
        summary.periodType?.type === 'cpu'
          ? 'This profile has no samples: the process used no CPU while it was profiled. Capture for longer, or while it is busy.'
          : 'This profile has no samples.',
    };
  }
  if ((summary.totals[sampleIndex] ?? 0) === 0) {
    return {
      title: 'No samples',
      detail: `Every sample's ${type} is 0 in this profile. Another sample type may have values.`,
    };
  }
  if (shownTotal === 0) {
    return {
      title: 'No samples match the filters',
      detail: 'The focus, ignore and tag filters above kept no sample; change or clear them.',
    };
  }
  return null;
}

const FIELD_OF_OPTION: Record<string, FilterKey> = {
  focus: 'focus',
  ignore: 'ignore',
  hide: 'hide',
  show: 'show',
  tagfocus: 'tagFocus',
  tagignore: 'tagIgnore',
};

/** Which filter field an engine error is about ("invalid focus regular expression: ("), if any. */
export function invalidFilterOf(error: string | null): FilterKey | null {
  const m = error ? /invalid (\w+) regular expression/.exec(error) : null;
  return (m && FIELD_OF_OPTION[m[1]]) ?? null;
}
