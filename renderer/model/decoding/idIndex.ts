/** Maps pprof ids (uint64, usually 1..N) to array indices; -1 when absent. */
export interface IdIndex {
  get(id: number): number;
  /** For ids 1..N (Go's): index by id, -1 for none; null when the ids are sparse. */
  dense: Int32Array | null;
}

export function buildIdIndex(ids: ArrayLike<number>): IdIndex {
  const n = ids.length;
  let max = 0;
  let dense = true;
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    if (!Number.isInteger(id) || id < 0) dense = false;
    else if (id > max) max = id;
  }
  // Go writes ids 1..N; a typed array lookup is much cheaper than a Map on hot paths.
  if (dense && max <= 4 * n + 1024) {
    const table = new Int32Array(max + 1).fill(-1);
    for (let i = 0; i < n; i++) if (table[ids[i]] === -1) table[ids[i]] = i;
    return {
      get: (id) => (id >= 0 && id <= max && Number.isInteger(id) ? table[id] : -1),
      dense: table,
    };
  }
  const map = new Map<number, number>();
  for (let i = 0; i < n; i++) if (!map.has(ids[i])) map.set(ids[i], i);
  return { get: (id) => map.get(id) ?? -1, dense: null };
}
