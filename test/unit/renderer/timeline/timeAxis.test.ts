import { describe, expect, it } from 'vitest';
import {
  clampWindow,
  MIN_SPAN,
  panWindow,
  roundTicks,
  tickLabel,
  zoomWindow,
} from '../../../../renderer/timeline/timeAxis';

const T0 = Date.UTC(2026, 10, 24, 13, 50, 29);
const H = 3600_000;

describe('time axis', () => {
  it('puts ticks at round times whatever the window', () => {
    const day = roundTicks({ t0: T0, t1: T0 + 24 * H }, 1200);
    expect(day.step).toBe(3 * H);
    expect(day.times.every((t) => t % (3 * H) === 0)).toBe(true);
    const hour = roundTicks({ t0: T0, t1: T0 + H }, 1200);
    expect(hour.step).toBe(5 * 60_000);
    expect(new Date(hour.times[0]).toISOString()).toBe('2026-11-24T13:55:00.000Z');
    const half = roundTicks({ t0: T0, t1: T0 + 31_000 }, 1300);
    expect(half.step).toBe(5000);
    expect(half.times.map((t) => tickLabel(t, half.step, false))).toEqual([
      '13:50:30',
      '13:50:35',
      '13:50:40',
      '13:50:45',
      '13:50:50',
      '13:50:55',
      '13:51:00',
    ]);
  });

  it('labels the first tick and each midnight with the date, days by date alone', () => {
    expect(tickLabel(Date.UTC(2026, 10, 24, 14), H, true)).toBe('2026-11-24 14:00');
    expect(tickLabel(Date.UTC(2026, 10, 25), H, false)).toBe('2026-11-25 00:00');
    expect(tickLabel(Date.UTC(2026, 10, 25, 3), H, false)).toBe('03:00');
    expect(tickLabel(Date.UTC(2026, 10, 25), 24 * H, false)).toBe('2026-11-25');
  });

  it('zooms about a time that stays in place, and keeps the window inside the folder', () => {
    const full = { t0: 0, t1: 24 * H };
    const at = 6 * H;
    const z = zoomWindow(full, full, at, 0.5);
    expect(z).toEqual({ t0: 3 * H, t1: 15 * H });
    expect((at - z.t0) / (z.t1 - z.t0)).toBeCloseTo(at / (full.t1 - full.t0));
    // Out past the folder: the whole folder, no more.
    expect(zoomWindow(z, full, at, 10)).toEqual(full);
    // In past the smallest span: held at it.
    expect(zoomWindow(z, full, at, 1e-9).t1 - zoomWindow(z, full, at, 1e-9).t0).toBe(MIN_SPAN);
    // Pans stop at the edges without shrinking.
    expect(panWindow(z, full, 5)).toEqual({ t0: 12 * H, t1: 24 * H });
    expect(panWindow(z, full, -5)).toEqual({ t0: 0, t1: 12 * H });
    expect(clampWindow({ t0: -5, t1: 30 * H }, full)).toEqual(full);
  });
});
