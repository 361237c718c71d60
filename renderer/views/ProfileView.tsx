import { useEffect, useMemo, useState } from 'react';
import { formatPercent, searchFrames } from '../model';
import type { FlameTree, ViewOptions } from '../model/types';
import type { Tab } from '../state/tabs';
import { engine } from '../worker/engineClient';
import { FlameGraph } from './flame/FlameGraph';
import { ProfileHeader } from './ProfileHeader';

/** Below this share of the root a subtree is not worth laying out: it is under a pixel wide. */
const PRUNE_FRACTION = 1e-5;

export function ProfileView({ tab }: { tab: Tab }) {
  const { summary, profileId } = tab;
  const [sampleIndex, setSampleIndex] = useState(summary?.defaultSampleIndex ?? 0);
  const [inverted, setInverted] = useState(false);
  const [search, setSearch] = useState('');
  const [tree, setTree] = useState<FlameTree | null>(null);
  const [error, setError] = useState<string | null>(null);

  const opts: ViewOptions = useMemo(() => ({ sampleIndex, pruneFraction: PRUNE_FRACTION }), [sampleIndex]);

  useEffect(() => {
    if (profileId === undefined) return;
    let live = true;
    engine.call('flame', { profileId, opts }).then(
      (t) => live && (setTree(t), setError(null)),
      (err: unknown) => live && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
    };
  }, [profileId, opts]);

  const searchResult = useMemo(() => {
    if (!tree || search.trim() === '') return null;
    try {
      return searchFrames(tree, search);
    } catch {
      return null;
    }
  }, [tree, search]);

  if (tab.status === 'loading') return <div className="loading">Reading {tab.title}…</div>;
  if (tab.status === 'error' || !summary) {
    return (
      <div className="error-panel" role="alert" data-testid="tab-error">
        <h2>Could not open {tab.title}</h2>
        <p>{tab.error}</p>
      </div>
    );
  }

  return (
    <div className="profile-view">
      <ProfileHeader summary={summary} sampleIndex={sampleIndex} />
      <div className="toolbar">
        <label>
          Sample type{' '}
          <select
            data-testid="sample-type"
            value={sampleIndex}
            onChange={(e) => setSampleIndex(Number(e.target.value))}
          >
            {summary.sampleTypes.map((t, i) => (
              <option key={i} value={i}>
                {t.type} ({t.unit})
              </option>
            ))}
          </select>
        </label>
        <div className="segmented" role="group" aria-label="Orientation">
          <button aria-pressed={!inverted} onClick={() => setInverted(false)}>
            Icicle
          </button>
          <button aria-pressed={inverted} onClick={() => setInverted(true)}>
            Flame
          </button>
        </div>
        <input
          className="search"
          type="search"
          placeholder="Search (regex)"
          data-testid="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        {searchResult && tree && (
          <span className="search-share" data-testid="search-share">
            {formatPercent(searchResult.matchedTotal / (tree.grandTotal || 1))} matched
          </span>
        )}
      </div>
      {error && <div className="error-banner">{error}</div>}
      {tree ? (
        <FlameGraph tree={tree} inverted={inverted} matched={searchResult?.matched ?? null} />
      ) : (
        !error && <div className="loading">Building the call tree…</div>
      )}
    </div>
  );
}
