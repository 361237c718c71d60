import { useMemo, useRef, useState } from 'react';
import { useElementSize } from './useElementSize';
import { formatPercent, formatValueShort } from '../model';
import type { TopRow, TopTable as TopTableData } from '../model/types';

type SortKey = 'flat' | 'cum' | 'name' | 'delta';

const ROW_HEIGHT = 22;
const OVERSCAN = 10;

export interface TopTableProps {
  table: TopTableData;
  /** Sandwich shows fewer columns and "self/total" names. */
  compact?: boolean;
  selected?: string | null;
  onSelect?: (name: string) => void;
  onActivate?: (name: string) => void;
}

function escapeForRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Rows are virtualised: only those in view are in the DOM, so tens of thousands stay smooth. */
export function TopTable({ table, compact, selected, onSelect, onActivate }: TopTableProps) {
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'flat', desc: true });
  const [filter, setFilter] = useState('');
  const [scrollTop, setScrollTop] = useState(0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const viewHeight = useElementSize(scrollRef).height || 600;
  const unit = table.sampleType.unit;
  const diff = table.rows.some((r) => r.baseFlat !== undefined);
  // flat% and cum% are of the whole profile, as pprof's: the filters drop samples, not the total.
  const total = table.total || 1;
  const filteredOut = table.keptTotal !== undefined && table.keptTotal !== table.total;

  const rows = useMemo(() => {
    let re: RegExp | null = null;
    if (filter) {
      try {
        re = new RegExp(filter, 'i');
      } catch {
        re = new RegExp(escapeForRegex(filter), 'i');
      }
    }
    const kept = re ? table.rows.filter((r) => re.test(r.name)) : table.rows.slice();
    const delta = (r: TopRow) => r.cum - (r.baseCum ?? 0);
    const cmp: Record<SortKey, (a: TopRow, b: TopRow) => number> = {
      flat: (a, b) => a.flat - b.flat || a.cum - b.cum,
      cum: (a, b) => a.cum - b.cum || a.flat - b.flat,
      name: (a, b) => a.name.localeCompare(b.name),
      delta: (a, b) => delta(a) - delta(b),
    };
    kept.sort((a, b) => (sort.desc ? -1 : 1) * cmp[sort.key](a, b));
    return kept;
  }, [table, filter, sort]);

  // sum% is pprof's running total in flat order: meaningless in any other order or under a filter.
  const showSums = sort.key === 'flat' && sort.desc && filter === '';
  const sums = useMemo(() => {
    const out = new Float64Array(rows.length);
    let acc = 0;
    rows.forEach((r, i) => {
      acc += r.flat;
      out[i] = acc;
    });
    return out;
  }, [rows]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewHeight) / ROW_HEIGHT) + OVERSCAN);

  const header = (key: SortKey, label: string, cls = 'num') => (
    <th
      className={cls}
      aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
      onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key !== 'name' }))}
    >
      {label}
      {sort.key === key ? (sort.desc ? ' ▾' : ' ▴') : ''}
    </th>
  );

  return (
    <div className="top-table" data-testid={compact ? 'sandwich-table' : 'top-table'}>
      <div className="table-tools">
        <input
          type="search"
          placeholder="Filter functions (regex)"
          data-testid="table-filter"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <span className="muted">
          {rows.length.toLocaleString()} of {table.rows.length.toLocaleString()} functions · total{' '}
          {formatValueShort(table.total, unit)}
          {filteredOut && (
            <>
              {' '}
              · shown {formatValueShort(table.keptTotal ?? 0, unit)} (
              {formatPercent(table.keptTotal ?? 0, total).trim()} of all)
            </>
          )}
        </span>
      </div>
      <div
        className="table-scroll"
        ref={scrollRef}
        onScroll={(e) => {
          setScrollTop(e.currentTarget.scrollTop);
        }}
      >
        <table>
          <thead>
            <tr>
              {header('flat', compact ? 'Self' : 'flat')}
              {!compact && <th className="num">flat%</th>}
              {!compact && <th className="num">sum%</th>}
              {header('cum', compact ? 'Total' : 'cum')}
              {!compact && <th className="num">cum%</th>}
              {diff && header('delta', 'Δ cum')}
              {diff && <th className="num">base cum</th>}
              {header('name', 'Function', 'name')}
            </tr>
          </thead>
          <tbody>
            <tr style={{ height: first * ROW_HEIGHT }} aria-hidden />
            {rows.slice(first, last).map((r, k) => {
              const i = first + k;
              const d = r.cum - (r.baseCum ?? 0);
              return (
                <tr
                  key={r.name}
                  className={r.name === selected ? 'selected' : ''}
                  style={{ height: ROW_HEIGHT }}
                  onClick={() => onSelect?.(r.name)}
                  onDoubleClick={() => onActivate?.(r.name)}
                  data-row={i}
                  data-name={r.name}
                  data-flat={r.flat}
                  data-cum={r.cum}
                  data-delta={diff ? d : undefined}
                >
                  <td className="num">{formatValueShort(r.flat, unit)}</td>
                  {!compact && <td className="num">{formatPercent(r.flat, total)}</td>}
                  {!compact && (
                    <td className="num">{showSums ? formatPercent(sums[i], total) : '—'}</td>
                  )}
                  <td className="num">{formatValueShort(r.cum, unit)}</td>
                  {!compact && <td className="num">{formatPercent(r.cum, total)}</td>}
                  {diff && (
                    <td className={`num ${d > 0 ? 'grew' : d < 0 ? 'shrank' : ''}`}>
                      {d > 0 ? '+' : d < 0 ? '−' : ''}
                      {formatValueShort(Math.abs(d), unit)}
                    </td>
                  )}
                  {diff && <td className="num">{formatValueShort(r.baseCum ?? 0, unit)}</td>}
                  <td className="name" title={r.file ? `${r.name}\n${r.file}` : r.name}>
                    {r.name}
                  </td>
                </tr>
              );
            })}
            <tr style={{ height: (rows.length - last) * ROW_HEIGHT }} aria-hidden />
          </tbody>
        </table>
      </div>
    </div>
  );
}

export { escapeForRegex };
