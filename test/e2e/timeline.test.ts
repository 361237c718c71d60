import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { BrowserServer } from '../../electron/server/browserServer';
import { goPprofTop } from './goPprof';
import { activePanel, launchBrowser, openPage, screenshot, startApp } from './harness';

const CONTINUOUS = join(process.cwd(), 'test', 'fixtures', 'continuous');
const files = readdirSync(CONTINUOUS)
  .sort()
  .map((f) => join(CONTINUOUS, f));

let browser: Browser;
let server: BrowserServer;

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startApp([]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('continuous profiles timeline', () => {
  it('shows one bar per file with pprof totals, merges a range and compares two', async () => {
    const { page, errors } = await openPage(browser, server.url);
    await page.getByTestId('open-folder').click();
    await page.getByTestId('folder-path').fill(CONTINUOUS);
    await page.getByTestId('folder-path').press('Enter');
    const bars = activePanel(page).getByTestId('timeline-bar');
    await expect.poll(() => bars.count()).toBe(files.length);
    const totals = await bars.evaluateAll((rects) =>
      rects.map((r) => ({
        name: r.getAttribute('data-name'),
        total: Number(r.getAttribute('data-total')),
      })),
    );
    for (const file of files) {
      const ref = goPprofTop(['-nodecount=1', file]);
      const ours = totals.find((t) => file.endsWith(t.name ?? '-'));
      expect(Math.abs(ours!.total - ref.total), file).toBeLessThanOrEqual(ref.totalPrecision);
    }
    await page.getByText(/6 profiles of fleetcontroller/).waitFor();

    // Hover a bar: its time, duration, total and top function.
    await bars.first().hover();
    const tip = await activePanel(page).getByTestId('timeline-tooltip').textContent();
    expect(tip).toMatch(/2026-11-24 13:50:29 UTC/);
    expect(tip).toMatch(/top /);
    await screenshot(page, 'timeline');

    const chart = (await activePanel(page).getByTestId('timeline-chart').boundingBox())!;
    const drag = async (from: number, to: number, shift = false) => {
      if (shift) await page.keyboard.down('Shift');
      await page.mouse.move(chart.x + chart.width * from, chart.y + 30);
      await page.mouse.down();
      await page.mouse.move(chart.x + chart.width * to, chart.y + 30, { steps: 5 });
      await page.mouse.up();
      if (shift) await page.keyboard.up('Shift');
    };
    // A: everything. The merged top function equals go tool pprof -top of all the files.
    await drag(0.01, 0.995);
    await activePanel(page).getByTestId('open-range').click();
    await page.getByRole('tab', { name: 'Top', exact: true }).click();
    const first = activePanel(page).locator('[data-testid=top-table] tbody tr[data-name]').first();
    await first.waitFor();
    const merged = goPprofTop(['-nodecount=3', ...files]);
    expect(await first.getAttribute('data-name')).toBe(merged.rows[0].name);
    expect(
      Math.abs(Number(await first.getAttribute('data-flat')) - merged.rows[0].flat),
    ).toBeLessThanOrEqual(0.005e9);

    // Back to the timeline: A = first half, B = second half, compare.
    await page.getByRole('tab', { name: /continuous\// }).click();
    await expect
      .poll(() => activePanel(page).getByTestId('timeline-bar').count())
      .toBe(files.length);
    await drag(0.01, 0.45);
    await drag(0.55, 0.995, true);
    await activePanel(page).getByTestId('compare-ranges').click();
    await activePanel(page).getByTestId('diff-legend').waitFor();
    await activePanel(page)
      .getByTestId('top-table')
      .locator('tbody tr[data-name]')
      .first()
      .waitFor();
    await screenshot(page, 'timeline-compare');
    expect(errors).toEqual([]);
  });

  it('watches the folder: new files appear, a partial file waits until it is whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'profscope-watch-'));
    copyFileSync(files[0], join(dir, basename(files[0])));
    copyFileSync(files[1], join(dir, basename(files[1])));
    const { page } = await openPage(browser, server.url);
    await page.getByTestId('open-folder').click();
    await page.getByTestId('folder-path').fill(dir);
    await page.getByTestId('folder-path').press('Enter');
    const bars = activePanel(page).getByTestId('timeline-bar');
    await expect.poll(() => bars.count()).toBe(2);

    // A file being written: the first half of a profile. It is not a bar, and it says why.
    const whole = readFileSync(files[2]);
    const target = join(dir, basename(files[2]));
    writeFileSync(target, whole.subarray(0, whole.length >> 1));
    await activePanel(page).getByTestId('timeline-incomplete').waitFor({ timeout: 15_000 });
    expect(await bars.count()).toBe(2);
    writeFileSync(target, whole);
    await expect.poll(() => bars.count(), { timeout: 15_000 }).toBe(3);
    expect(await activePanel(page).getByTestId('timeline-incomplete').count()).toBe(0);
  });
});
