import { useEffect, useState } from 'react';
import type { Sandwich, TopTable as TopTableData, ViewOptions } from '../model/types';
import { engine } from '../worker/engineClient';
import { FlameGraph } from './flame/FlameGraph';
import { TopTable } from './TopTable';

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
  const [data, setData] = useState<Sandwich | null>(null);
  useEffect(() => {
    if (!selected) return setData(null);
    let live = true;
    void engine.call('sandwich', { profileId, opts, name: selected }).then((s) => live && setData(s));
    return () => {
      live = false;
    };
  }, [profileId, opts, selected]);

  return (
    <div className="sandwich">
      <TopTable table={table} compact selected={selected} onSelect={onSelect} />
      <div className="sandwich-graphs">
        {data ? (
          <>
            <section data-testid="sandwich-callers">
              <h3>Callers of {data.name}</h3>
              <FlameGraph tree={data.callers} inverted matched={null} />
            </section>
            <section data-testid="sandwich-callees">
              <h3>Callees of {data.name}</h3>
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
