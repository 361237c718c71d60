/**
 * Start time and component from the names continuous profilers give their files. Fleet's
 * cpuPprof (up to v0.10) wrote `2022-11-04_19_47_18.pprof.fleetcontroller.samples.cpu.pb.gz`,
 * the UTC start of each period; other tools put an ISO-like stamp in the name.
 */
export interface ContinuousName {
  startMs: number;
  component: string;
  kind: string;
}

const FLEET =
  /^(\d{4})-(\d{2})-(\d{2})_(\d{2})_(\d{2})_(\d{2})\.pprof\.([^.]+)\.samples\.([^.]+)\.pb(?:\.gz)?$/;
const ISO = /(\d{4})-?(\d{2})-?(\d{2})[T_ -]?(\d{2})[:_-]?(\d{2})[:_-]?(\d{2})/;

export function parseContinuousName(name: string): ContinuousName | null {
  const fleet = FLEET.exec(name);
  if (fleet) {
    const [, y, mo, d, h, mi, s, component, kind] = fleet;
    return { startMs: Date.UTC(+y, +mo - 1, +d, +h, +mi, +s), component, kind };
  }
  const iso = ISO.exec(name);
  if (iso) {
    const [, y, mo, d, h, mi, s] = iso;
    const startMs = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
    if (!Number.isNaN(startMs)) return { startMs, component: '', kind: '' };
  }
  return null;
}
