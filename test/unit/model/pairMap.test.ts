import { describe, expect, it } from 'vitest';
import { PairMap } from '../../../renderer/model/collections/pairMap';
import { prng } from '../../bench/prng';

describe('PairMap', () => {
  it('agrees with a Map over many pairs, negative keys and growth included', () => {
    const ours = new PairMap(4);
    const ref = new Map<string, number>();
    const next = prng(7);
    for (let i = 0; i < 50_000; i++) {
      const a = Math.floor(next() * 2000) - 1000;
      const b = Math.floor(next() * 50) - 25;
      const v = Math.floor(next() * 1e6);
      const key = `${a},${b}`;
      if (next() < 0.5) {
        ours.set(a, b, v);
        ref.set(key, v);
      } else {
        const had = ours.putIfAbsent(a, b, v);
        expect(had).toBe(ref.get(key) ?? -1);
        if (!ref.has(key)) ref.set(key, v);
      }
    }
    expect(ours.size).toBe(ref.size);
    for (const [key, v] of ref) {
      const [a, b] = key.split(',').map(Number);
      expect(ours.get(a, b)).toBe(v);
    }
    expect(ours.get(5000, 5000)).toBe(-1);
    let visited = 0;
    ours.forEach((a, b, v) => {
      visited++;
      expect(ref.get(`${a},${b}`)).toBe(v);
    });
    expect(visited).toBe(ref.size);
  });

  it('refuses values it cannot store', () => {
    const m = new PairMap();
    expect(() => m.set(1, 2, -1)).toThrow(RangeError);
    expect(() => m.putIfAbsent(1, 2, 2 ** 31 - 1)).toThrow(RangeError);
    expect(m.size).toBe(0);
  });
});
