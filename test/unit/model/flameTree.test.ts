import { describe, expect, it } from 'vitest';
import {
  buildFlameTree,
  decodeProfile,
  sandwich,
  searchFrames,
  searchTotal,
  topTable,
} from '../../../renderer/model/index';
import type { FlameTree } from '../../../renderer/model/index';
import { generateProfile } from '../../bench/generate';
import { load, loadDiffPair } from './helpers';

function checkInvariants(t: FlameTree): void {
  const n = t.frame.length;
  expect(t.frame[0]).toBe(-1);
  expect(t.parent[0]).toBe(-1);
  expect(t.subtreeSize[0]).toBe(n);
  for (let i = 1; i < n; i++) {
    const p = t.parent[i];
    expect(p).toBeLessThan(i);
    expect(t.depth[i]).toBe(t.depth[p] + 1);
    // Contiguous subtrees.
    expect(i + t.subtreeSize[i]).toBeLessThanOrEqual(p + t.subtreeSize[p]);
    expect(t.start[i]).toBeGreaterThanOrEqual(t.start[p]);
    expect(t.start[i] + t.total[i]).toBeLessThanOrEqual(t.start[p] + t.total[p] + 1e-6);
  }
  // Children: left-heavy, laid out left to right.
  for (let i = 0; i < n; i++) {
    let prev = -1;
    let childSum = 0;
    for (let c = i + 1; c < i + t.subtreeSize[i]; c += t.subtreeSize[c]) {
      if (prev >= 0) {
        expect(t.total[c]).toBeLessThanOrEqual(t.total[prev]);
        expect(t.start[c]).toBeCloseTo(t.start[prev] + t.total[prev], 3);
      } else {
        expect(t.start[c]).toBe(t.start[i]);
      }
      childSum += t.total[c];
      prev = c;
    }
    if (t.subtreeSize[i] === 1 || prev >= 0)
      expect(t.self[i] + childSum).toBeCloseTo(t.total[i], 3);
  }
}

describe('buildFlameTree', () => {
  it('lays out a CPU profile root to leaf, left-heavy preorder', async () => {
    const p = await load('pprof', 'cpu.pb.gz');
    const t = buildFlameTree(p, {});
    checkInvariants(t);
    expect(t.grandTotal).toBe(14_750_000_000);
    expect(t.total[0]).toBe(t.grandTotal);
    expect(t.sampleType).toEqual({ type: 'cpu', unit: 'nanoseconds' });
    expect(t.maxDepth).toBeGreaterThan(5);
    // Root children are the stack bottoms (goroutine entry functions).
    const rootChildren: string[] = [];
    for (let c = 1; c < t.frame.length; c += t.subtreeSize[c])
      rootChildren.push(t.names[t.frame[c]]);
    expect(rootChildren).toContain('main.main.func1');
  });

  it('every granularity and sample type keeps the total', async () => {
    const p = await load('pprof', 'heap.pb.gz');
    for (const granularity of ['functions', 'lines', 'files', 'addresses'] as const) {
      for (let sampleIndex = 0; sampleIndex < 4; sampleIndex++) {
        const t = buildFlameTree(p, { granularity, sampleIndex });
        checkInvariants(t);
        expect(t.grandTotal).toBe(p.summary().totals[sampleIndex]);
      }
    }
    const lines = buildFlameTree(p, { granularity: 'lines' });
    expect(lines.names.some((n) => /\.go:\d+$/.test(n))).toBe(true);
    const addresses = buildFlameTree(p, { granularity: 'addresses' });
    expect(addresses.names.some((n) => /^[0-9a-f]{16} /.test(n))).toBe(true);
  });

  it('pruneFraction drops narrow nodes but keeps grandTotal', async () => {
    const p = await load('pprof', 'cpu.pb.gz');
    const full = buildFlameTree(p, {});
    const pruned = buildFlameTree(p, { pruneFraction: 0.01 });
    expect(pruned.frame.length).toBeLessThan(full.frame.length);
    expect(pruned.grandTotal).toBe(full.grandTotal);
    for (let i = 1; i < pruned.frame.length; i++)
      expect(pruned.total[i]).toBeGreaterThanOrEqual(0.01 * pruned.grandTotal);
  });

  it('filters change the kept total', async () => {
    const p = await load('pprof', 'cpu.pb.gz');
    const focus = buildFlameTree(p, { focus: 'sha256' });
    const top = topTable(p, {});
    const sha = top.rows.find((r) => r.name === 'crypto/sha256.block')!;
    expect(focus.grandTotal).toBeGreaterThanOrEqual(sha.cum);
    expect(focus.grandTotal).toBeLessThan(top.total);
    const hidden = buildFlameTree(p, { hide: '^runtime\\.' });
    expect(
      hidden.names.filter((_, f) => hidden.frame.includes(f)).some((n) => n.startsWith('runtime.')),
    ).toBe(false);
  });

  it('diff tree: base values on the union of paths', async () => {
    const [a, b] = await loadDiffPair();
    const t = buildFlameTree(b, {}, a);
    checkInvariants(t);
    expect(t.baseTotal).toBeDefined();
    expect(t.baseGrandTotal).toBe(buildFlameTree(a, {}).grandTotal);
    expect(t.baseTotal![0]).toBe(t.baseGrandTotal);
    expect(t.grandTotal).toBe(buildFlameTree(b, {}).grandTotal);
    let onlyInBase = 0;
    for (let i = 0; i < t.frame.length; i++)
      if (t.total[i] === 0 && t.baseTotal![i] > 0) onlyInBase++;
    expect(onlyInBase).toBeGreaterThan(0);
  });
});

