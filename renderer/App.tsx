import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  OpenRequest,
  ProfileFileInfo,
  ProfscopeEvents,
  RecentItem,
} from '../electron/contract';
import { api } from './api/api';
import { useTabs } from './state/tabs';
import { TimelineView } from './timeline/TimelineView';
import type { Merge } from './triage/triageOpeners';
import { TriageView } from './triage/TriageView';
import { HelpOverlay } from './views/HelpOverlay';
import { LivePanels, type LivePanel } from './live/LivePanels';
import { ProfileView } from './views/ProfileView';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    profscopeEvents?: ProfscopeEvents;
  }
}

function infoFor(path: string): ProfileFileInfo {
  return { path, name: path.split(/[\\/]/).pop() ?? path, size: 0, mtimeMs: 0 };
}

export function App() {
  const {
    tabs,
    active,
    setActive,
    openFile,
    openUpload,
    openMerged,
    openFolder,
    openTriage,
    restore,
    close,
  } = useTabs();
  const [banner, setBanner] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [folderPrompt, setFolderPrompt] = useState<string | null>(null);
  const [recent, setRecent] = useState<RecentItem[]>([]);
  const [showRecent, setShowRecent] = useState(false);
  const [help, setHelp] = useState(false);
  const [livePanel, setLivePanel] = useState<LivePanel>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const started = useRef(false);

  const fail = (err: unknown) => setBanner(err instanceof Error ? err.message : String(err));

  const openPath = useCallback(
    (req: OpenRequest) => {
      if (req.kind === 'folder') openFolder(req.path);
      else openFile(infoFor(req.path));
      void api.addRecent(req.path, req.kind).catch(() => undefined);
    },
    [openFile, openFolder],
  );

  useEffect(() => {
    // StrictMode runs effects twice in development; the launch files open once.
    if (started.current) return;
    started.current = true;
    // A reload (after a crash, too) reopens the tabs it had; the launch files are among them.
    if (restore()) return;
    api.initialFiles().then((files) => files.forEach(openFile), fail);
  }, [openFile, restore]);

  useEffect(() => {
    // Files the OS or a second launch hand over; the main process holds them until we say we listen.
    const unsubscribe = window.profscopeEvents?.onOpenRequest((reqs) => reqs.forEach(openPath));
    void api.readyForOpenRequests().catch(() => undefined);
    return unsubscribe;
  }, [openPath]);

  const chooseFiles = useCallback(async () => {
    const paths = await api.chooseFiles().catch(() => null);
    if (paths === null) fileInput.current?.click();
    else paths.forEach((path) => openPath({ path, kind: 'file' }));
  }, [openPath]);

  const chooseFolder = useCallback(async () => {
    const path = await api.chooseFolder().catch(() => null);
    if (path === null) setFolderPrompt('');
    else openPath({ path, kind: 'folder' });
  }, [openPath]);

  useEffect(
    () =>
      window.profscopeEvents?.onMenuCommand((command) => {
        if (command === 'open-files') void chooseFiles();
        else if (command === 'open-folder') void chooseFolder();
        else setHelp(true);
      }),
    [chooseFiles, chooseFolder],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing =
        e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement;
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'o') {
        e.preventDefault();
        void (e.shiftKey ? chooseFolder() : chooseFiles());
      } else if (!typing && e.key === '?') setHelp((h) => !h);
      else if (e.key === 'Escape') setHelp(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [chooseFiles, chooseFolder]);

  // The strip scrolls: a tab opened or chosen off its edge is brought into view.
  useEffect(() => {
    document
      .querySelector('.tabs [role=tab][aria-selected=true]')
      ?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [active, tabs.length]);

  const activeTab = tabs.find((t) => t.key === active) ?? null;

  /** `target` as a diff against `base`: the base opens as a tab of its own first. */
  const openDiff = useCallback(
    (base: Merge, target: Merge, focus?: string) => {
      const baseKey = openMerged(base.title, base.paths);
      openMerged(target.title, target.paths, {
        view: 'diff',
        baseKey,
        ...(focus ? { focus } : {}),
      });
    },
    [openMerged],
  );

  return (
    <div
      className={`app ${dragging ? 'dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        Array.from(e.dataTransfer.files).forEach(openUpload);
      }}
    >
      <header className="topbar">
        <span className="brand">Profscope</span>
        <div className="tabs" role="tablist" aria-label="Open profiles">
          {tabs.map((t) => (
            <div
              key={t.key}
              role="tab"
              aria-selected={t.key === active}
              className={`tab ${t.key === active ? 'active' : ''} tab-${t.status}`}
              onClick={() => setActive(t.key)}
              title={
                t.source.kind === 'file' || t.source.kind === 'folder' ? t.source.path : t.title
              }
            >
              <span className="tab-title">{t.title}</span>
              <button
                className="tab-close"
                aria-label={`Close ${t.title}`}
                onClick={(e) => {
                  e.stopPropagation();
                  close(t.key);
                }}
              >
                ×
              </button>
            </div>
          ))}
        </div>
        <button onClick={() => void chooseFiles()} title="Open profile files (Ctrl+O)">
          Open…
        </button>
        <button
          onClick={() => void chooseFolder()}
          data-testid="open-folder"
          title="Open a folder of continuous profiles (Ctrl+Shift+O)"
        >
          Open folder…
        </button>
        <button
          data-testid="connect-button"
          aria-pressed={livePanel === 'connect'}
          onClick={() => setLivePanel((p) => (p === 'connect' ? null : 'connect'))}
          title="Attach to pods in a Kubernetes cluster"
        >
          Connect…
        </button>
        <button
          data-testid="triage-button"
          aria-pressed={livePanel === 'triage'}
          onClick={() => setLivePanel((p) => (p === 'triage' ? null : 'triage'))}
          title="Capture many pods across clusters at once and compare them in one table"
        >
          Triage…
        </button>
        <button
          data-testid="library-button"
          aria-pressed={livePanel === 'library'}
          onClick={() => setLivePanel((p) => (p === 'library' ? null : 'library'))}
          title="Captures saved from clusters"
        >
          Library
        </button>
        <div className="menu">
          <button
            onClick={() => {
              setShowRecent((s) => !s);
              void api.recentItems().then(setRecent, fail);
            }}
          >
            Recent ▾
          </button>
          {showRecent && (
            <ul
              className="menu-list"
              data-testid="recent-list"
              onMouseLeave={() => setShowRecent(false)}
            >
              {recent.length === 0 && <li className="muted">Nothing opened yet</li>}
              {recent.map((r) => (
                <li key={r.path}>
                  <button
                    disabled={!r.exists}
                    className={r.exists ? '' : 'missing'}
                    title={r.exists ? r.path : `${r.path} (missing)`}
                    onClick={() => {
                      setShowRecent(false);
                      openPath({ path: r.path, kind: r.kind });
                    }}
                  >
                    {r.kind === 'folder' ? '📁 ' : ''}
                    {r.path}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <button
          onClick={() => setHelp(true)}
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (?)"
        >
          ?
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          accept=".pprof,.gz,.prof,.pb"
          onChange={(e) => {
            Array.from(e.target.files ?? []).forEach(openUpload);
            e.target.value = '';
          }}
        />
      </header>
      {folderPrompt !== null && (
        <form
          className="folder-prompt"
          onSubmit={(e) => {
            e.preventDefault();
            if (folderPrompt.trim()) openPath({ path: folderPrompt.trim(), kind: 'folder' });
            setFolderPrompt(null);
          }}
        >
          <label>
            Folder of profiles on this machine{' '}
            <input
              autoFocus
              data-testid="folder-path"
              value={folderPrompt}
              placeholder="/path/to/cpu-profiles"
              onChange={(e) => setFolderPrompt(e.target.value)}
            />
          </label>
          <button type="submit">Open</button>
          <button type="button" onClick={() => setFolderPrompt(null)}>
            Cancel
          </button>
        </form>
      )}
      <main className="content">
        {banner && (
          <div className="error-banner" role="alert">
            {banner}
          </div>
        )}
        {/* Every tab stays mounted (hidden when inactive) so zoom, filters and timelines keep their state. */}
        {tabs.map((t) => (
          <div key={t.key} className="tab-panel" hidden={t.key !== active} role="tabpanel">
            {t.source.kind === 'folder' ? (
              <TimelineView
                path={t.source.path}
                onOpenFile={openFile}
                onOpenRange={openMerged}
                onCompare={openDiff}
              />
            ) : t.source.kind === 'triage' ? (
              <TriageView
                source={t.source}
                onOpenFile={openFile}
                onOpenMerged={(title, paths, labels) => openMerged(title, paths, undefined, labels)}
                onOpenDiff={openDiff}
              />
            ) : (
              <ProfileView
                tab={t}
                others={tabs.filter((o) => o.key !== t.key)}
                onCancel={() => close(t.key)}
                active={t.key === active}
              />
            )}
          </div>
        ))}
        {!activeTab && (
          <div className="empty-state">
            <h1>Open a Go profile</h1>
            <p>
              Drop a <code>.pb.gz</code>, <code>.pprof</code> or <code>.prof</code> file here, press{' '}
              <kbd>Ctrl</kbd>+<kbd>O</kbd>, or open a folder of continuous CPU profiles with{' '}
              <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>O</kbd>.
            </p>
            <p>
              To profile a running Go service on Kubernetes, use <strong>Connect…</strong>: pick a
              context, a namespace and a pod, and capture CPU, heap, goroutines and more. Past
              captures are in the <strong>Library</strong>.
            </p>
          </div>
        )}
      </main>
      <LivePanels
        panel={livePanel}
        onClose={() => setLivePanel(null)}
        onOpenFile={openFile}
        onOpenMerged={openMerged}
        onOpenFolder={openFolder}
        onOpenDiff={openDiff}
        onOpenTriage={openTriage}
      />
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
    </div>
  );
}
