// The app outliving its engine worker and its renderer: the worker is closed from inside (as a
// crash or `self.close()` leaves it: no event on the page's Worker object), the renderer is
// crashed through the DevTools protocol, and the open tabs come back with their numbers.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page, Worker } from 'playwright-core';
import { cachedProfile } from '../bench/generate';
import { activePanel, appSession, screenshot } from './harness';

const session = appSession();
const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'pprof');
const CPU = join(FIXTURES, 'cpu.pb.gz');
const HEAP = join(FIXTURES, 'heap.pb.gz');
/** Over 4 MiB gzipped: inflated by a worker of its own, so decoding takes long enough to interrupt. */
const BIG_SAMPLES = 40_000;

const profileTabs = (page: Page) =>
  page.getByRole('tablist', { name: 'Open profiles' }).getByRole('tab');

const engineWorkers = (page: Page): Worker[] =>
  page.workers().filter((w) => /engine\.worker/.test(w.url()));

/** By its title: where tabs are narrow, the middle of one can be its close button. */
const selectTab = (page: Page, index: number) =>
  profileTabs(page).nth(index).locator('.tab-title').click();

/** Each tab's title and total, read tab by tab from what is on screen. */
async function totals(page: Page, count?: number): Promise<[string, number][]> {
  const out: [string, number][] = [];
  const tabs = profileTabs(page);
  for (let i = 0; i < (count ?? (await tabs.count())); i++) {
    await selectTab(page, i);
    const total = activePanel(page).getByTestId('profile-total');
    await total.waitFor({ timeout: 60_000 });
    const title = (await tabs.nth(i).locator('.tab-title').textContent()) ?? '';
    out.push([title, Number(await total.getAttribute('data-value'))]);
  }
  return out;
}

/** Every tab's Top table, which only a live engine holding the profile can answer. */
async function topTablesAnswer(page: Page): Promise<void> {
  const tabs = profileTabs(page);
  for (let i = 0; i < (await tabs.count()); i++) {
    await selectTab(page, i);
    await activePanel(page).getByRole('tab', { name: 'Top', exact: true }).click();
    await activePanel(page).getByTestId('top-table').waitFor({ timeout: 30_000 });
  }
}

describe('recovery', () => {
  it('restarts a dead engine worker and reopens the tabs; the one it was decoding says why', async () => {
    const big = cachedProfile(BIG_SAMPLES);
    const { page, errors } = await session.open([CPU, HEAP]);
    await expect.poll(() => profileTabs(page).count()).toBe(2);
    // A dropped file: its bytes are read again from the File the page still holds.
    await page.getByTestId('file-input').setInputFiles(CPU);
    await expect.poll(() => profileTabs(page).count()).toBe(3);
    const before = await totals(page);
    expect(before.map(([title]) => title)).toEqual(['cpu.pb.gz', 'heap.pb.gz', 'cpu.pb.gz']);
    expect(engineWorkers(page)).toHaveLength(1);
    const dying = engineWorkers(page)[0];

    await page.getByTestId('file-input').setInputFiles(big);
    await activePanel(page).getByTestId('decode-progress').waitFor({ timeout: 60_000 });
    await dying.evaluate(() => self.close());

    const err = activePanel(page).getByTestId('tab-error');
    await err.waitFor({ timeout: 30_000 });
    expect(await err.textContent()).toMatch(
      new RegExp(`synthetic-${BIG_SAMPLES}\\.pb\\.gz: the profile engine stopped .*restarted`),
    );
    await page.getByRole('button', { name: `Close synthetic-${BIG_SAMPLES}.pb.gz` }).click();
    await expect.poll(() => engineWorkers(page).length).toBe(1);
    expect(engineWorkers(page)[0]).not.toBe(dying);
    // The reopened tabs: the same numbers, and views the new engine answers.
    expect(await totals(page)).toEqual(before);
    await selectTab(page, 0);
    await activePanel(page).getByTestId('flame-canvas').waitFor();
    await screenshot(page, 'recovery-engine-restarted');
    await topTablesAnswer(page);
    expect(errors).toEqual([]);
  });

  it('a reload reopens the tabs; after an unclean end, all but the one that was loading', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recovery-'));
    const slow = join(dir, 'slow-cpu.pb.gz');
    copyFileSync(CPU, slow);
    const { page, errors } = await session.open([CPU, HEAP, slow]);
    const tabs = profileTabs(page);
    await expect.poll(() => tabs.count()).toBe(3);
    const before = await totals(page);
    const slowTab = () => tabs.nth(2).getAttribute('class');

    // From now on the slow file's reads never answer: its tab stays loading.
    await page.route('**/api/*', (route) =>
      route.request().postData()?.includes('slow-cpu') ? undefined : route.continue(),
    );
    await page.reload();
    await expect.poll(() => tabs.count()).toBe(3);
    expect(await totals(page, 2)).toEqual(before.slice(0, 2));
    expect(await slowTab()).toMatch(/tab-loading/);

    // A plain reload reopens the tab that was loading.
    await page.reload();
    await expect.poll(() => tabs.count()).toBe(3);
    await expect.poll(slowTab).toMatch(/tab-loading/);
    // The other two loaded before the page ends: only a tab still loading then is held back.
    expect(await totals(page, 2)).toEqual(before.slice(0, 2));

    // A crashed renderer ends without `pagehide`. Playwright gives up on a page whose renderer
    // crashed (Page.crash, then reload, fails with "page closed"), so here the page's goodbye
    // (`pagehide` marking the saved tabs clean) is kept from being written; Electron's reload
    // after `render-process-gone` is checked in test/unit/app/electronMain.test.ts.
    await page.evaluate(() => {
      Storage.prototype.setItem = () => undefined;
    });
    await page.reload();
    await expect.poll(() => tabs.count()).toBe(3);
    expect(await totals(page, 2)).toEqual(before.slice(0, 2));
    await expect.poll(slowTab).toMatch(/tab-error/);
    await selectTab(page, 2);
    expect(await activePanel(page).getByTestId('tab-error').textContent()).toMatch(
      /slow-cpu\.pb\.gz was still loading when the window stopped/,
    );
    await screenshot(page, 'recovery-unclean-reload');
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    expect(errors).toEqual([]);
  });
});
