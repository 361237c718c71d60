import { execFileSync } from 'node:child_process';

/** A value as `go tool pprof -top` prints it, in the profile's base unit (ns, bytes, count). */
export function parsePprofValue(text: string): number {
  const m = /^(-?[\d.]+)([a-zA-Zµ]*)$/.exec(text.trim());
  if (!m) throw new Error(`not a pprof value: ${text}`);
  const n = Number(m[1]);
  const scale: Record<string, number> = {
    '': 1,
    ns: 1,
    us: 1e3,
    µs: 1e3,
    ms: 1e6,
    s: 1e9,
    mins: 60e9,
    hrs: 3600e9,
    B: 1,
    kB: 1024,
    MB: 1024 ** 2,
    GB: 1024 ** 3,
    TB: 1024 ** 4,
  };
  const f = scale[m[2]];
  if (f === undefined) throw new Error(`unknown pprof unit in ${text}`);
  return n * f;
}

export interface PprofTop {
  total: number;
  rows: { flat: number; cum: number; name: string }[];
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
  const decimals = /\.(\d+)/.exec(totalMatch[1])?.[1].length ?? 0;
  const total = parsePprofValue(totalMatch[1]);
  const unit = parsePprofValue(totalMatch[1].replace(/^[-\d.]+/, '1'));
  const rows = out
    .split('\n')
    .map((l) =>
      /^\s*([-\d.]+[a-zA-Zµ]*)\s+[-\d.]+%\s+[-\d.]+%\s+([-\d.]+[a-zA-Zµ]*)\s+[-\d.]+%\s+(.+)$/.exec(
        l,
      ),
    )
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ flat: parsePprofValue(m[1]), cum: parsePprofValue(m[2]), name: m[3].trim() }));
  return { total, rows, totalPrecision: (0.5 * unit) / 10 ** decimals };
}
