// One pod's row of the triage table, from its profiles.
import type { BreakdownRule, PodSummary } from './types';
import type { Profile } from '../../profile/profile';
import { topTable } from '../top';
import { cpuBreakdown, cpuSampleIndex, sampleTotal } from './breakdown';

export interface PodProfiles {
  cpu?: Profile | null;
  heap?: Profile | null;
  goroutine?: Profile | null;
}

/** Total of the named sample type, or null when the profile lacks it. */
function typedTotal(profile: Profile, type: string): number | null {
  const i = profile.sampleTypes.findIndex((t) => t.type === type);
  return i >= 0 ? sampleTotal(profile, i) : null;
}

/** The nanoseconds of one `unit` (CPU profiles are nanoseconds; older ones may say otherwise). */
const NANOS: Record<string, number> = {
  nanoseconds: 1,
  ns: 1,
  microseconds: 1e3,
  us: 1e3,
  milliseconds: 1e6,
  ms: 1e6,
  seconds: 1e9,
  s: 1e9,
};

/**
 * CPU cores (CPU seconds ÷ the profile's wall seconds, its duration), heap in use (the heap
 * profile's inuse_space), goroutines (the goroutine profile's total), the top function by self
 * CPU with its share of the CPU total, and the CPU breakdown by `rules`.
 */
export function podSummary(profiles: PodProfiles, rules: BreakdownRule[]): PodSummary {
  const { cpu, heap, goroutine } = profiles;
  const out: PodSummary = {
    cpuCores: null,
    heapInuseBytes: heap ? typedTotal(heap, 'inuse_space') : null,
    goroutines: goroutine ? sampleTotal(goroutine, goroutine.defaultSampleIndex) : null,
    topFunction: null,
    breakdown: null,
  };
  if (cpu) {
    const index = cpuSampleIndex(cpu);
    const total = sampleTotal(cpu, index);
    const scale = NANOS[cpu.sampleTypes[index]?.unit ?? ''];
    const wall = cpu.data.durationNanos;
    if (scale !== undefined && wall > 0) out.cpuCores = (total * scale) / wall;
    const top = topTable(cpu, { sampleIndex: index }).rows[0];
    if (top && total > 0) out.topFunction = { name: top.name, share: top.flat / total };
    out.breakdown = cpuBreakdown(cpu, rules, index);
  }
  return out;
}
