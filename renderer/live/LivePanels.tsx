// The one component App.tsx mounts for live attach. The connect panel stays mounted while
// hidden, so captures in progress keep their countdown when the user looks elsewhere.
import { useState } from 'react';
import { ConnectPanel, type LiveOpeners } from './ConnectPanel';
import { LibraryPanel } from './LibraryPanel';

export type LivePanel = 'connect' | 'library' | null;

interface Props extends LiveOpeners {
  panel: LivePanel;
  onClose: () => void;
}

export function LivePanels({ panel, onClose, onOpenFile, onOpenMerged, onOpenFolder }: Props) {
  const [everConnected, setEverConnected] = useState(false);
  if (panel === 'connect' && !everConnected) setEverConnected(true);
  return (
    <>
      {everConnected && (
        <div hidden={panel !== 'connect'}>
          <ConnectPanel
            onClose={onClose}
            onOpenFile={onOpenFile}
            onOpenMerged={onOpenMerged}
            onOpenFolder={onOpenFolder}
          />
        </div>
      )}
      {panel === 'library' && (
        <LibraryPanel onClose={onClose} onOpenFile={onOpenFile} onOpenFolder={onOpenFolder} />
      )}
    </>
  );
}
