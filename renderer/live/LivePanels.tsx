// The one component App.tsx mounts for live attach. The connect panel stays mounted while
// hidden, so captures in progress keep their countdown when the user looks elsewhere.
import { useState } from 'react';
import { TriagePanel } from '../triage/TriagePanel';
import { ConnectPanel } from './ConnectPanel';
import { LibraryPanel } from './LibraryPanel';
import type { LiveOpeners } from './liveOpeners';

export type LivePanel = 'connect' | 'library' | 'triage' | null;

interface Props extends LiveOpeners {
  panel: LivePanel;
  onClose: () => void;
}

export function LivePanels({ panel, onClose, ...openers }: Props) {
  const [everConnected, setEverConnected] = useState(false);
  if (panel === 'connect' && !everConnected) setEverConnected(true);
  return (
    <>
      {everConnected && (
        <div hidden={panel !== 'connect'}>
          <ConnectPanel onClose={onClose} {...openers} />
        </div>
      )}
      {panel === 'library' && <LibraryPanel onClose={onClose} {...openers} />}
      {panel === 'triage' && (
        <TriagePanel
          onClose={onClose}
          onStarted={(id) => {
            openers.onOpenTriage(`Triage ${new Date().toLocaleTimeString()}`, { id, dir: null });
            onClose();
          }}
        />
      )}
    </>
  );
}
