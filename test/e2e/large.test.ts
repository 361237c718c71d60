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

  it('zoomed in, the flame graph fills in the detail of what is in view', async () => {
    const file = cachedProfile(40_000);
    const { page, errors } = await session.open([file]);
    const canvas = activePanel(page).getByTestId('flame-canvas');
    await canvas.waitFor({ timeout: 60_000 });
    const state = () =>
      canvas.evaluate((c: HTMLCanvasElement) => ({
        nodes: Number(c.dataset.nodes),
        drawn: Number(c.dataset.drawn),
      }));
    const whole = await state();
    // 0.7^12: about 70× in, around the middle.
    for (let i = 0; i < 12; i++) await page.keyboard.press('+');
    // Drawn at once from the whole-profile tree; the detail is asked for once the view rests.
    const coarse = await state();
    expect(coarse.nodes).toBe(whole.nodes);
    await expect
      .poll(async () => (await state()).nodes, { timeout: 30_000 })
      .toBeGreaterThan(whole.nodes);
    const detailed = await state();
    expect(detailed.drawn).toBeGreaterThan(coarse.drawn * 1.5);
    await screenshot(page, 'flame-zoom-detail');

    // Zoomed into a deep frame, the middle of the zoom path folds into one button.
    const box = (await canvas.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + 18 * 20 + 9);
    const crumbs = activePanel(page).getByTestId('breadcrumbs').getByRole('button');
    await activePanel(page).getByTestId('crumbs-folded').click();
    expect(await crumbs.count()).toBeGreaterThan(20);
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await state()).nodes).toBe(whole.nodes);
    expect(errors).toEqual([]);
  });
});
