// The triage table's rows: grouped by workload, sorted inside each group with empty values
// last, the outlier flagged with its reason, and the change since the previous triage.
import { describe, expect, it } from 'vitest';
import type { TriagePod } from '../../../../electron/contract';
import {
  captureFile,
  outlierReason,
  shareOf,
  triageRows,
} from '../../../../renderer/triage/triageRows';

function pod(name: string, group: string, cpu: number | null, context = 'c'): TriagePod {
  return {
    context,
    namespace: 'ns',
    pod: name,
    node: null,
    restarts: 0,
    group,
    captures: {},
    metrics: null,
    summary:
      cpu === null
        ? null
        : {
            cpuCores: cpu,
            heapInuseBytes: 1e6,
            goroutines: 10,
            topFunction: null,
            breakdown: [
              { rule: 'Serving requests', value: cpu * 3 },
              { rule: 'other', value: cpu },
            ],
          },
  };
}

const pods = [
  pod('a1', 'agent', 0.01),
  pod('a2', 'agent', 0.9),
  pod('a3', 'agent', null),
  pod('a4', 'agent', 0.02),
  pod('a5', 'agent', 0.015),
  pod('ctl', 'controller', 1.5),
];

describe('triageRows', () => {
  it('groups by workload and sorts within, empty values last', () => {
    const groups = triageRows(pods, null, { column: 'cpuCores', descending: true });
    expect(groups.map((g) => g.group)).toEqual(['agent', 'controller']);
    expect(groups[0].rows.map((r) => r.pod.pod)).toEqual(['a2', 'a4', 'a5', 'a1', 'a3']);
    const up = triageRows(pods, null, { column: 'cpuCores', descending: false });
    expect(up[0].rows.map((r) => r.pod.pod)).toEqual(['a1', 'a5', 'a4', 'a2', 'a3']);
  });

  it('flags the pod far from its group’s median, and says why', () => {
    const [agents, controller] = triageRows(pods, null, { column: 'pod', descending: false });
    const flagged = agents.rows.filter((r) => r.outliers.cpuCores);
    expect(flagged.map((r) => r.pod.pod)).toEqual(['a2']);
    expect(controller.rows[0].outliers).toEqual({});
    const why = outlierReason(flagged[0].outliers.cpuCores!, (v) => v.toFixed(3));
    expect(why).toMatch(/0\.900 is 5\d\.\d× the median of agent \(0\.018\)/);
  });

  it('shows the change since the previous triage', () => {
    const before = [pod('a2', 'agent', 0.5), pod('ctl', 'controller', 2)];
    const groups = triageRows(pods, before, { column: 'pod', descending: false });
    const a2 = groups[0].rows.find((r) => r.pod.pod === 'a2')!;
    expect(a2.change?.delta.cpuCores).toBeCloseTo(0.4);
    expect(groups[1].rows[0].change?.delta.cpuCores).toBeCloseTo(-0.5);
  });

  it('sorts by a breakdown category’s share', () => {
    expect(shareOf(pods[0], 'Serving requests')).toBeCloseTo(0.75);
    expect(shareOf(pods[2], 'Serving requests')).toBeNull();
    const groups = triageRows(pods, null, { column: 'share:Serving requests', descending: true });
    expect(groups[0].rows.at(-1)!.pod.pod).toBe('a3');
  });

  it('finds a capture file under the triage’s folder unless absolute', () => {
    expect(captureFile('/lib/t/', 'x.pb.gz')).toBe('/lib/t/x.pb.gz');
    expect(captureFile('/lib/t', '/else/x.pb.gz')).toBe('/else/x.pb.gz');
  });
});
