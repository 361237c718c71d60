// What to do when the window's renderer process goes away (Electron's `render-process-gone`).

/** Reasons Electron gives for which a reload can help: the process died of something passing. */
const RELOADABLE: ReadonlySet<string> = new Set(['crashed', 'oom', 'killed', 'abnormal-exit']);

/** More reloads than this within the window means the page cannot come up: stop and say so. */
export const MAX_RELOADS = 3;
export const RELOAD_WINDOW_MS = 60_000;

/**
 * Decides, crash by crash, whether to reload the window. The page reopens its tabs from
 * sessionStorage, except a tab that was still loading (its profile may be the cause), so a
 * reload does not normally crash again; the limit is for when it does anyway.
 */
export class RendererRecovery {
  private reloads: number[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  shouldReload(reason: string): boolean {
    // clean-exit is a normal end; launch-failed and integrity-failure would only repeat.
    if (!RELOADABLE.has(reason)) return false;
    const t = this.now();
    this.reloads = this.reloads.filter((r) => t - r < RELOAD_WINDOW_MS);
    if (this.reloads.length >= MAX_RELOADS) return false;
    this.reloads.push(t);
    return true;
  }
}
