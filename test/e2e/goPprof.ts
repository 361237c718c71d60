import { execFileSync } from 'node:child_process';
import { parseGoldenTop, parsePprofValue } from '../unit/model/helpers';

export interface PprofTop {
  total: number;
  rows: { flat: number; cum: number; name: string; precision: number }[];
  /** Half a unit of the last printed digit of the total: how exactly pprof's figure is known. */
  totalPrecision: number;
}

/** Runs the reference, Go's own `go tool pprof -top`, and parses its table. */
export function goPprofTop(args: string[]): PprofTop {
  const out = execFileSync('go', ['tool', 'pprof', '-top', ...args], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const totalMatch = / of ([-\d.]+[a-zA-Zµ]*) total/.exec(out);
  if (!totalMatch) throw new Error(`no total in go tool pprof output:\n${out}`);
  const total = parsePprofValue(totalMatch[1]);
  return { total: total.value, totalPrecision: total.precision, rows: parseGoldenTop(out).rows };
}
