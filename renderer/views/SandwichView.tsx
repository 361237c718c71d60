import type { Sandwich, TopTable as TopTableData, ViewOptions } from '../model/types';
import { engine } from '../worker/engineClient';
import { FlameGraph } from './flame/FlameGraph';
import { TopTable } from './TopTable';
import { useEngine } from './useEngine';
import { formatPercent, formatValueShort } from '../model';
import type { FlameTree } from '../model/types';

/** The direct callers (or callees) as text: the first row of the graph below, readable and searchable. */
function DirectNeighbours({ tree, label }: { tree: FlameTree; label: string }) {
  const kids: number[] = [];
  for (let c = 1; c < tree.frame.length && tree.parent[c] === 0; c += tree.subtreeSize[c])
    kids.push(c);
  if (kids.length === 0) return null;
  const unit = tree.sampleType.unit;
  return (
    <ul className="neighbours" data-testid="neighbours">
      <li className="muted">{label}:</li>
      {kids.slice(0, 8).map((c) => (
        <li key={c} data-name={tree.names[tree.frame[c]]} data-value={tree.total[c]}>
          <code>{tree.names[tree.frame[c]]}</code> {formatValueShort(tree.total[c], unit)} (
          {formatPercent(tree.total[c], tree.total[0])})
        </li>
      ))}
    </ul>
  );
}

/** speedscope's sandwich: pick a function; its callers above (inverted), its callees below. */
export function SandwichView({
  profileId,
  opts,
  table,
  selected,
  onSelect,
}: {
  profileId: number;
  opts: ViewOptions;
  table: TopTableData;
  selected: string | null;
  onSelect: (name: string) => void;
}) {
  const { data, error } = useEngine<Sandwich>(
    selected ? () => engine.call('sandwich', { profileId, opts, name: selected }) : null,
    [profileId, opts, selected],
  );

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
              <DirectNeighbours tree={data.callers} label="Called from" />
              <FlameGraph tree={data.callers} inverted matched={null} />
            </section>
            <section data-testid="sandwich-callees">
              <h3>Callees of {data.name}</h3>
              <DirectNeighbours tree={data.callees} label="Calls" />
              <FlameGraph tree={data.callees} inverted={false} matched={null} />
            </section>
          </>
        ) : (
          <div className="loading">Select a function to see its callers and callees.</div>
        )}
      </div>
    </div>
  );
}
