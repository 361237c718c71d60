import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Profile as PProfile } from 'pprof-format';
import { describe, expect, it } from 'vitest';
import {
  buildFlameTree,
  decodeProfile,
  exportCollapsed,
  exportPprof,
  exportSpeedscope,
  topTable,
} from '../../../renderer/model/index';
import { load } from './helpers';

const hasGo = spawnSync('go', ['version']).status === 0;

describe('exportPprof', () => {
  for (const name of ['cpu', 'heap', 'goroutine']) {
    it(`round-trips ${name} through pprof-format`, async () => {
      const p = await load('pprof', `${name}.pb.gz`);
      const out = await exportPprof(p, {});
      expect(out[0]).toBe(0x1f);
      const decoded = PProfile.decode(gunzipSync(out));
      const totals = p.sampleTypes.map((_, i) =>
        decoded.sample.reduce((a, s) => a + Number(s.value[i]), 0),
      );
      expect(totals).toEqual(p.summary().totals);
      const again = await decodeProfile(out);
      expect(topTable(again, {}).rows.slice(0, 20)).toEqual(topTable(p, {}).rows.slice(0, 20));
      expect(again.summary().durationNanos).toBe(p.summary().durationNanos);
    });
  }

  it('applies the view filters', async () => {
    const p = await load('pprof', 'cpu.pb.gz');
    const out = await decodeProfile(
      await exportPprof(p, { focus: 'sort\\.', tagFocus: 'controller=cluster' }),
    );
    const expected = buildFlameTree(p, {
      focus: 'sort\\.',
      tagFocus: 'controller=cluster',
    }).grandTotal;
    expect(out.summary().totals[1]).toBe(expected);
    const hidden = await decodeProfile(await exportPprof(p, { hide: '^runtime\\.' }));
    expect(topTable(hidden, {}).rows.some((r) => r.name.startsWith('runtime.'))).toBe(false);
  });

  it('is readable by go tool pprof -raw', async () => {
    if (!hasGo) {
      console.warn(
        'SKIPPED: `go` is not on PATH, so the export was not checked with go tool pprof -raw',
      );
      return;
    }
    const p = await load('pprof', 'cpu.pb.gz');
    const dir = mkdtempSync(join(tmpdir(), 'profscope-export-'));
    const file = join(dir, 'cpu.export.pb.gz');
    writeFileSync(file, await exportPprof(p, {}));
    const raw = execFileSync('go', ['tool', 'pprof', '-raw', file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(raw).toContain('PeriodType: cpu nanoseconds');
    expect(raw).toContain('samples/count cpu/nanoseconds');
    let total = 0;
    for (const m of raw.matchAll(/^\s+\d+\s+(\d+): [\d ]+$/gm)) total += Number(m[1]);
    expect(total).toBe(14_750_000_000);
  });
});

describe('exportSpeedscope', () => {
  it('writes a sampled profile with the right unit and weights', async () => {
    const p = await load('pprof', 'heap.pb.gz');
    const json = JSON.parse(exportSpeedscope(p, { sampleIndex: 1 }, 'heap.pb.gz')) as {
      $schema: string;
      shared: { frames: { name: string; file?: string; line?: number }[] };
      profiles: {
        type: string;
        unit: string;
        samples: number[][];
        weights: number[];
        endValue: number;
      }[];
    };
    expect(json.$schema).toBe('https://www.speedscope.app/file-format-schema.json');
    const prof = json.profiles[0];
    expect(prof.type).toBe('sampled');
    expect(prof.unit).toBe('bytes');
    expect(prof.samples.length).toBe(prof.weights.length);
    expect(prof.weights.reduce((a, b) => a + b, 0)).toBe(p.summary().totals[1]);
    expect(prof.endValue).toBe(p.summary().totals[1]);
    for (const s of prof.samples) for (const f of s) expect(json.shared.frames[f]).toBeDefined();
    expect(json.shared.frames.some((f) => f.file?.endsWith('.go'))).toBe(true);
    const cpu = JSON.parse(exportSpeedscope(await load('pprof', 'cpu.pb.gz'), {}, 'cpu')) as {
      profiles: { unit: string }[];
    };
    expect(cpu.profiles[0].unit).toBe('nanoseconds');
    const g = JSON.parse(exportSpeedscope(await load('pprof', 'goroutine.pb.gz'), {}, 'g')) as {
      profiles: { unit: string }[];
    };
    expect(g.profiles[0].unit).toBe('none');
  });
});

describe('exportCollapsed', () => {
  it('writes one "a;b;c value" line per stack, root first', async () => {
    const p = await load('pprof', 'cpu.pb.gz');
    const text = exportCollapsed(p, {});
    const lines = text.trim().split('\n');
    let total = 0;
    for (const line of lines) {
      const m = /^(.+) (-?\d+)$/.exec(line);
      expect(m).not.toBeNull();
      total += Number(m![2]);
    }
    expect(total).toBe(14_750_000_000);
    expect(lines.some((l) => l.startsWith('main.main.func1;'))).toBe(true);
  });
});
