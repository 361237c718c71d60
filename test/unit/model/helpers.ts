import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeProfile } from '../../../renderer/model/index';
import type { Profile } from '../../../renderer/model/index';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures');

export function fixture(...parts: string[]): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, ...parts)));
}

export function fixtureText(...parts: string[]): string {
  return readFileSync(join(FIXTURES, ...parts), 'utf8');
}

export async function load(...parts: string[]): Promise<Profile> {
  return decodeProfile(fixture(...parts));
}

/** Two consecutive continuous-profiling captures of one process: a base and a newer profile. */
export async function loadDiffPair(): Promise<[Profile, Profile]> {
  return Promise.all([
    load('continuous', '2026-11-24_13_50_29.pprof.fleetcontroller.samples.cpu.pb.gz'),
    load('continuous', '2026-11-24_13_50_34.pprof.fleetcontroller.samples.cpu.pb.gz'),
  ]);
}

export interface GoldenRow {
  flat: number;
  cum: number;
  name: string;
  /** Smallest step the printed numbers can resolve, in the profile's unit. */
  precision: number;
}

const unitFactor: Record<string, number> = {
  ns: 1,
  us: 1e3,
  ms: 1e6,
  s: 1e9,
  hrs: 3600e9,
  B: 1,
  kB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
  TB: 1024 ** 4,
  '': 1,
};

/** Parses pprof's "6.09s", "512.34kB", "0", "1790ms" into base units and the precision of the print. */
export function parsePprofValue(s: string): { value: number; precision: number } {
  if (s === '0') return { value: 0, precision: 0.5 };
  const m = /^(-?[\d.]+)([a-zA-Z]*)$/.exec(s);
  if (!m) throw new Error(`unparsable pprof value ${s}`);
  const factor = unitFactor[m[2]];
  if (factor === undefined) throw new Error(`unknown pprof unit in ${s}`);
  const decimals = m[1].includes('.') ? m[1].split('.')[1].length : 0;
  return { value: Number(m[1]) * factor, precision: (0.5 * factor) / 10 ** decimals };
}

/** The rows of a `go tool pprof -top` output. */
export function parseGoldenTop(text: string): { header: string[]; rows: GoldenRow[] } {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => /^\s+flat\s+flat%/.test(l));
  const rows: GoldenRow[] = [];
  for (const line of lines.slice(at + 1)) {
    if (!line.trim()) continue;
    const m = /^\s*(\S+)\s+\S+%\s+\S+%\s+(\S+)\s+\S+%\s+(.*)$/.exec(line);
    if (!m) throw new Error(`unparsable top row: ${line}`);
    const flat = parsePprofValue(m[1]);
    const cum = parsePprofValue(m[2]);
    rows.push({
      flat: flat.value,
      cum: cum.value,
      name: m[3],
      precision: Math.max(flat.precision, cum.precision),
    });
  }
  return { header: lines.slice(0, at), rows };
}
