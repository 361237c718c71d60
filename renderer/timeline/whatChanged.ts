// What changed between a baseline and a selection: the functions ranked as `go tool pprof -top
// -diff_base=BASELINE SELECTION` ranks them (|Δflat| descending, then name, then |Δcum|), with
// pprof's -normalize as an option (the baseline scaled to the selection's total first).
import type { TopTable } from '../model/types';

export interface Change {
  name: string;
  deltaFlat: number;
  deltaCum: number;
  flat: number;
  baseFlat: number;
  cum: number;
  baseCum: number;
}

export function rankChanges(table: TopTable, normalize: boolean): Change[] {
  const baseTotal = table.baseTotal ?? 0;
  const scale = normalize && baseTotal !== 0 ? table.total / baseTotal : 1;
  const out: Change[] = [];
  for (const r of table.rows) {
    const baseFlat = (r.baseFlat ?? 0) * scale;
    const baseCum = (r.baseCum ?? 0) * scale;
    const deltaFlat = r.flat - baseFlat;
    const deltaCum = r.cum - baseCum;
    if (deltaFlat === 0 && deltaCum === 0) continue;
    out.push({ name: r.name, deltaFlat, deltaCum, flat: r.flat, baseFlat, cum: r.cum, baseCum });
  }
  return out.sort(
    (a, b) =>
      Math.abs(b.deltaFlat) - Math.abs(a.deltaFlat) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
      Math.abs(b.deltaCum) - Math.abs(a.deltaCum),
  );
}
