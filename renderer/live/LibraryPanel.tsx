// Every capture ever saved: search, reopen (offline), delete; select several to merge them or
// two to compare; a saved triage is one entry that reopens its table.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { LibraryEntry } from '../../electron/contract';
import { api } from '../api/api';
import { LivePanelFrame, useErrorMessage } from './LivePanelFrame';
import type { LiveOpeners } from './liveOpeners';
import { bytes, KIND_LABELS } from './presets';

interface Props extends Pick<
  LiveOpeners,
  'onOpenFile' | 'onOpenFolder' | 'onOpenMerged' | 'onOpenDiff' | 'onOpenTriage'
> {
  onClose: () => void;
}

/** What an entry is called in a tab: its kind and pod when it has them, else its file name. */
function title(e: LibraryEntry): string {
  return e.meta ? `${e.meta.pod} ${KIND_LABELS[e.meta.kind]}` : e.name;
}

/** Whether the entry is a profile that merges and diffs (not a trace, not a triage folder). */
const isProfile = (e: LibraryEntry) => !e.isTrace && !e.triage;

export function LibraryPanel(p: Props) {
  const [entries, setEntries] = useState<LibraryEntry[]>([]);
  const [root, setRoot] = useState('');
  const [search, setSearch] = useState('');
  /** Paths ticked, in the order they were ticked: the first is a comparison's base. */
  const [picked, setPicked] = useState<string[]>([]);
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
      [
        e.name,
        e.meta?.context,
        e.meta?.namespace,
        e.meta?.pod,
        e.meta?.container,
        e.meta?.kind,
        e.triage ? 'triage' : null,
        ...(e.triage?.contexts ?? []),
      ]
        .filter(Boolean)
        .some((s) => String(s).toLowerCase().includes(q)),
    );
  }, [entries, search]);

  // Entries deleted or gone from the list since they were ticked no longer count.
  const selected = picked
    .map((path) => entries.find((e) => e.path === path))
    .filter((e): e is LibraryEntry => e !== undefined);

  return (
    <LivePanelFrame
      title="Library"
      label="Capture library"
      closeLabel="Close library"
      testId="library-panel"
      onClose={p.onClose}
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
      <div className="live-row">
        <span className="muted">{selected.length} selected</span>
        <button
          data-testid="library-merge"
          disabled={selected.length < 2}
          title="Open the selected captures merged into one profile"
          onClick={() =>
            p.onOpenMerged(
              `merged (${selected.length} captures)`,
              selected.map((e) => e.path),
            )
          }
        >
          Merge
        </button>
        <button
          data-testid="library-compare"
          disabled={selected.length !== 2}
          title="The second selected as a diff against the first"
          onClick={() => {
            const [base, target] = selected;
            p.onOpenDiff(
              { title: title(base), paths: [base.path] },
              { title: `${title(target)} vs ${title(base)}`, paths: [target.path] },
            );
          }}
        >
          Compare
        </button>
        {selected.length > 0 && <button onClick={() => setPicked([])}>Clear</button>}
      </div>
      <ul className="live-list live-library">
        {visible.length === 0 && (
          <li className="muted">No captures{search ? ' match' : ' yet'}.</li>
        )}
        {visible.map((e) => {
          const folder = e.path.replace(/[\\/][^\\/]+$/, '');
          return (
            <li
              key={e.path}
              data-testid="library-row"
              data-kind={e.triage ? 'triage' : (e.meta?.kind ?? '')}
              title={e.path}
            >
              <input
                type="checkbox"
                data-testid="library-select"
                aria-label={`Select ${e.name}`}
                disabled={!isProfile(e)}
                checked={picked.includes(e.path)}
                onChange={(ev) =>
                  setPicked((ps) =>
                    ev.target.checked ? [...ps, e.path] : ps.filter((x) => x !== e.path),
                  )
                }
              />
              <span className="live-entry">
                {e.triage ? (
                  <>
                    <strong>Triage</strong> {e.triage.pods} pods{' '}
                    <span className="muted">
                      {e.triage.contexts.join(', ')} · {new Date(e.triage.start).toLocaleString()}
                    </span>
                  </>
                ) : (
                  <>
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
                  </>
                )}
              </span>
              {e.triage ? (
                <button
                  data-testid="library-open-triage"
                  onClick={() =>
                    p.onOpenTriage(`Triage ${new Date(e.triage!.start).toLocaleString()}`, {
                      id: null,
                      dir: e.path,
                    })
                  }
                >
                  Open table
                </button>
              ) : e.isTrace ? (
                <span className="muted">go tool trace {e.name}</span>
              ) : (
                <button
                  onClick={() =>
                    p.onOpenFile({
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
                <button onClick={() => p.onOpenFolder(folder)}>Timeline</button>
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
