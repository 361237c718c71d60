// A self-scheduling poller: the next tick is planned only once the previous one has finished,
// so a slow IPC answer can never make ticks pile up or run side by side (setInterval, or an
// effect that re-runs on every answer, can do both).

/** Holds the tick in flight, shared by successive pollers of one component (a useRef). */
export interface TickGate {
  current: Promise<void> | null;
}

/**
 * Runs `tick` now (once any tick of an earlier poller sharing `gate` has finished), then
 * again `delayMs` after each one ends, until the returned stop function is called. `tick`
 * gets `isLive` to check before it applies its results: a tick in flight when the poller is
 * stopped still finishes, but must not overwrite what a newer poller set. A failing tick is
 * ignored; the next one is still scheduled.
 */
export function startPolling(
  tick: (isLive: () => boolean) => Promise<void>,
  delayMs: number,
  gate: TickGate,
): () => void {
  let live = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const isLive = () => live;
  const step = async (): Promise<void> => {
    // The poller this one replaced may still be waiting on an answer: never overlap it.
    while (gate.current) await gate.current;
    if (!live) return;
    const running = tick(isLive).catch(() => undefined);
    gate.current = running;
    try {
      await running;
    } finally {
      if (gate.current === running) gate.current = null;
    }
    if (live) timer = setTimeout(() => void step(), delayMs);
  };
  void step();
  return () => {
    live = false;
    if (timer !== undefined) clearTimeout(timer);
  };
}
