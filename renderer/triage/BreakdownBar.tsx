// Where one pod's CPU goes: a stacked bar, one segment per breakdown rule (then "other"), each
// segment's width its share of the pod's CPU. The figures are on the segments as data
// attributes and in their tooltips.
import type { PodSummary } from '../../electron/contract';
import { OTHER_CATEGORY } from '../model';
import { percent, ruleColour } from './triageFormat';

interface Props {
  breakdown: NonNullable<PodSummary['breakdown']>;
  /** The rule names in order, for the colours (the legend's). */
  rules: string[];
}

export function BreakdownBar({ breakdown, rules }: Props) {
  const total = breakdown.reduce((n, c) => n + c.value, 0);
  return (
    <div
      className="triage-bar"
      data-testid="triage-breakdown"
      role="img"
      aria-label={breakdown
        .filter((c) => c.value > 0)
        .map((c) => `${c.rule} ${percent(total > 0 ? c.value / total : 0)}`)
        .join(', ')}
    >
      {breakdown.map((c) => {
        const share = total > 0 ? c.value / total : 0;
        const index = rules.indexOf(c.rule);
        return (
          <span
            key={c.rule}
            data-testid="triage-segment"
            data-rule={c.rule}
            data-value={c.value}
            data-share={share.toFixed(4)}
            title={`${c.rule}: ${percent(share)} of the CPU (${(c.value / 1e9).toFixed(2)} s)`}
            style={{
              width: `${share * 100}%`,
              background: ruleColour(index, c.rule === OTHER_CATEGORY || index < 0),
            }}
          />
        );
      })}
    </div>
  );
}

/** The colours' key; clicking a category sorts the table by its share. */
export function BreakdownLegend({
  rules,
  sortedBy,
  onSort,
}: {
  rules: string[];
  sortedBy: string | null;
  onSort: (rule: string) => void;
}) {
  return (
    <div className="triage-legend" data-testid="triage-legend">
      <span className="muted">CPU breakdown:</span>
      {[...rules, OTHER_CATEGORY].map((r, i) => (
        <button
          key={r}
          className="triage-legend-item"
          aria-pressed={sortedBy === r}
          title={`Sort by the share of “${r}”`}
          onClick={() => onSort(r)}
        >
          <span
            className="triage-swatch"
            style={{ background: ruleColour(i, r === OTHER_CATEGORY) }}
          />
          {r}
        </button>
      ))}
    </div>
  );
}
