import { useState } from 'react';
import type { Sandwich, TopTable as TopTableData, ViewOptions } from '../model/types';
import { engine } from '../worker/engineClient';
import { FlameGraph } from './flame/FlameGraph';
import { TopTable } from './TopTable';
import { useEngine } from './useEngine';
import { formatPercent, formatValueShort } from '../model';
import type { FlameTree } from '../model/types';

/** Neighbours listed before the rest fold into "+N more". */
const NEIGHBOURS_SHOWN = 8;

/**
 * The direct callers (or callees) as text: the first row of the graph below, readable and
 * searchable. Each with its share of all (as everywhere) and of the selected function's total.
 */
function DirectNeighbours({
  tree,
  label,
  allTotal,
}: {
  tree: FlameTree;
  label: string;
  allTotal: number;
}) {
  // Unfolded for this tree only: another function's list starts folded again.
  const [unfoldedFor, setUnfoldedFor] = useState<FlameTree | null>(null);
  const kids: number[] = [];
  for (let c = 1; c < tree.frame.length && tree.parent[c] === 0; c += tree.subtreeSize[c])
    kids.push(c);
  if (kids.length === 0) return null;
  const unit = tree.sampleType.unit;
  const shown = unfoldedFor === tree ? kids : kids.slice(0, NEIGHBOURS_SHOWN);
  const more = kids.length - shown.length;
  return (
    <ul className="neighbours" data-testid="neighbours">
      <li className="muted">{label}:</li>
      {shown.map((c) => (
        <li key={c} data-name={tree.names[tree.frame[c]]} data-value={tree.total[c]}>
          <code>{tree.names[tree.frame[c]]}</code> {formatValueShort(tree.total[c], unit)} (
          {formatPercent(tree.total[c], allTotal).trim()} of all,{' '}
          {formatPercent(tree.total[c], tree.total[0]).trim()} of selected)
        </li>
      ))}
      {more > 0 && (
        <li>
          <button
            className="neighbours-more"
            data-testid="neighbours-more"
            onClick={() => setUnfoldedFor(tree)}
          >
            +{more} more
          </button>
        </li>
      )}
    </ul>
  );
}

/** speedscope's sandwich: pick a function; its callers above (inverted), its callees below. */
export function SandwichView({
  profileId,
  opts,
  table,
  allTotal,
  selected,
  onSelect,
}: {
  profileId: number;
  opts: ViewOptions;
  table: TopTableData;
  /** The whole profile's total: what "% of all" is of, as in the other views. */
  allTotal: number;
  selected: string | null;
  onSelect: (name: string) => void;
}) {
  const { data, error } = useEngine<Sandwich>(
    selected ? () => engine.call('sandwich', { profileId, opts, name: selected }) : null,
    [profileId, opts, selected],
  );
  const totals = { allTotal, shownTotal: table.keptTotal };

  return (
    <div className="sandwich">
      <TopTable table={table} compact selected={selected} onSelect={onSelect} />
      <div className="sandwich-graphs">
        {error ? (
          <div className="error-banner">{error}</div>
        ) : data ? (
          <>
            <section data-testid="sandwich-callers">
              <h3>Callers of {data.name}</h3>
              <DirectNeighbours tree={data.callers} label="Called from" allTotal={allTotal} />
              <FlameGraph tree={data.callers} inverted matched={null} {...totals} />
            </section>
            <section data-testid="sandwich-callees">
              <h3>Callees of {data.name}</h3>
              <DirectNeighbours tree={data.callees} label="Calls" allTotal={allTotal} />
              <FlameGraph tree={data.callees} inverted={false} matched={null} {...totals} />
            </section>
          </>
        ) : (
          <div className="loading">Select a function to see its callers and callees.</div>
        )}
      </div>
    </div>
  );
}
