// The triage table's groups, outliers and change since the previous triage.
import { describe, expect, it } from 'vitest';
import type { PodSummary, TriagePod } from '../../../electron/contract';
import { changeSince, median, outliers, triageGroups } from '../../../renderer/model/index';

const MiB = 1024 * 1024;

function pod(
  context: string,
  name: string,
  group: string,
  figures: Partial<Pick<PodSummary, 'cpuCores' | 'heapInuseBytes' | 'goroutines'>> | null,
  namespace = 'cattle-fleet-system',
): TriagePod {
  return {
    context,
    namespace,
    pod: name,
    node: null,
    restarts: 0,
    group,
    captures: {},
    summary: figures
      ? {
          cpuCores: figures.cpuCores ?? null,
          heapInuseBytes: figures.heapInuseBytes ?? null,
          goroutines: figures.goroutines ?? null,
          topFunction: null,
          breakdown: null,
        }
      : null,
    metrics: null,
  };
}

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('triageGroups', () => {
  it('groups by workload across contexts, sorted', () => {
    const groups = triageGroups([
      pod('downstream-2', 'fleet-agent-0', 'fleet-agent', null),
      pod('local', 'fleet-controller-abc', 'fleet-controller', null),
      pod('downstream-1', 'fleet-agent-0', 'fleet-agent', null),
    ]);
    expect(groups.map((g) => [g.group, g.pods.map((p) => `${p.context}/${p.pod}`)])).toEqual([
      ['fleet-agent', ['downstream-1/fleet-agent-0', 'downstream-2/fleet-agent-0']],
      ['fleet-controller', ['local/fleet-controller-abc']],
    ]);
  });
});

describe('outliers', () => {
  it('flags a value at twice its group’s median and beyond the floor, high or low', () => {
    const pods = [
      pod('d1', 'a', 'agent', { cpuCores: 0.1, heapInuseBytes: 40 * MiB, goroutines: 100 }),
      pod('d2', 'a', 'agent', { cpuCores: 0.12, heapInuseBytes: 42 * MiB, goroutines: 110 }),
      pod('d3', 'a', 'agent', { cpuCores: 0.9, heapInuseBytes: 41 * MiB, goroutines: 40 }),
      pod('d4', 'a', 'agent', { cpuCores: 0.11, heapInuseBytes: 10 * MiB, goroutines: 105 }),
      // A group of two is never judged, however different.
      pod('local', 'c', 'controller', { cpuCores: 5, heapInuseBytes: 1, goroutines: 1 }),
      pod('local', 'd', 'controller', { cpuCores: 0.01, heapInuseBytes: 900 * MiB }),
    ];
    const got = outliers(pods).map((o) => `${o.context}/${o.pod} ${o.metric} ${o.direction}`);
    // d3's goroutines (40 vs a median of 102.5) are under half but only 62.5 from it: flagged.
    expect(got.sort()).toEqual(
      [
        'd3/a cpuCores high',
        'd3/a goroutines low',
        'd4/a heapInuseBytes low', // 10 MiB vs 40.5 MiB median: under half, 30.5 MiB away
      ].sort(),
    );
    const cpu = outliers(pods).find((o) => o.metric === 'cpuCores');
    expect(cpu?.median).toBeCloseTo(0.115, 10);
  });

  it('does not flag idle pods whose difference is under the floor', () => {
    const pods = [
      pod('d1', 'a', 'agent', { cpuCores: 0.001, goroutines: 10 }),
      pod('d2', 'a', 'agent', { cpuCores: 0.001, goroutines: 12 }),
      pod('d3', 'a', 'agent', { cpuCores: 0.04, goroutines: 55 }),
      pod('d4', 'a', 'agent', null),
    ];
    expect(outliers(pods)).toEqual([]);
    pods[2] = pod('d3', 'a', 'agent', { cpuCores: 0.06, goroutines: 61 });
    expect(outliers(pods).map((o) => o.metric)).toEqual(['cpuCores']);
  });
});

describe('changeSince', () => {
  it('matches by pod, then a replaced pod by its group in the same context and namespace', () => {
    const before = [
      pod('local', 'fleet-controller-old', 'fleet-controller', { cpuCores: 2, goroutines: 300 }),
      pod('d1', 'fleet-agent-x', 'fleet-agent', { cpuCores: 0.1, heapInuseBytes: 10 }),
      pod('d2', 'fleet-agent-y', 'fleet-agent', { cpuCores: 0.1 }),
    ];
    const after = [
      pod('local', 'fleet-controller-new', 'fleet-controller', { cpuCores: 0.5, goroutines: 320 }),
      pod('d1', 'fleet-agent-x', 'fleet-agent', { cpuCores: 0.3, heapInuseBytes: 4 }),
      pod('d3', 'fleet-agent-z', 'fleet-agent', { cpuCores: 0.2 }),
    ];
    const got = changeSince(before, after);
    expect(got.map((c) => [c.key, c.matchedBy, c.previous?.pod ?? null])).toEqual([
      ['local/cattle-fleet-system/fleet-controller-new', 'group', 'fleet-controller-old'],
      ['d1/cattle-fleet-system/fleet-agent-x', 'pod', 'fleet-agent-x'],
      // d2's agent is in another context: not the same workload instance.
      ['d3/cattle-fleet-system/fleet-agent-z', null, null],
    ]);
    expect(got[0].delta).toEqual({ cpuCores: -1.5, heapInuseBytes: null, goroutines: 20 });
    expect(got[1].delta.cpuCores).toBeCloseTo(0.2, 10);
    expect(got[1].delta.heapInuseBytes).toBe(-6);
    expect(got[2].delta).toEqual({ cpuCores: null, heapInuseBytes: null, goroutines: null });
  });
});
