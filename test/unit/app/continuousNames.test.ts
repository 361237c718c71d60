import { describe, expect, it } from 'vitest';
import { parseContinuousName } from '../../../renderer/timeline/continuousNames';

describe('parseContinuousName', () => {
  it("reads Fleet's cpuPprof names as UTC start times", () => {
    expect(
      parseContinuousName('2022-11-04_19_47_18.pprof.fleetcontroller.samples.cpu.pb.gz'),
    ).toEqual({
      startMs: Date.UTC(2022, 10, 4, 19, 47, 18),
      component: 'fleetcontroller',
      kind: 'cpu',
    });
  });

  it('reads ISO-like stamps from other tools', () => {
    expect(parseContinuousName('cpu-20240102T030405Z.pb.gz')?.startMs).toBe(
      Date.UTC(2024, 0, 2, 3, 4, 5),
    );
  });

  it('returns null when the name has no time', () => {
    expect(parseContinuousName('cpu.pb.gz')).toBeNull();
  });
});
