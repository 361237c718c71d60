import { describe, expect, it } from 'vitest';
import { buildCallTree } from '../../../renderer/model/queries/callTree';
import type { CallTree } from '../../../renderer/model/queries/callTree';
import { compileFilters } from '../../../renderer/model/queries/filters';
import { FrameTable } from '../../../renderer/model/queries/frames';
import { decodeProfile, pprofTop, topTable } from '../../../renderer/model/index';
import type { ViewOptions } from '../../../renderer/model/index';
import { frameValues } from '../../../renderer/model/queries/top';
import { generateProfile } from '../../bench/generate';
import { fixtureText, load, loadDiffPair, parseGoldenTop } from './helpers';

const cases: { file: string; golden: string; opts: ViewOptions & { sampleName?: string } }[] = [
  { file: 'cpu.pb.gz', golden: 'cpu.top.txt', opts: {} },
  { file: 'cpu.pb.gz', golden: 'cpu.lines.top.txt', opts: { granularity: 'lines' } },
  { file: 'heap.pb.gz', golden: 'heap.top.txt', opts: {} },
  {
    file: 'heap.pb.gz',
    golden: 'heap.alloc_objects.top.txt',
    opts: { sampleName: 'alloc_objects' },
  },
  { file: 'heap.pb.gz', golden: 'heap.alloc_space.top.txt', opts: { sampleName: 'alloc_space' } },
  {
    file: 'heap.pb.gz',
    golden: 'heap.inuse_objects.top.txt',
    opts: { sampleName: 'inuse_objects' },
  },
  { file: 'heap.pb.gz', golden: 'heap.inuse_space.top.txt', opts: { sampleName: 'inuse_space' } },
  { file: 'allocs.pb.gz', golden: 'allocs.top.txt', opts: {} },
  { file: 'goroutine.pb.gz', golden: 'goroutine.top.txt', opts: {} },
  { file: 'mutex.pb.gz', golden: 'mutex.top.txt', opts: {} },
  { file: 'block.pb.gz', golden: 'block.top.txt', opts: {} },
  { file: 'threadcreate.pb.gz', golden: 'threadcreate.top.txt', opts: {} },
];

describe('top matches go tool pprof -top -nodecount=20', () => {
  for (const c of cases) {
    it(`${c.golden}`, async () => {
      const profile = await load('pprof', c.file);
      const { sampleName, ...opts } = c.opts;
      if (sampleName) opts.sampleIndex = profile.sampleIndexOf(sampleName);
      const golden = parseGoldenTop(fixtureText('pprof', c.golden));
      const top = pprofTop(profile, opts, { nodeCount: 20 });
      expect(top.rows.length).toBe(golden.rows.length);
      top.rows.forEach((row, i) => {
        const g = golden.rows[i];
        const label = row.inlineLabel ? ` (${row.inlineLabel})` : '';
        expect(row.name + label).toBe(g.name);
        expect(Math.abs(row.flat - g.flat)).toBeLessThanOrEqual(g.precision);
        expect(Math.abs(row.cum - g.cum)).toBeLessThanOrEqual(g.precision);
      });
      // The untrimmed table has the same values for those rows.
      const full = topTable(profile, opts);
      const byName = new Map(full.rows.map((r) => [r.name, r]));
      for (const row of top.rows) {
        expect(byName.get(row.name)?.flat).toBe(row.flat);
        expect(byName.get(row.name)?.cum).toBe(row.cum);
      }
      expect(full.total).toBe(
        profile.summary().totals[opts.sampleIndex ?? profile.summary().defaultSampleIndex],
      );
    });
  }

  it('counts recursion once in cum', async () => {
    const profile = await load('pprof', 'cpu.pb.gz');
    const top = topTable(profile, {});
    const fib = top.rows.find((r) => r.name === 'main.fib');
    expect(fib).toBeDefined();
    // fib recurses deeply; cum can never exceed the total.
    expect(fib!.cum).toBeLessThanOrEqual(top.total);
    for (const r of top.rows) expect(r.cum).toBeGreaterThanOrEqual(r.flat);
  });

  it('is sorted by |flat| desc, then name', async () => {
    const top = topTable(await load('pprof', 'cpu.pb.gz'), {});
    for (let i = 1; i < top.rows.length; i++) {
      const a = top.rows[i - 1];
      const b = top.rows[i];
      expect(Math.abs(a.flat) > Math.abs(b.flat) || (a.flat === b.flat && a.name <= b.name)).toBe(
        true,
      );
    }
  });

  it('applies focus, ignore and tag filters like pprof', async () => {
    const profile = await load('pprof', 'cpu.pb.gz');
    const all = topTable(profile, {});
    const focus = topTable(profile, { focus: 'sort\\.' });
    expect(focus.total).toBe(all.total);
    expect(focus.keptTotal).toBeLessThan(all.keptTotal!);
    expect(focus.rows.find((r) => r.name === 'crypto/sha256.block')).toBeUndefined();
    const bundle = topTable(profile, { tagFocus: 'controller=bundle' });
    const cluster = topTable(profile, { tagFocus: 'controller=cluster' });
    expect(bundle.keptTotal! + cluster.keptTotal!).toBeLessThanOrEqual(all.keptTotal!);
    const notCluster = topTable(profile, { tagIgnore: 'controller=cluster' });
    expect(notCluster.keptTotal).toBe(all.keptTotal! - cluster.keptTotal!);
  });

  it('gives base values on a diff', async () => {
    const [a, b] = await loadDiffPair();
    const diff = topTable(b, {}, a);
    const alone = topTable(a, {});
    const sha = diff.rows.find((r) => r.name === 'crypto/sha256.block')!;
    expect(sha.baseFlat).toBe(alone.rows.find((r) => r.name === 'crypto/sha256.block')!.flat);
    expect(diff.baseTotal).toBe(alone.total);
  });
});

