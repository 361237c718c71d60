// The breakdown's rules, visible and editable: a name and a Go regexp over function names
// each (the leaf-most matching frame decides a sample's category). Applying them computes
// the breakdown again from the triage's saved captures.
import { useState } from 'react';
import { MAX_BREAKDOWN_RULES, type BreakdownRule } from '../../electron/contract';
import { compileBreakdownRules, DEFAULT_BREAKDOWN_RULES } from '../model';
import { ruleColour } from './triageFormat';

/** Whether the engine accepts the rule (a name, and a pattern that is a Go regexp). */
function isValidRule(r: BreakdownRule): boolean {
  if (r.name.trim() === '' || r.pattern === '') return false;
  try {
    compileBreakdownRules([r]);
    return true;
  } catch {
    return false;
  }
}

interface Props {
  rules: BreakdownRule[];
  /** Null while the triage runs: rules apply to the saved captures once it has ended. */
  onApply: ((rules: BreakdownRule[]) => void) | null;
}

export function RuleEditor({ rules, onApply }: Props) {
  const [draft, setDraft] = useState(rules);
  const [shown, setShown] = useState(rules);
  if (shown !== rules) {
    setShown(rules);
    setDraft(rules);
  }
  const invalid = draft.map((r) => !isValidRule(r));
  const edit = (i: number, patch: Partial<BreakdownRule>) =>
    setDraft((d) => d.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const changed = JSON.stringify(draft) !== JSON.stringify(rules);
  return (
    <details className="triage-rules" data-testid="triage-rules">
      <summary>Breakdown rules ({rules.length})</summary>
      <p className="muted">
        Each CPU sample goes to the rule of its leaf-most frame whose function matches one (Go
        regexp, unanchored as pprof’s -focus); samples matching none are “other”.
      </p>
      <ol>
        {draft.map((r, i) => (
          <li key={i} className="triage-rule">
            <span className="triage-swatch" style={{ background: ruleColour(i, false) }} />
            <input
              data-testid="triage-rule-name"
              aria-label={`Rule ${i + 1} name`}
              value={r.name}
              size={16}
              onChange={(e) => edit(i, { name: e.target.value })}
            />
            <input
              data-testid="triage-rule-pattern"
              aria-label={`Rule ${i + 1} pattern`}
              className="triage-rule-pattern"
              value={r.pattern}
              aria-invalid={invalid[i]}
              title={invalid[i] ? 'Not a valid Go regular expression' : r.pattern}
              onChange={(e) => edit(i, { pattern: e.target.value })}
            />
            <button
              aria-label={`Remove rule ${r.name}`}
              onClick={() => setDraft((d) => d.filter((_, j) => j !== i))}
            >
              ×
            </button>
          </li>
        ))}
      </ol>
      <div className="live-row">
        <button
          disabled={draft.length >= MAX_BREAKDOWN_RULES}
          onClick={() => setDraft((d) => [...d, { name: `rule ${d.length + 1}`, pattern: '^' }])}
        >
          Add rule
        </button>
        <button onClick={() => setDraft(DEFAULT_BREAKDOWN_RULES)}>Defaults</button>
        <button
          data-testid="triage-rules-apply"
          disabled={!onApply || !changed || invalid.some(Boolean)}
          title={onApply ? 'Break the saved captures down again' : 'Once the triage has ended'}
          onClick={() => onApply?.(draft)}
        >
          Apply
        </button>
      </div>
    </details>
  );
}
