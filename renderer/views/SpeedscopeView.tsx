import { useEffect, useState } from 'react';
import type { ViewOptions } from '../model/types';
import { engine } from '../worker/engineClient';

/**
 * The real speedscope, from its npm package, served by our own origin under /speedscope/.
 * speedscope has no API; it takes a profile by `#profileURL=` (only on http(s) pages, which
 * both our origins are). We hand it the engine's speedscope-JSON export of the current view
 * (sample type, filters, merge) as a blob URL that lives as long as this tab.
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
    let blobUrl: string | null = null;
    let live = true;
    engine.call('export', { profileId, opts, format: 'speedscope', name: title }).then(
      (json) => {
        if (!live) return;
        blobUrl = URL.createObjectURL(
          new Blob([typeof json === 'string' ? json : new Uint8Array(json)], {
            type: 'application/json',
          }),
        );
        const hash = `profileURL=${encodeURIComponent(blobUrl)}&title=${encodeURIComponent(title)}&view=left-heavy`;
        setSrc(`./speedscope/index.html#${hash}`);
      },
      (err: unknown) => live && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
      if (blobUrl) URL.revokeObjectURL(blobUrl);
    };
  }, [profileId, opts, title]);

  if (error) return <div className="error-banner">{error}</div>;
  if (!src) return <div className="loading">Preparing the profile for speedscope…</div>;
  return (
    <iframe
      className="speedscope-frame"
      data-testid="speedscope-frame"
      title={`speedscope: ${title}`}
      src={src}
      // Same origin is needed for the blob URL and speedscope's settings; no popups, no top navigation.
      sandbox="allow-scripts allow-same-origin allow-downloads"
    />
  );
}
