import { useEffect, useRef, useState } from 'react';
import { api } from './api/api';
import { useTabs } from './state/tabs';
import { ProfileView } from './views/ProfileView';

export function App() {
  const { tabs, active, setActive, openFile, openUpload, close } = useTabs();
  const [startError, setStartError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const started = useRef(false);

  useEffect(() => {
    // StrictMode runs effects twice in development; the launch files open once.
    if (started.current) return;
    started.current = true;
    api.initialFiles().then(
      (files) => files.forEach(openFile),
      (err: unknown) => setStartError(err instanceof Error ? err.message : String(err)),
    );
  }, [openFile]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key === 'o') {
        e.preventDefault();
        fileInput.current?.click();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const activeTab = tabs.find((t) => t.key === active) ?? null;

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
        <div className="tabs" role="tablist">
          {tabs.map((t) => (
            <div
              key={t.key}
              role="tab"
              aria-selected={t.key === active}
              className={`tab ${t.key === active ? 'active' : ''} ${t.status}`}
              onClick={() => setActive(t.key)}
              title={t.source.kind === 'file' ? t.source.path : t.title}
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
        <button className="open-button" onClick={() => fileInput.current?.click()}>
          Open…
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
      <main className="content">
        {startError && <div className="error-banner">{startError}</div>}
        {activeTab ? (
          <ProfileView key={activeTab.key} tab={activeTab} others={tabs.filter((t) => t.key !== activeTab.key)} />
        ) : (
          <div className="empty-state">
            <h1>Open a Go profile</h1>
            <p>
              Drop a <code>.pb.gz</code>, <code>.pprof</code> or <code>.prof</code> file here, or press{' '}
              <kbd>Ctrl</kbd>+<kbd>O</kbd>.
            </p>
          </div>
        )}
      </main>
    </div>
  );
}
