import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cachedProfile } from '../bench/generate';
import { goPprofTop } from './goPprof';
import { activePanel, appSession, screenshot } from './harness';

const session = appSession();

// Profiles above 4 MiB gzipped inflate in a worker of their own (renderer/worker/workerGunzip.ts);
// the fixtures are far smaller, so this one is generated.
describe('a large profile', () => {
  it('inflates beside the engine with pprof totals, and a truncated copy names the file', async () => {
    const file = cachedProfile(40_000);
    expect(statSync(file).size).toBeGreaterThan(4 << 20);
    const { page, errors } = await session.open([file]);
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    await page.reload();
    const total = activePanel(page).getByTestId('profile-total');
    await total.waitFor({ timeout: 60_000 });
    const ref = goPprofTop(['-nodecount=1', file]);
    expect(
      Math.abs(Number(await total.getAttribute('data-value')) - ref.total),
    ).toBeLessThanOrEqual(ref.totalPrecision);
    expect(workers.some((u) => /inflate\.worker/.test(u))).toBe(true);
    await activePanel(page).getByTestId('flame-canvas').waitFor();
    await screenshot(page, 'large-profile');

    const bytes = readFileSync(file);
    await page.getByTestId('file-input').setInputFiles({
      name: 'cut-short.pb.gz',
      mimeType: 'application/octet-stream',
      buffer: bytes.subarray(0, Math.floor(bytes.length * 0.6)),
    });
    const err = activePanel(page).getByTestId('tab-error');
    await err.waitFor({ timeout: 60_000 });
    expect(await err.textContent()).toMatch(/cut-short\.pb\.gz/);
    expect(await err.textContent()).toMatch(/truncated gzip/);
    expect(errors).toEqual([]);
  });
});
