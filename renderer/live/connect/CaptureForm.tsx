// The next capture: its kind, delta for cumulative kinds, its length when it runs for a time,
// and the button that starts it on every target.
import { CAPTURE_KINDS, CUMULATIVE_KINDS, type CaptureKind } from '../../../electron/contract';
import { KIND_LABELS } from '../presets';
import { isTimed, wholeSeconds } from './connectState';

interface Props {
  kind: CaptureKind;
  seconds: number;
  delta: boolean;
  onChange: (c: { kind?: CaptureKind; seconds?: number; delta?: boolean }) => void;
  /** How many pods the button captures; 0 disables it. */
  targets: number;
  onCapture: () => void;
}

export function CaptureForm({ kind, seconds, delta, onChange, targets, onCapture }: Props) {
  return (
    <>
      <section className="live-row live-capture">
        <KindSelect testId="capture-kind" kind={kind} onKind={(k) => onChange({ kind: k })} />
        {CUMULATIVE_KINDS.includes(kind) && (
          <label title="The change over the window, not the total since the program started">
            <input
              type="checkbox"
              checked={delta}
              onChange={(e) => onChange({ delta: e.target.checked })}
            />{' '}
            delta
          </label>
        )}
        {isTimed(kind, delta) && (
          <SecondsInput
            testId="capture-seconds"
            seconds={seconds}
            onSeconds={(s) => onChange({ seconds: s })}
          />
        )}
        <button data-testid="capture-button" disabled={targets === 0} onClick={onCapture}>
          Capture {targets > 1 ? `${targets} pods` : ''}
        </button>
      </section>
      {kind === 'trace' && (
        <p className="muted">
          Execution traces are not pprof: the file is saved for `go tool trace`.
        </p>
      )}
    </>
  );
}

export function KindSelect(p: {
  testId: string;
  kind: CaptureKind;
  onKind: (k: CaptureKind) => void;
}) {
  return (
    <select
      data-testid={p.testId}
      aria-label="Profile kind"
      value={p.kind}
      onChange={(e) => p.onKind(e.target.value as CaptureKind)}
    >
      {CAPTURE_KINDS.map((k) => (
        <option key={k} value={k}>
          {KIND_LABELS[k]}
        </option>
      ))}
    </select>
  );
}

export function SecondsInput(p: {
  testId: string;
  seconds: number;
  onSeconds: (s: number) => void;
}) {
  return (
    <label>
      <input
        data-testid={p.testId}
        type="number"
        min={1}
        max={3600}
        value={p.seconds}
        onChange={(e) => p.onSeconds(wholeSeconds(e.target.value))}
      />{' '}
      s
    </label>
  );
}
