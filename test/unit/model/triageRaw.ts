// `go tool pprof -raw` read back: pprof's own decoding of a profile (samples as location ids,
// locations as function names innermost first), so engine figures can be checked against it.
import { execFileSync, spawnSync } from 'node:child_process';

export const hasGo = spawnSync('go', ['version']).status === 0;

export interface RawProfile {
  types: string[];
  samples: { values: number[]; locations: number[]; labels: string }[];
  /** Location id → function names of its lines, innermost first. */
  locations: Map<number, string[]>;
}

export function goRaw(file: string, ...flags: string[]): RawProfile {
  const text = execFileSync('go', ['tool', 'pprof', '-raw', ...flags, file], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
  const lines = text.split('\n');
  const at = lines.indexOf('Samples:');
  const types = lines[at + 1].trim().split(/\s+/);
  const samples: RawProfile['samples'] = [];
  let i = at + 2;
  for (; i < lines.length && lines[i] !== 'Locations'; i++) {
    const m = /^\s+([-\d ]+):((?: \d+)*) ?$/.exec(lines[i]);
    if (m) {
      samples.push({
        values: m[1].trim().split(/\s+/).map(Number),
        locations: m[2].trim().split(/\s+/).filter(Boolean).map(Number),
        labels: '',
      });
    } else if (samples.length > 0 && lines[i].trim() !== '') {
      samples[samples.length - 1].labels += lines[i].trim() + ' ';
    }
  }
  const locations = new Map<number, string[]>();
  let current: string[] | null = null;
  for (i++; i < lines.length && lines[i] !== 'Mappings'; i++) {
    const loc = /^\s+(\d+): 0x[0-9a-f]+ (?:M=\d+ )?(\S+)?/.exec(lines[i]);
    if (loc) {
      current = loc[2] ? [loc[2]] : [];
      locations.set(Number(loc[1]), current);
      continue;
    }
    const inl = /^\s+(\S+) \S+:\d+ s=\d+$/.exec(lines[i]);
    if (inl && current) current.push(inl[1]);
  }
  return { types, samples, locations };
}

/** Sum of one sample type's column. */
export function rawTotal(raw: RawProfile, type: string): number {
  const i = raw.types.indexOf(type);
  if (i < 0) throw new Error(`no sample type ${type} in ${raw.types.join(' ')}`);
  return raw.samples.reduce((n, s) => n + s.values[i], 0);
}

/** `go tool pprof -top`'s header figures: Duration and the total's percentage of it. */
export function goTopHeader(file: string): { durationSec: number; percentOfDuration: number } {
  const text = execFileSync('go', ['tool', 'pprof', '-top', '-nodecount=1', file], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const m = /Duration: ([\d.]+)s, Total samples = \S+ \(([\d.]+)%\)/.exec(text);
  if (!m) throw new Error(`no Duration line in ${text}`);
  return { durationSec: Number(m[1]), percentOfDuration: Number(m[2]) };
}

/** The total `go tool pprof -top` prints ("… of 310 total"), as printed. */
export function goTopTotal(file: string): string {
  const text = execFileSync('go', ['tool', 'pprof', '-top', '-nodecount=1', file], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const m = /of (\S+) total/.exec(text);
  if (!m) throw new Error(`no total in ${text}`);
  return m[1];
}
