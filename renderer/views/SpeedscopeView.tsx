import { useEffect, useState } from 'react';
import type { ViewOptions } from '../model/types';
import { engine } from '../worker/engineClient';
import { api } from '../api/api';
import {
  ELECTRON_ORIGINS,
  SPEEDSCOPE_ORIGIN_META,
  SPEEDSCOPE_PROFILES_PATH,
} from '../../electron/origins';

/**
 * The real speedscope, from its npm package, on an origin of its own (it cannot reach our
 * page, our API or our cookies). speedscope has no API; it takes a profile by
 * `#profileURL=` (only on http(s) pages, as both of its origins are). We hand it the
 * engine's speedscope-JSON export of the current view (sample type, filters, merge), staged
 * by the main process at an unguessable URL on speedscope's origin while this tab lives.
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
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stagedId: string | null = null;
    let live = true;
    setSrc(null);
    void (async () => {
      try {
        const json = await engine.call('export', {
          profileId,
          opts,
          format: 'speedscope',
          name: title,
        });
        const text = typeof json === 'string' ? json : new TextDecoder().decode(json);
        const id = await api.stageSpeedscopeProfile(text);
        if (!live) return void api.releaseSpeedscopeProfile(id);
        stagedId = id;
        const origin =
          document.querySelector<HTMLMetaElement>(`meta[name=${SPEEDSCOPE_ORIGIN_META}]`)
            ?.content ?? ELECTRON_ORIGINS.speedscope;
        const profileUrl = `${origin}${SPEEDSCOPE_PROFILES_PATH}${id}.json`;
        const hash = `profileURL=${encodeURIComponent(profileUrl)}&title=${encodeURIComponent(title)}&view=left-heavy`;
        setSrc(`${origin}/speedscope/index.html#${hash}`);
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
  if (!src) return <div className="loading">Preparing the profile for speedscope…</div>;
  return (
    <iframe
      // speedscope reads its hash once at start: a new profile needs a new frame.
      key={src}
      className="speedscope-frame"
      data-testid="speedscope-frame"
      title={`speedscope: ${title}`}
      src={src}
      // Its own origin keeps its settings in its own storage; no popups, no top navigation.
      sandbox="allow-scripts allow-same-origin allow-downloads"
    />
  );
}
