// The live panel's poller: ticks never overlap, also across a restart, and stop for good.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startPolling, type TickGate } from '../../../renderer/live/poll';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A tick that takes `ms` of (fake) time and records how many ran at once. */
function slowTick(ms: number) {
  const stats = { calls: 0, inFlight: 0, maxInFlight: 0 };
  const tick = async () => {
    stats.calls++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    await new Promise((r) => setTimeout(r, ms));
    stats.inFlight--;
  };
  return { stats, tick };
}

describe('startPolling', () => {
  it('schedules the next tick only after the previous one ends', async () => {
    const gate: TickGate = { current: null };
    const { stats, tick } = slowTick(1000);
    const stop = startPolling(tick, 250, gate);
    // 1000 ms tick + 250 ms pause: 4 ticks start in 5 s, never two at once.
    await vi.advanceTimersByTimeAsync(4999);
    expect(stats.calls).toBe(4);
    expect(stats.maxInFlight).toBe(1);
    stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(stats.calls).toBe(4);
    expect(stats.inFlight).toBe(0);
  });

  it('a restarted poller waits for the tick still in flight', async () => {
    const gate: TickGate = { current: null };
    const { stats, tick } = slowTick(1000);
    const stopA = startPolling(tick, 2000, gate);
    await vi.advanceTimersByTimeAsync(100);
    stopA(); // as when the effect re-runs: a capture started
    const stopB = startPolling(tick, 250, gate);
    await vi.advanceTimersByTimeAsync(100);
    expect(stats.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(stats.calls).toBe(2);
    expect(stats.maxInFlight).toBe(1);
    stopB();
  });

  it('keeps polling after a failing tick, and tells a stopped tick it is stale', async () => {
    const gate: TickGate = { current: null };
    const seen: boolean[] = [];
    let calls = 0;
    const stop = startPolling(
      async (isLive) => {
        calls++;
        await new Promise((r) => setTimeout(r, 10));
        seen.push(isLive());
        if (calls === 1) throw new Error('IPC failed');
      },
      100,
      gate,
    );
    await vi.advanceTimersByTimeAsync(115);
    expect(calls).toBe(2);
    stop();
    await vi.advanceTimersByTimeAsync(20);
    expect(seen).toEqual([true, false]);
  });
});