describe('search', () => {
  it('marks matching nodes; the matched total counts each sample once, from every sample', async () => {
    const p = await load('pprof', 'cpu.pb.gz');
    const t = buildFlameTree(p, {});
    const matched = searchFrames(t, 'main\\.fib');
    expect(matched.some((m, i) => m === 1 && t.names[t.frame[i]] !== 'main.fib')).toBe(false);
    expect(matched.filter((m) => m === 1).length).toBeGreaterThan(1);
    const fib = topTable(p, {}).rows.find((x) => x.name === 'main.fib')!;
    expect(searchTotal(p, {}, 'main\\.fib')).toBe(fib.cum);
    expect(searchTotal(p, {}, '.')).toBe(t.grandTotal);
    expect(searchTotal(p, {}, '')).toBe(0);
    // The flame graph's filters apply: hiding main.fib leaves nothing of it to find.
    expect(searchTotal(p, { hide: 'main\\.fib' }, 'main\\.fib')).toBe(0);
    const focused = topTable(p, { focus: 'sha256' }).rows.find((x) => x.name === 'main.fib');
    expect(searchTotal(p, { focus: 'sha256' }, 'main\\.fib')).toBe(focused?.cum ?? 0);
  });

  it('counts the samples of nodes a pruned flame tree leaves out', async () => {
    const p = await decodeProfile(generateProfile(20_000, 5));
    const pruned = buildFlameTree(p, { pruneFraction: 0.01 });
    const inTree = (re: RegExp): number => {
      let sum = 0;
      for (let i = 0, covered = 0; i < pruned.frame.length; i++) {
        if (i < covered || pruned.frame[i] < 0 || !re.test(pruned.names[pruned.frame[i]])) continue;
        sum += pruned.total[i];
        covered = i + pruned.subtreeSize[i];
      }
      return sum;
    };
    const row = topTable(p, {}).rows[40];
    const exactly = `^${row.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
    const exact = searchTotal(p, {}, exactly);
    expect(exact).toBe(row.cum);
    expect(inTree(new RegExp(exactly))).toBeLessThan(exact);
  });
});

describe('sandwich', () => {
  it('callers and callees of a recursive function count each sample once', async () => {
    const p = await load('pprof', 'cpu.pb.gz');
    const s = sandwich(p, {}, 'main.fib');
    const row = topTable(p, {}).rows.find((x) => x.name === 'main.fib')!;
    expect(s.total).toBe(row.cum);
    expect(s.self).toBe(row.flat);
    expect(s.callees.grandTotal).toBe(row.cum);
    expect(s.callers.grandTotal).toBe(row.cum);
    expect(s.callees.names[s.callees.frame[0]]).toBe('main.fib');
    checkInvariants({ ...s.callees, frame: s.callees.frame.map((f, i) => (i === 0 ? -1 : f)) });
    // Callers never list fib above itself: the innermost occurrence is the root.
    const callerNames = new Set<string>();
    for (let c = 1; c < s.callers.frame.length; c += s.callers.subtreeSize[c])
      callerNames.add(s.callers.names[s.callers.frame[c]]);
    expect(callerNames.has('main.fib')).toBe(true);
  });

  it('an unknown function gives empty trees', async () => {
    const s = sandwich(await load('pprof', 'cpu.pb.gz'), {}, 'no.such');
    expect(s.total).toBe(0);
    expect(s.callers.frame.length).toBe(1);
  });
});
