// Continuous capture's period wait: one abort listener at a time, however many periods pass.
import { getEventListeners } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaptureRequest, LibraryEntry } from '../../../electron/contract';
import type { CaptureManager } from '../../../electron/kube/capture';
import { ContinuousManager } from '../../../electron/kube/continuous';
import { Library } from '../../../electron/kube/library';
import { fakeTarget as target } from './fixtures';

describe('ContinuousManager', () => {
  it('does not pile up abort listeners, one per period', async () => {
    let signal: AbortSignal | null = null;
    let runs = 0;
    // Each capture fails at once, so the loop spends its time in the period wait.
    const captures = {
      run(_req: CaptureRequest, s: AbortSignal): Promise<LibraryEntry> {
        signal = s;
        runs++;
        return Promise.reject(new Error('pod not answering'));
      },
    } as unknown as CaptureManager;
    const m = new ContinuousManager(
      captures,
      new Library(mkdtempSync(join(tmpdir(), 'profscope-cont-'))),
    );
    const info = m.start({ targets: [target], periodSec: 0.01, component: 'app' });
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      while (runs < 30) await new Promise((r) => setTimeout(r, 5));
      expect(signal).not.toBeNull();
      expect(getEventListeners(signal!, 'abort').length).toBeLessThanOrEqual(1);
      await m.stop(info.id);
      expect(getEventListeners(signal!, 'abort')).toHaveLength(0);
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
      const [job] = m.list();
      expect(job.running).toBe(false);
      expect(job.errors).toBeGreaterThanOrEqual(30);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('reports a loop that throws outside its capture as an error, not a crash', async () => {
    const captures = {} as CaptureManager; // no run(): calling it throws a TypeError
    const m = new ContinuousManager(
      captures,
      new Library(mkdtempSync(join(tmpdir(), 'profscope-cont-'))),
    );
    const info = m.start({ targets: [target], periodSec: 0.01, component: 'app' });
    await m.stop(info.id);
    const [job] = m.list();
    expect(job.running).toBe(false);
  });
});
