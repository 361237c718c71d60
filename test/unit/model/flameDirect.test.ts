import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Profile as PProfile } from 'pprof-format';
import { describe, expect, it } from 'vitest';
import { buildCallTree } from '../../../renderer/model/queries/callTree';
import { compileFilters } from '../../../renderer/model/queries/filters';
import { buildFlameTreeDirect } from '../../../renderer/model/queries/flameDirect';
import { layoutCallTree } from '../../../renderer/model/queries/flameTree';
import { FrameTable } from '../../../renderer/model/queries/frames';
import { GrowableFloat64 } from '../../../renderer/model/collections/growable';
import { TrieBuilder } from '../../../renderer/model/profile/trieBuilder';
import {
  buildFlameTree,
  decodeProfile,
  mergeProfiles,
  negateProfile,
} from '../../../renderer/model/index';
import type { FlameTree, Profile, ViewOptions } from '../../../renderer/model/index';
import { generateProfile } from '../../bench/generate';
import { FIXTURES, fixture, load, loadDiffPair } from './helpers';

function reference(p: Profile, opts: ViewOptions): FlameTree {
  const frames = new FrameTable();
  const tree = buildCallTree(p, opts, frames, compileFilters(opts));
  return layoutCallTree(tree, opts.pruneFraction ?? 0, undefined, opts.detail);
}

function direct(p: Profile, opts: ViewOptions): FlameTree {
  return buildFlameTreeDirect(p, opts);
}

function expectSame(a: FlameTree, b: FlameTree): void {
  expect(a.frame.length).toBe(b.frame.length);
  expect(a.grandTotal).toBe(b.grandTotal);
  expect(a.maxDepth).toBe(b.maxDepth);
  expect(a.names).toEqual(b.names);
  expect(a.sampleType).toEqual(b.sampleType);
  for (const k of ['frame', 'parent', 'depth', 'subtreeSize', 'start', 'total', 'self'] as const) {
    expect(Array.from(a[k]), k).toEqual(Array.from(b[k]));
  }
}

const optionSets: ViewOptions[] = [
  {},
  { pruneFraction: 0.01 },
  { pruneFraction: 1e-3 },
  { granularity: 'lines', pruneFraction: 1e-4 },
  { granularity: 'files' },
  { granularity: 'addresses', pruneFraction: 1e-3 },
  { hide: '^runtime\\.' },
  { hide: 'sync|runtime', pruneFraction: 0.005 },
  { show: 'main|sha' },
  { show: 'nomatch' },
  { focus: 'sha256|json', pruneFraction: 1e-3 },
  { ignore: 'runtime\\.mallocgc' },
  { sampleIndex: 0 },
];

describe('buildFlameTreeDirect equals layoutCallTree(buildCallTree)', () => {
  const files = readdirSync(join(FIXTURES, 'pprof')).filter((f) => f.endsWith('.pb.gz'));
  for (const file of files) {
    it(file, async () => {
      const p = await load('pprof', file);
      for (const opts of optionSets) expectSame(direct(p, opts), reference(p, opts));
    });
  }

  it('-noinlines, -show_from, -tagroot/-tagleaf (which rebuild the stacks)', async () => {
    const options: ViewOptions[] = [
      { noInlines: true },
      { granularity: 'filefunctions', noInlines: true },
      { showFrom: 'main\\.', pruneFraction: 1e-3 },
      { showFrom: 'flate|json', granularity: 'lines', hide: 'sync' },
      { tagRoot: ['controller'], tagLeaf: ['stage', 'bytes'] },
      { tagRoot: ['controller'], showFrom: 'bundle|main\\.', noInlines: true },
    ];
    const profiles = [
      await load('pprof', 'cpu.pb.gz'),
      await load('pprof', 'heap.pb.gz'),
      await decodeProfile(generateProfile(2000, 5)),
    ];
    for (const p of profiles)
      for (const opts of options) expectSame(direct(p, opts), reference(p, opts));
  });

  it('synthetic profiles (inlined frames, labels)', async () => {
    const p = await decodeProfile(generateProfile(4000, 3));
    for (const opts of [...optionSets, { tagFocus: 'controller=gitjob' }, { pruneFraction: 0.02 }])
      expectSame(direct(p, opts), reference(p, opts));
  });
});

describe('buildFlameTreeDirect on unusual stacks', () => {
  it('drop_frames/keep_frames', async () => {
    const pp = PProfile.decode(gunzipSync(fixture('pprof', 'cpu.pb.gz')));
    pp.dropFrames = pp.stringTable.dedup('sort\\.partition|regexp\\..*');
    pp.keepFrames = pp.stringTable.dedup('regexp\\.\\(\\*Regexp\\)\\.tryBacktrack');
    const p = await decodeProfile(new Uint8Array(gzipSync(pp.encode())));
    for (const opts of optionSets) expectSame(direct(p, opts), reference(p, opts));
  });

  it('negative values (a profile merged with its negation of another)', async () => {
    const a = await load('pprof', 'heap.pb.gz');
    const b = await load('pprof', 'allocs.pb.gz');
    const p = mergeProfiles([a, negateProfile(b)]);
    for (const opts of optionSets) expectSame(direct(p, opts), reference(p, opts));
  });
});

