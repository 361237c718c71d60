// What the connect and library panels share: the frame with its title and close button, and
// an error line set from whatever a failed call rejected with.
import { useCallback, useState, type ReactNode } from 'react';
import { message } from './presets';

interface Props {
  title: string;
  /** The panel's accessible name. */
  label: string;
  closeLabel: string;
  testId: string;
  onClose: () => void;
  children: ReactNode;
}

export function LivePanelFrame({ title, label, closeLabel, testId, onClose, children }: Props) {
  return (
    <aside className="live-panel" data-testid={testId} aria-label={label}>
      <header className="live-head">
        <h2>{title}</h2>
        <button onClick={onClose} aria-label={closeLabel}>
          ×
        </button>
      </header>
      {children}
    </aside>
  );
}

/** The panel's error, its setter, and `fail`, a stable rejection handler that shows it. */
export function useErrorMessage() {
  const [error, setError] = useState<string | null>(null);
  const fail = useCallback((err: unknown) => setError(message(err)), []);
  return { error, setError, fail };
}
