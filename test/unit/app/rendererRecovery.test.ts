import { describe, expect, it } from 'vitest';
import {
  MAX_RELOADS,
  RELOAD_WINDOW_MS,
  RendererRecovery,
} from '../../../electron/rendererRecovery';

describe('RendererRecovery', () => {
  it('reloads after crashes, not after a clean exit or a failed launch', () => {
    const r = new RendererRecovery(() => 0);
    expect(r.shouldReload('clean-exit')).toBe(false);
    expect(r.shouldReload('launch-failed')).toBe(false);
    expect(r.shouldReload('integrity-failure')).toBe(false);
    expect(r.shouldReload('oom')).toBe(true);
  });

  it('stops after MAX_RELOADS within a minute, and starts again once they are older', () => {
    let now = 0;
    const r = new RendererRecovery(() => now);
    for (let i = 0; i < MAX_RELOADS; i++) expect(r.shouldReload('crashed')).toBe(true);
    expect(r.shouldReload('crashed')).toBe(false);
    now += RELOAD_WINDOW_MS;
    expect(r.shouldReload('crashed')).toBe(true);
  });
});
