import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeProfiles, ProfileError, pprofTop } from '../../../renderer/model/index';
import { FIXTURES, fixtureText, load, parseGoldenTop } from './helpers';

describe('mergeProfiles', () => {
  it('merges the continuous profiles like go tool pprof -top a b c …', async () => {
    const files = readdirSync(join(FIXTURES, 'continuous'))
      .filter((f) => f.endsWith('.pb.gz'))
      .sort();
    expect(files.length).toBe(6);
    const profiles = await Promise.all(files.map((f) => load('continuous', f)));
    const merged = mergeProfiles(profiles);
    const golden = parseGoldenTop(fixtureText('continuous.merged.top.txt'));
    const top = pprofTop(merged, {}, { nodeCount: 20 });
    expect(top.rows.map((r) => r.name + (r.inlineLabel ? ` (${r.inlineLabel})` : ''))).toEqual(
      golden.rows.map((r) => r.name),
    );
    top.rows.forEach((r, i) => {
      expect(Math.abs(r.flat - golden.rows[i].flat)).toBeLessThanOrEqual(golden.rows[i].precision);
      expect(Math.abs(r.cum - golden.rows[i].cum)).toBeLessThanOrEqual(golden.rows[i].precision);
    });
    const s = merged.summary();
    expect(s.durationNanos).toBe(profiles.reduce((a, p) => a + p.summary().durationNanos, 0));
    expect(s.timeNanos).toBe(Math.min(...profiles.map((p) => p.summary().timeNanos)));
    expect(s.totals[1]).toBe(profiles.reduce((a, p) => a + p.summary().totals[1], 0));
    expect(golden.header.join('\n')).toContain('Duration: 30.92s');
  });

  it('refuses different sample types', async () => {
    const cpu = await load('pprof', 'cpu.pb.gz');
    const heap = await load('pprof', 'heap.pb.gz');
    expect(() => mergeProfiles([cpu, heap])).toThrow(ProfileError);
    try {
      mergeProfiles([cpu, heap]);
    } catch (e) {
      expect((e as ProfileError).code).toBe('incompatible');
    }
  });
});
