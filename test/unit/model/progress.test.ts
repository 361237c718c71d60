import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../../renderer/model';
import { fixture } from './helpers';
import { generateProfile } from '../../bench/generate';

describe('decode progress', () => {
  it('reports a rising share of the inflate, ending near 1, a bounded number of times', async () => {
    // A profile large enough to arrive in many chunks.
    const bytes = generateProfile(20_000);
    const seen: number[] = [];
    const p = await decodeProfile(bytes, { onProgress: (f) => seen.push(f) });
    expect(p.summary().sampleCount).toBe(20_000);
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.length).toBeLessThanOrEqual(51);
    expect(seen.every((f, i) => f > 0 && f <= 1 && (i === 0 || f > seen[i - 1]))).toBe(true);
    expect(seen.at(-1)!).toBeGreaterThan(0.95);
  });

  it('reports at most the whole for a small real profile, which decodes as without it', async () => {
    const seen: number[] = [];
    const p = await decodeProfile(fixture('pprof', 'cpu.pb.gz'), {
      onProgress: (f) => seen.push(f),
    });
    const plain = await decodeProfile(fixture('pprof', 'cpu.pb.gz'));
    expect(seen.every((f) => f > 0 && f <= 1)).toBe(true);
    expect(p.summary().totals).toEqual(plain.summary().totals);
  });
});
