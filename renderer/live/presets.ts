import type { CaptureKind } from '../../electron/contract';

/** Where Rancher Fleet's processes run; both serve pprof on Go's localhost:6060. */
export interface Preset {
  label: string;
  namespace: string;
  podSearch: string;
  port: number;
  component: string;
}

export const FLEET_PRESETS: Preset[] = [
  {
    label: 'Fleet controller',
    namespace: 'cattle-fleet-system',
    podSearch: 'fleet-controller',
    port: 6060,
    component: 'fleetcontroller',
  },
  {
    label: 'Fleet agent (local)',
    namespace: 'cattle-fleet-local-system',
    podSearch: 'fleet-agent',
    port: 6060,
    component: 'fleetagent',
  },
  {
    label: 'Fleet agent',
    namespace: 'cattle-fleet-system',
    podSearch: 'fleet-agent',
    port: 6060,
    component: 'fleetagent',
  },
];

export const KIND_LABELS: Record<CaptureKind, string> = {
  cpu: 'CPU',
  heap: 'Heap',
  allocs: 'Allocs',
  goroutine: 'Goroutines',
  mutex: 'Mutex',
  block: 'Block',
  threadcreate: 'Thread create',
  trace: 'Execution trace',
};

export function age(createdAt: number | null, now = Date.now()): string {
  if (createdAt === null) return '?';
  const s = Math.max(0, Math.round((now - createdAt) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
