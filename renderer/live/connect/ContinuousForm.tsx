// Continuous CPU capture of the targets, one file per period under a component name, and the
// jobs running or done, each with its timeline.
import type { ContinuousInfo } from '../../../electron/contract';
import { api } from '../../api/api';
import { wholeSeconds } from './connectState';

interface Props {
  period: number;
  component: string;
  onChange: (c: { period?: number; component?: string }) => void;
  targets: number;
  onStart: () => void;
  jobs: ContinuousInfo[];
  onOpenFolder: (path: string) => void;
  fail: (err: unknown) => void;
}

export function ContinuousForm({
  period,
  component,
  onChange,
  targets,
  onStart,
  jobs,
  ...p
}: Props) {
  return (
    <>
      <section className="live-row">
        <span>Continuous CPU every</span>
        <input
          type="number"
          aria-label="Period in seconds"
          min={1}
          max={86400}
          value={period}
          onChange={(e) => onChange({ period: wholeSeconds(e.target.value) })}
        />
        <span>s as</span>
        <input
          aria-label="Component name in the file names"
          value={component}
          onChange={(e) => onChange({ component: e.target.value.replace(/[^A-Za-z0-9-]/g, '') })}
          size={14}
        />
        <button disabled={targets === 0} onClick={onStart}>
          Start
        </button>
      </section>
      <ul className="live-list" data-testid="continuous-list">
        {jobs.map((j) => (
          <li key={j.id}>
            <span>
              {j.running ? '●' : '○'} {j.request.targets.map((t) => t.pod).join(', ')} every{' '}
              {j.request.periodSec}s — {j.captures} saved
              {j.errors ? `, ${j.errors} failed` : ''}
            </span>
            {j.lastError && <span className="live-bad">{j.lastError}</span>}
            {j.folders.map((f) => (
              <button key={f} onClick={() => p.onOpenFolder(f)} title={f}>
                Timeline
              </button>
            ))}
            {j.running && (
              <button onClick={() => void api.stopContinuous(j.id).catch(p.fail)}>Stop</button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
