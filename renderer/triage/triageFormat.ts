// How the triage table writes its figures and their changes.
import { formatValueShort, type TriageMetric } from '../model';

export function cores(v: number): string {
  return v >= 10 ? v.toFixed(1) : v >= 0.1 ? v.toFixed(2) : v.toFixed(3);
}

export const bytes = (v: number) => formatValueShort(v, 'bytes');

export const count = (v: number) => Math.round(v).toLocaleString('en-US');

export const METRIC_FORMAT: Record<TriageMetric, (v: number) => string> = {
  cpuCores: cores,
  heapInuseBytes: bytes,
  goroutines: count,
};

/** "▲ 0.12", "▼ 3 MiB", "= " for no change; null when there is nothing to compare with. */
export function delta(d: number | null, format: (v: number) => string): string | null {
  if (d === null) return null;
  if (d === 0) return '=';
  return `${d > 0 ? '▲' : '▼'} ${format(Math.abs(d))}`;
}

export function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
}

/** The function name without its package path, for a narrow cell (the full one is its title). */
export function shortFunction(name: string): string {
  const slash = name.lastIndexOf('/');
  return slash >= 0 ? name.slice(slash + 1) : name;
}

/** One colour per breakdown rule, in order; `other` is grey. */
const PALETTE = [
  '#e8590c',
  '#1c7ed6',
  '#c2255c',
  '#7048e8',
  '#0ca678',
  '#f59f00',
  '#74b816',
  '#15aabf',
];
export const OTHER_COLOUR = '#adb5bd';

export function ruleColour(index: number, isOther: boolean): string {
  return isOther ? OTHER_COLOUR : PALETTE[index % PALETTE.length];
}
