import { formatPercent, formatValueShort } from '../model';
import type { ProfileSummary } from '../model/types';

function formatDuration(nanos: number): string {
  return nanos > 0 ? `${(nanos / 1e9).toFixed(2)}s` : '—';
}

export function ProfileHeader({
  summary,
  sampleIndex,
  shownTotal,
}: {
  summary: ProfileSummary;
  sampleIndex: number;
  /** With filters set: the total of the samples they keep. */
  shownTotal?: number;
}) {
  const st = summary.sampleTypes[sampleIndex];
  const total = summary.totals[sampleIndex] ?? 0;
  const cpuShare =
    st.unit === 'nanoseconds' && summary.durationNanos > 0
      ? ` (${((total / summary.durationNanos) * 100).toFixed(1)}% of ${formatDuration(summary.durationNanos)})`
      : '';
  const when =
    summary.timeNanos > 0
      ? new Date(summary.timeNanos / 1e6).toISOString().replace('T', ' ').slice(0, 19) + ' UTC'
      : '—';
  return (
    <dl className="profile-header" data-testid="profile-header">
      <div>
        <dt>Type</dt>
        <dd data-testid="profile-type">{summary.periodType?.type ?? st.type}</dd>
      </div>
      <div>
        <dt>Samples</dt>
        <dd>{summary.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(', ')}</dd>
      </div>
      <div>
        <dt>Duration</dt>
        <dd>{formatDuration(summary.durationNanos)}</dd>
      </div>
      <div>
        <dt>Time</dt>
        <dd>{when}</dd>
      </div>
      <div>
        <dt>Total {st.type}</dt>
        <dd data-testid="profile-total" data-value={total}>
          {formatValueShort(total, st.unit)}
          {cpuShare}
        </dd>
      </div>
      {shownTotal !== undefined && (
        <div className="profile-shown">
          <dt>Shown (filtered)</dt>
          <dd data-testid="profile-shown" data-value={shownTotal}>
            {formatValueShort(shownTotal, st.unit)} ({formatPercent(shownTotal, total).trim()} of
            all)
          </dd>
        </div>
      )}
    </dl>
  );
}
