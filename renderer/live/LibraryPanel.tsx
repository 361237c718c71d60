// Every capture ever saved: search, reopen (offline), delete.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { LibraryEntry } from '../../electron/contract';
import { api } from '../api/api';
import type { LiveOpeners } from './ConnectPanel';
import { LivePanelFrame, useErrorMessage } from './LivePanelFrame';
import { bytes, KIND_LABELS } from './presets';

interface Props extends Pick<LiveOpeners, 'onOpenFile' | 'onOpenFolder'> {
  onClose: () => void;
}

export function LibraryPanel({ onClose, onOpenFile, onOpenFolder }: Props) {
  const [entries, setEntries] = useState<LibraryEntry[]>([]);
  const [root, setRoot] = useState('');
  const [search, setSearch] = useState('');
  const { error, fail } = useErrorMessage();

  const refresh = useCallback(() => {
    api.listLibrary().then(setEntries, fail);
  }, [fail]);

  useEffect(() => {
    refresh();
    api.libraryDir().then(setRoot, () => undefined);
  }, [refresh]);

  const visible = useMemo(() => {
    const q = search.trim().toLowerCase();
    if (!q) return entries;
    return entries.filter((e) =>
      [e.name, e.meta?.context, e.meta?.namespace, e.meta?.pod, e.meta?.container, e.meta?.kind]
        .filter(Boolean)
        .some((s) => String(s).toLowerCase().includes(q)),
    );
  }, [entries, search]);

  return (
    <LivePanelFrame
      title="Library"
      label="Capture library"
      closeLabel="Close library"
      testId="library-panel"
      onClose={onClose}
    >
      <p className="muted" title={root}>
        {root}
      </p>
      {error && (
        <div className="live-error" role="alert">
          {error}
        </div>
      )}
      <div className="live-row">
        <input
          className="live-search"
          data-testid="library-search"
          placeholder="Search by pod, namespace, context, type"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <button onClick={refresh}>Refresh</button>
      </div>
      <ul className="live-list live-library">
        {visible.length === 0 && (
          <li className="muted">No captures{search ? ' match' : ' yet'}.</li>
        )}
        {visible.map((e) => {
          const folder = e.path.replace(/[\\/][^\\/]+$/, '');
          return (
            <li key={e.path} data-testid="library-row" title={e.path}>
              <span className="live-entry">
                <strong>
                  {e.meta ? `${KIND_LABELS[e.meta.kind]}${e.meta.delta ? ' Δ' : ''}` : e.name}
                </strong>{' '}
                {e.meta && (
                  <span>
                    {e.meta.pod}{' '}
                    <span className="muted">
                      {e.meta.namespace} · {e.meta.context}
                    </span>
                  </span>
                )}
                <span className="muted">
                  {' '}
                  {e.meta ? new Date(e.meta.start).toLocaleString() : ''} · {bytes(e.size)}
                </span>
              </span>
              {e.isTrace ? (
                <span className="muted">go tool trace {e.name}</span>
              ) : (
                <button
                  onClick={() =>
                    onOpenFile({
                      path: e.path,
                      name: e.meta ? `${e.meta.pod} ${e.name}` : e.name,
                      size: e.size,
                      mtimeMs: 0,
                    })
                  }
                >
                  Open
                </button>
              )}
              {/[\\/]continuous$/.test(folder) && (
                <button onClick={() => onOpenFolder(folder)}>Timeline</button>
              )}
              <button
                aria-label={`Delete ${e.name}`}
                onClick={() => {
                  if (!window.confirm(`Delete ${e.name}?`)) return;
                  api.deleteCapture(e.path).then(refresh, fail);
                }}
              >
                Delete
              </button>
            </li>
          );
        })}
      </ul>
    </LivePanelFrame>
  );
}