describe('a detail range (what a zoomed-in flame graph asks for)', () => {
  /** Nodes by their place: depth, left edge and frame (positive values: places are unique). */
  const byPlace = (t: FlameTree): Map<string, number> => {
    const m = new Map<string, number>();
    for (let i = 0; i < t.frame.length; i++) m.set(`${t.depth[i]}:${t.start[i]}:${t.frame[i]}`, i);
    return m;
  };

  it('keeps narrow nodes inside the range, coarse ones elsewhere, all in their places', async () => {
    const p = await decodeProfile(generateProfile(20_000, 7));
    const full = direct(p, {});
    const root = full.total[0];
    const coarse = 0.002;
    // A range of 1% of the root, a third of the way in.
    const detail = { start: root / 3, end: root / 3 + root / 100, pruneFraction: coarse / 100 };
    const zoomed = direct(p, { pruneFraction: coarse, detail });
    const plain = direct(p, { pruneFraction: coarse });
    expect(zoomed.frame.length).toBeGreaterThan(plain.frame.length * 1.2);
    expect(zoomed.frame.length).toBeLessThan(full.frame.length / 2);

    const fullAt = byPlace(full);
    const zoomedAt = byPlace(zoomed);
    expect(zoomedAt.size).toBe(zoomed.frame.length);
    // Every node shown is the full tree's node, with its values; its parent is too.
    for (const [place, i] of zoomedAt) {
      const j = fullAt.get(place);
      expect(j, place).toBeDefined();
      if (j === undefined) continue;
      expect(zoomed.total[i]).toBe(full.total[j]);
      expect(zoomed.self[i]).toBe(full.self[j]);
      const zp = zoomed.parent[i];
      const fp = full.parent[j];
      if (zp >= 0) expect(zoomed.start[zp]).toBe(full.start[fp]);
    }
    // Every node wide enough for where it is, is shown.
    const fine = root * detail.pruneFraction;
    let inRange = 0;
    for (const [place, j] of fullAt) {
      const w = full.total[j];
      const x = full.start[j];
      const visible = x <= detail.end && x + w >= detail.start;
      if (w >= root * coarse || (visible && w >= fine)) {
        expect(zoomedAt.has(place), place).toBe(true);
        if (visible && w < root * coarse) inRange++;
      }
    }
    expect(inRange).toBeGreaterThan(100);
  });

  it('is laid out the same way by the call-tree path (diff trees take it)', async () => {
    const p = await decodeProfile(generateProfile(20_000, 7));
    const root = direct(p, {}).total[0];
    for (const [from, width] of [
      [0, 0.05],
      [0.4, 0.01],
      [0.9, 0.1],
    ]) {
      const detail = { start: root * from, end: root * (from + width), pruneFraction: 1e-4 };
      const opts = { pruneFraction: 0.005, detail };
      expectSame(direct(p, opts), reference(p, opts));
    }
  });

  it('fills in a diff tree too, every node in its place', async () => {
    const [a, b] = await loadDiffPair();
    const full = buildFlameTree(b, {}, a);
    const root = full.total[0];
    const detail = { start: root * 0.3, end: root * 0.35, pruneFraction: 1e-4 };
    const zoomed = buildFlameTree(b, { pruneFraction: 0.02, detail }, a);
    const plain = buildFlameTree(b, { pruneFraction: 0.02 }, a);
    expect(zoomed.frame.length).toBeGreaterThan(plain.frame.length);
    const fullAt = byPlace(full);
    // The pruned tree's nodes and the zoomed one's are the full tree's, in the same places: a
    // node kept for its base value only does not move when its narrower siblings come in.
    for (const t of [zoomed, plain]) {
      for (const [place, i] of byPlace(t)) {
        const j = fullAt.get(place);
        expect(j, place).toBeDefined();
        if (j === undefined) continue;
        expect(t.total[i]).toBe(full.total[j]);
        expect(t.baseTotal?.[i]).toBe(full.baseTotal?.[j]);
      }
    }
    let keptForBase = 0;
    for (let i = 1; i < plain.frame.length; i++) if (plain.total[i] < root * 0.02) keptForBase++;
    expect(keptForBase).toBeGreaterThan(0);
  });

  it('keeps a node kept for its base value in its place, however its siblings are pruned', () => {
    // all → A (100), S (3), X (2; 50 in the base): pruned at 5%, S goes and X stays for its base.
    const frames = new FrameTable();
    const nodes = new TrieBuilder();
    const self = new GrowableFloat64(4);
    const baseSelf = new Float64Array(4);
    for (const [name, value, base] of [
      ['A', 100, 100],
      ['S', 3, 3],
      ['X', 2, 50],
    ] as const) {
      const node = nodes.child(0, frames.intern(name, '', 0));
      self.length = Math.max(self.length, node + 1);
      self.data[node] = value;
      baseSelf[node] = base;
    }
    const tree = {
      nodes,
      self,
      frames,
      position: new Uint8Array(4),
      sampleType: { type: 'cpu', unit: 'nanoseconds' },
      keptTotal: 105,
      unfilteredTotal: 105,
    };
    const base = { self: baseSelf, grandTotal: 153 };
    const startOf = (t: FlameTree, name: string): number =>
      t.start[Array.from(t.frame).findIndex((f) => t.names[f] === name)];
    const plain = layoutCallTree(tree, 0.05, base);
    expect(Array.from(plain.frame, (f) => (f < 0 ? 'all' : plain.names[f]))).toEqual([
      'all',
      'A',
      'X',
    ]);
    expect(startOf(plain, 'X')).toBe(103);
    const zoomed = layoutCallTree(tree, 0.05, base, { start: 100, end: 105, pruneFraction: 0.01 });
    expect(startOf(zoomed, 'S')).toBe(100);
    expect(startOf(zoomed, 'X')).toBe(103);
  });

  it('is the finely pruned tree when the range is the whole profile', async () => {
    const p = await decodeProfile(generateProfile(4000, 3));
    const root = direct(p, {}).total[0];
    expectSame(
      direct(p, { pruneFraction: 1e-2, detail: { start: 0, end: root, pruneFraction: 1e-3 } }),
      direct(p, { pruneFraction: 1e-3 }),
    );
  });
});
