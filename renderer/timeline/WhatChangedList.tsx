// The functions whose time changed most between the baseline and the selection; each opens the
// diff flame graph focused on it.
import { useMemo, useState } from 'react';
import { formatValueShort } from '../model';
import { engine } from '../worker/engineClient';
import { useEngine } from '../views/useEngine';
import type { TopTable } from '../model/types';
import type { MergedProfile } from './useMergedProfile';
import { rankChanges, type Change } from './whatChanged';

const SHOWN = 25;

export function WhatChangedList({
  selection,
  baseline,
  baselineLabel,
  onOpen,
}: {
  selection: MergedProfile;
  baseline: MergedProfile;
  /** "the previous 30 min" or "the baseline": what the selection is compared with. */
  baselineLabel: string;
  onOpen: (change: Change) => void;
}) {
  const [normalize, setNormalize] = useState(false);
  const ready = selection.status === 'ready' && baseline.status === 'ready';
  const table = useEngine<TopTable>(
    ready
      ? () =>
          engine.call('top', {
            profileId: selection.profileId,
            opts: { sampleIndex: selection.summary.defaultSampleIndex },
            baseId: baseline.profileId,
          })
      : null,
    [ready && selection.profileId, ready && baseline.profileId],
  );
  const changes = useMemo(
    () => (table.data ? rankChanges(table.data, normalize) : []),
    [table.data, normalize],
  );
  const unit = table.data?.sampleType.unit ?? '';
  const total = table.data?.total ?? 0;
  const signed = (v: number) =>
    `${v > 0 ? '+' : v < 0 ? '−' : ''}${formatValueShort(Math.abs(v), unit)}`;
  const share = (v: number) => (total ? `${((v / total) * 100).toFixed(1)}%` : '');

  let body: React.ReactNode;
  if (baseline.status === 'none') {
    body = (
      <p className="muted" data-testid="what-changed-empty">
        No profiles in {baselineLabel}. Shift-drag on the timeline to pick a baseline.
      </p>
    );
  } else if (selection.status === 'error' || baseline.status === 'error' || table.error) {
    const error =
      (selection.status === 'error' && selection.error) ||
      (baseline.status === 'error' && baseline.error) ||
      table.error;
    body = <p className="error-text">{error}</p>;
  } else if (!table.data) {
    body = <p className="muted">Comparing…</p>;
  } else if (changes.length === 0) {
    body = <p className="muted">Nothing changed.</p>;
  } else {
    body = (
      <table className="what-changed-table" data-testid="what-changed">
        <thead>
          <tr>
            <th>Function</th>
            <th title="Self time, selection minus baseline">Δ flat</th>
            <th title="Time including callees, selection minus baseline">Δ cum</th>
          </tr>
        </thead>
        <tbody>
          {changes.slice(0, SHOWN).map((c) => (
            <tr
              key={c.name}
              data-name={c.name}
              data-delta-flat={c.deltaFlat}
              className={c.deltaFlat > 0 ? 'grew' : 'shrank'}
              onClick={() => onOpen(c)}
              title={`Open the diff flame graph focused on ${c.name}`}
            >
              <td className="fn">{c.name}</td>
              <td className="num">
                {signed(c.deltaFlat)} <span className="muted">{share(c.deltaFlat)}</span>
              </td>
              <td className="num">{signed(c.deltaCum)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  return (
    <section className="what-changed" aria-label="What changed">
      <header>
        <h3>What changed</h3>
        <span className="muted">against {baselineLabel}</span>
        <label title="Scale the baseline to the selection's total first (pprof's -normalize)">
          <input
            type="checkbox"
            checked={normalize}
            onChange={(e) => setNormalize(e.target.checked)}
            data-testid="what-changed-normalize"
          />{' '}
          Normalised
        </label>
      </header>
      {body}
      {changes.length > SHOWN && (
        <p className="muted">{changes.length - SHOWN} more changed less.</p>
      )}
    </section>
  );
}
