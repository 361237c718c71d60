// pprof prints numbers with Go's fmt: %.2f for values and percentages, %.2g below 1%. Go
// rounds exact ties to even and switches %g to exponent form below 1e-4; checked here
// against a real Go program over ties, edges and a few thousand random values.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPercent, formatValue, goFixed, goG2 } from '../../../renderer/model/format';
import { prng } from '../../bench/prng';

const hasGo = spawnSync('go', ['version']).status === 0;

function values(): number[] {
  const next = prng(7);
  const out = [
    512.625, 0.125, 0.375, 2.5, 3.5, 0.015, 1.005, 2.675, 8.2e-5, 0.0000825, 0.00995, 0.0995, 0.995,
    9.95, 0.95, 0.05, 0.045, 0.0001, 0.00009999, 1e-7, 123.456, 99.995, -512.625, -0.125,
  ];
  for (let k = 0; k < 400; k++) out.push(k / 8, k / 200, k / 1600);
  for (let i = 0; i < 2000; i++) out.push(next() * 10 ** Math.floor(next() * 12 - 8));
  return out;
}

describe('Go number formatting', () => {
  it('goFixed(x, 2) and goG2(x) print what Go’s %.2f and %.2g print', () => {
    if (!hasGo) {
      console.warn('SKIPPED: `go` is not on PATH, so Go formatting was not compared');
      return;
    }
    const xs = values();
    const dir = mkdtempSync(join(tmpdir(), 'profscope-goformat-'));
    writeFileSync(
      join(dir, 'main.go'),
      `package main
import ("encoding/json"; "fmt"; "os")
func main() {
  var xs []float64
  json.NewDecoder(os.Stdin).Decode(&xs)
  for _, x := range xs { fmt.Printf("%.2f %.2g\\n", x, x) }
}
`,
    );
    const go = spawnSync('go', ['run', 'main.go'], {
      cwd: dir,
      input: JSON.stringify(xs),
      encoding: 'utf8',
      env: { ...process.env, GO111MODULE: 'off', GOPROXY: 'off' },
    });
    expect(go.stderr).toBe('');
    const want = go.stdout.trim().split('\n');
    const got = xs.map((x) => `${goFixed(x, 2)} ${goG2(x)}`);
    const diffs = xs
      .map((x, i) => ({ x, got: got[i], want: want[i] }))
      .filter((d) => d.got !== d.want);
    expect(diffs.slice(0, 10)).toEqual([]);
  });

  it('pprof’s figures: a tie rounds to even, a tiny share in exponent form', () => {
    expect(formatValue(512.625 * 1024, 'bytes')).toBe('512.62kB');
    expect(formatPercent(8.2e-5, 100)).toBe('8.2e-05%');
    expect(formatPercent(0.5, 100)).toBe('  0.5%');
  });
});
