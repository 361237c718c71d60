// A file's summary (the timeline's figures and its function table) against the real
// `go tool pprof -top`: the tables of several files, added up by function, are the table of
// their merge, to the nanosecond (-unit=ns prints pprof's values unscaled).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  exportPprof,
  fileSummary,
  profileFromParts,
  profileParts,
  topTable,
} from '../../../renderer/model/index';
import { FIXTURES, load } from './helpers';

const hasGo = spawnSync('go', ['version']).status === 0;

/** Function → [flat, cum] from `go tool pprof -top -nodecount=100000 -nodefraction=0 -unit=ns`. */
function pprofFunctions(paths: string[]): Map<string, [number, number]> {
  const go = spawnSync(
    'go',
    ['tool', 'pprof', '-top', '-nodecount=100000', '-nodefraction=0', '-unit=ns', ...paths],
    { encoding: 'utf8', maxBuffer: 64 * 1024 ** 2 },
  );
  expect(go.status, go.stderr).toBe(0);
  const table = new Map<string, [number, number]>();
  const value = (s: string) => (s === '0' ? 0 : Number(s.replace(/ns$/, '')));
  for (const line of go.stdout.split('\n')) {
    const m =
      /^\s*(0|-?\d+ns)\s+\S+%\s+\S+%\s+(0|-?\d+ns)\s+\S+%\s{2}(.*?)(?: \((?:partial-)?inline\))?$/.exec(
        line,
      );
    if (!m) continue;
    const [flat, cum] = table.get(m[3]) ?? [0, 0];
    table.set(m[3], [flat + value(m[1]), cum + value(m[2])]);
  }
  return table;
}

function folder(name: string): string[] {
  const dir = join(FIXTURES, name);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pb.gz'))
    .sort()
    .map((f) => join(dir, f));
}

describe('fileSummary', () => {
  for (const name of ['continuous', 'continuous-workload']) {
    it(`${name}: the files' tables added up are go tool pprof -top of their merge`, async () => {
      if (!hasGo) {
        console.warn('SKIPPED: `go` is not on PATH');
        return;
      }
      const paths = folder(name);
      const sum = new Map<string, [number, number]>();
      for (const path of paths) {
        const s = fileSummary(await load(path.slice(FIXTURES.length + 1)));
        s.functions.names.forEach((fn, i) => {
          const [flat, cum] = sum.get(fn) ?? [0, 0];
          sum.set(fn, [flat + s.functions.flat[i], cum + s.functions.cum[i]]);
        });
      }
      const want = pprofFunctions(paths);
      expect(want.size).toBeGreaterThan(100);
      expect(new Map([...sum].sort())).toEqual(new Map([...want].sort()));
    });
  }

  it('one file: go tool pprof -top of it, row for row, and the timeline figures', async () => {
    if (!hasGo) {
      console.warn('SKIPPED: `go` is not on PATH');
      return;
    }
    const [path] = folder('continuous');
    const profile = await load(path.slice(FIXTURES.length + 1));
    const s = fileSummary(profile);
    expect(s.functions.names.map((n, i) => [n, [s.functions.flat[i], s.functions.cum[i]]])).toEqual(
      [...pprofFunctions([path])],
    );
    expect(s.topFunction).toBe('crypto/sha256.block');
    expect(s.topFunction).toBe(topTable(profile, {}).rows[0].name);
    expect(s.sampleType).toEqual({ type: 'cpu', unit: 'nanoseconds' });
    expect(s.sampleTypes[s.defaultSampleIndex]).toEqual(s.sampleType);
    expect(s.totals).toEqual(profile.totals());
    expect(s.totals[s.defaultSampleIndex]).toBe(s.functions.flat.reduce((a, b) => a + b, 0));
    expect(s.timeNanos).toBe(profile.data.timeNanos);
    expect(s.durationNanos).toBeGreaterThan(0);
    expect(s.periodType).toEqual({ type: 'cpu', unit: 'nanoseconds' });
    expect(s.period).toBe(10_000_000);
  });

  it("a heap profile's table is of its default sample type, its totals of every type", async () => {
    const profile = await load('pprof', 'heap.pb.gz');
    const s = fileSummary(profile);
    expect(s.sampleType.type).toBe('inuse_space');
    expect(s.totals).toHaveLength(4);
    const top = topTable(profile, {});
    expect(s.functions.names).toEqual(top.rows.map((r) => r.name));
    expect(s.functions.cum).toEqual(top.rows.map((r) => r.cum));
  });

  it('an empty profile has an empty table and no top function', async () => {
    const profile = await load('pprof', 'heap.pb.gz');
    const s = fileSummary(profileFromParts(emptied(profile)));
    expect(s).toMatchObject({ topFunction: '', functions: { names: [], flat: [], cum: [] } });
    expect(s.totals).toEqual([0, 0, 0, 0]);
  });
});

/** The profile's parts with its samples taken away. */
function emptied(profile: Awaited<ReturnType<typeof load>>) {
  const { parts } = profileParts(profile);
  const none = { count: 0, leaf: new Int32Array(0), values: new Float64Array(0), labelStart: null };
  return { ...parts, data: { ...parts.data, samples: { ...parts.data.samples, ...none } } };
}

describe('profileParts', () => {
  it('moves a profile to another thread and back unchanged', async () => {
    const profile = await load(
      'continuous',
      '2026-11-24_13_50_29.pprof.fleetcontroller.samples.cpu.pb.gz',
    );
    const before = await exportPprof(profile);
    const { parts, transfer } = profileParts(profile);
    const moved = structuredClone(parts, { transfer });
    expect(transfer.length).toBeGreaterThan(10);
    expect(transfer.every((b) => b.byteLength === 0)).toBe(true);
    expect(await exportPprof(profileFromParts(moved))).toEqual(before);
  });
});