describe('inline labels on a profile with many inlined calls', () => {
  /** pprof's rule written plainly: an edge is inline if all its call nodes were inlined lines. */
  function referenceBits(tree: CallTree, frameCount: number, shown?: Uint8Array): Uint8Array {
    const n = tree.nodes.size;
    const parent = tree.nodes.parent.data;
    const frame = tree.nodes.key.data;
    const from = new Int32Array(n).fill(-1);
    const edges = new Map<string, boolean>();
    for (let i = 1; i < n; i++) {
      const p = parent[i];
      from[i] = p !== 0 && (!shown || shown[frame[p]]) ? frame[p] : from[p];
      if (from[i] === -1 || from[i] === frame[i]) continue;
      const key = `${from[i]}>${frame[i]}`;
      edges.set(key, (edges.get(key) ?? true) && tree.position[i] === 1);
    }
    const bits = new Uint8Array(frameCount);
    for (const [key, inline] of edges) bits[Number(key.split('>')[1])] |= inline ? 1 : 2;
    return bits;
  }
  const label = (bits: number): number => (bits === 1 || bits === 3 ? bits : 0);

  it('match the plain rule, with all frames shown and with some', async () => {
    const profiles = [
      await decodeProfile(generateProfile(20_000, 11)),
      await load('pprof', 'cpu.pb.gz'),
      await load('pprof', 'allocs.pb.gz'),
    ];
    let inline = 0;
    let partial = 0;
    for (const p of profiles) {
      const frames = new FrameTable();
      const tree = buildCallTree(p, {}, frames, compileFilters({}));
      const everyThird = new Uint8Array(frames.size).map((_, f) => (f % 3 === 0 ? 0 : 1));
      for (const shown of [undefined, everyThird]) {
        const ours = frameValues(tree, frames.size, shown).inlineBits;
        const ref = referenceBits(tree, frames.size, shown);
        for (let f = 0; f < frames.size; f++) {
          expect(label(ours[f]), frames.names[f]).toBe(label(ref[f]));
          if (label(ref[f]) === 1) inline++;
          if (label(ref[f]) === 3) partial++;
        }
      }
    }
    // Both labels occur: the synthetic profile's inlined functions are also called, the Go
    // workload's are only inlined.
    expect(inline).toBeGreaterThan(4);
    expect(partial).toBeGreaterThan(100);
  });
});
