import { useEffect, useState } from 'react';
import type { ViewOptions } from '../model';
import { engine } from '../worker/engineClient';
import { api } from '../api/api';
import {
  ELECTRON_ORIGINS,
  SPEEDSCOPE_ORIGIN_META,
  SPEEDSCOPE_PROFILES_PATH,
} from '../../electron/origins';
import {
  measureSpeedscopeExport,
  SPEEDSCOPE_SLOW_STACK_FRAMES,
  type SpeedscopeSize,
} from './speedscopeSize';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * The real speedscope, from its npm package, on an origin and a site of its own (it cannot
 * reach our page, our API or our cookies, and runs in a process of its own: busy, it cannot
 * stall our page). speedscope has no API; it takes a profile by `#profileURL=` (only on
 * http(s) pages, as both of its origins are). We hand it the engine's speedscope-JSON export
 * of the current view (sample type, filters, merge), staged by the main process at an
 * unguessable URL on speedscope's origin while this tab lives. An export too large for
 * speedscope to show in a few seconds waits for the user to ask for it.
 */
export function SpeedscopeView({
  profileId,
  opts,
  title,
}: {
  profileId: number;
  opts: ViewOptions;
  title: string;
}) {
  const [ready, setReady] = useState<{ src: string; size: SpeedscopeSize } | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stagedId: string | null = null;
    let live = true;
    setReady(null);
    setConfirmed(false);
    setError(null);
    void (async () => {
      try {
        const json = await engine.call('export', {
          profileId,
          opts,
          format: 'speedscope',
          name: title,
        });
        const text = typeof json === 'string' ? json : new TextDecoder().decode(json);
        const size = measureSpeedscopeExport(text);
        // Staged at once, large or not: the page then holds no copy while the user decides.
        const id = await api.stageSpeedscopeProfile(text);
        if (!live) return void api.releaseSpeedscopeProfile(id);
        stagedId = id;
        const origin =
          document.querySelector<HTMLMetaElement>(`meta[name=${SPEEDSCOPE_ORIGIN_META}]`)
            ?.content ?? ELECTRON_ORIGINS.speedscope;
        const profileUrl = `${origin}${SPEEDSCOPE_PROFILES_PATH}${id}.json`;
        const hash = `profileURL=${encodeURIComponent(profileUrl)}&title=${encodeURIComponent(title)}&view=left-heavy`;
        setReady({ src: `${origin}/speedscope/index.html#${hash}`, size });
      } catch (err) {
        if (live) setError(err instanceof Error ? err.message : String(err));
      }
    })();
    return () => {
      live = false;
      if (stagedId) void api.releaseSpeedscopeProfile(stagedId);
    };
  }, [profileId, opts, title]);

  if (error) return <div className="error-banner">{error}</div>;
  if (!ready) return <div className="loading">Preparing the profile for speedscope…</div>;
  if (ready.size.stackFrames > SPEEDSCOPE_SLOW_STACK_FRAMES && !confirmed) {
    const { frames, stacks, stackFrames } = ready.size;
    return (
      <div className="loading-panel" data-testid="speedscope-large-warning">
        <div className="live-notice" role="alert" style={{ maxWidth: 720 }}>
          <p>
            <strong>This view is large for speedscope:</strong>{' '}
            <span data-testid="speedscope-stack-frames">{count(stackFrames)}</span> frames over{' '}
            {count(stacks)} stacks ({count(frames)} distinct). speedscope needs over ten seconds for{' '}
            {count(1.5e6)} and minutes for a few million, and may run out of memory; Profscope keeps
            working meanwhile.
          </p>
          <p>
            A focus, ignore or hide filter (above) makes it smaller; the flame graph, top and
            sandwich views show the whole of it at once.
          </p>
          <button
            type="button"
            data-testid="speedscope-load-anyway"
            onClick={() => setConfirmed(true)}
          >
            Open in speedscope anyway
          </button>
        </div>
      </div>
    );
  }
  return (
    <iframe
      // speedscope reads its hash once at start: a new profile needs a new frame.
      key={ready.src}
      className="speedscope-frame"
      data-testid="speedscope-frame"
      title={`speedscope: ${title}`}
      src={ready.src}
      // Its own origin keeps its settings in its own storage; no popups, no top navigation.
      sandbox="allow-scripts allow-same-origin allow-downloads"
    />
  );
}
