import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Profile as PProfile } from 'pprof-format';
import { describe, expect, it } from 'vitest';
import { decodeProfile, pprofTop, topTable } from '../../../renderer/model/index';
import { fixture, parseGoldenTop } from './helpers';

const hasGo = spawnSync('go', ['version']).status === 0;

/** The CPU fixture with drop_frames/keep_frames set, as a runtime would write them. */
function withDropFrames(): Uint8Array {
  const p = PProfile.decode(gunzipSync(fixture('pprof', 'cpu.pb.gz')));
  p.dropFrames = p.stringTable.dedup('sort\\.partition|regexp\\..*');
  p.keepFrames = p.stringTable.dedup('regexp\\.\\(\\*Regexp\\)\\.tryBacktrack');
  return new Uint8Array(gzipSync(p.encode()));
}

describe('drop_frames / keep_frames', () => {
  it('prunes stacks as pprof does', async () => {
    const bytes = withDropFrames();
    const profile = await decodeProfile(bytes);
    expect(profile.summary().dropFrames).toBe('sort\\.partition|regexp\\..*');
    const plain = topTable(await decodeProfile(fixture('pprof', 'cpu.pb.gz')), {});
    const pruned = topTable(profile, {});
    // Callees of sort.partition lose their samples to it; the total stays.
    expect(pruned.total).toBe(plain.total);
    const less = (t: typeof plain): number =>
      t.rows.find((r) => r.name === 'sort.IntSlice.Less')?.flat ?? 0;
    expect(less(pruned)).toBeLessThan(less(plain));
    if (!hasGo) {
      console.warn('SKIPPED: `go` is not on PATH, drop_frames not compared with go tool pprof');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'profscope-drop-'));
    const file = join(dir, 'cpu-drop.pb.gz');
    writeFileSync(file, bytes);
    const out = execFileSync('go', ['tool', 'pprof', '-top', '-nodecount=25', file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const golden = parseGoldenTop(out);
    const top = pprofTop(profile, {}, { nodeCount: 25 });
    expect(top.rows.map((r) => r.name + (r.inlineLabel ? ` (${r.inlineLabel})` : ''))).toEqual(
      golden.rows.map((r) => r.name),
    );
    top.rows.forEach((r, i) => {
      expect(Math.abs(r.flat - golden.rows[i].flat)).toBeLessThanOrEqual(golden.rows[i].precision);
      expect(Math.abs(r.cum - golden.rows[i].cum)).toBeLessThanOrEqual(golden.rows[i].precision);
    });
  });
});
