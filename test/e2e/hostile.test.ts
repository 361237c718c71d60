// The app over the hostile corpus (test/hostile/): a normal profile and then every hostile file
// open as tabs; each shows an error naming it or a view, no payload runs, the page keeps
// answering, the normal tab is untouched, and the renderer (the page with its engine and
// inflate workers) stays within a memory bound. Decompression bombs once took it to 3–4.4 GB.
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { HOSTILE, NORMAL_PROFILE, hostileFile } from '../hostile/corpus';
import { chromiumMemory } from '../hostile/procMemory';
import { activePanel, appSession, screenshot } from './harness';

const session = appSession();

/** The file's tab in the tab bar (by its title: its accessible name includes its close button's). */
function fileTab(page: Page, name: string): Locator {
  return page.locator('.tabs [role=tab]').filter({
    has: page.locator('.tab-title', { hasText: new RegExp(`^${name.replace(/\./g, '\\.')}$`) }),
  });
}

/**
 * Peak RSS of the renderer: the page, React and both workers take ~150–250 MiB; each bomb is
 * refused after at most 16 MiB inflated, and the largest real case here (10⁶ locations) holds
 * some 100 MiB. Before inflation was bounded, one bomb alone took it past 2 GiB.
 */
const RENDERER_BOUND_MIB = 1024;

describe('hostile files in the app', () => {
  it('each opens as an error naming it or a view; the page answers, the normal tab is untouched', async () => {
    const files = [NORMAL_PROFILE, ...HOSTILE.map(hostileFile)];
    const { page, errors } = await session.open(files);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });

    const normalTab = fileTab(page, basename(NORMAL_PROFILE));
    await normalTab.locator('.tab-title').click();
    const total = activePanel(page).getByTestId('profile-total');
    await total.waitFor({ timeout: 60_000 });
    const normalTotal = await total.getAttribute('data-value');

    // All tabs settle: none still loading.
    await expect
      .poll(() => page.locator('[role=tab].tab-loading').count(), { timeout: 120_000 })
      .toBe(0);
    for (const c of HOSTILE) {
      const started = Date.now();
      // The page answers while and after the files are decoded.
      expect(await page.evaluate(() => 1 + 1)).toBe(2);
      expect(Date.now() - started, `${c.name}: page answered late`).toBeLessThan(5_000);
      const tab = fileTab(page, c.name);
      // On the title: a short tab's middle can be its close button.
      await tab.locator('.tab-title').click();
      await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
      if (c.expect === 'view') {
        await activePanel(page).getByTestId('profile-total').waitFor({ timeout: 30_000 });
      } else {
        const err = activePanel(page).getByTestId('tab-error');
        // The panel switches after the click: wait for this file's.
        await expect
          .poll(() => err.textContent({ timeout: 30_000 }), { timeout: 30_000 })
          .toContain(c.name);
        const text = (await err.textContent()) ?? '';
        expect(text, c.name).toMatch(c.expect);
      }
    }
    await fileTab(page, 'script-strings.pb.gz').locator('.tab-title').click();
    await activePanel(page).getByTestId('flame-canvas').waitFor();
    await page.getByRole('tab', { name: 'Top', exact: true }).click();
    await screenshot(page, 'hostile-script-strings');

    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBe(
      undefined,
    );
    expect(dialogs).toEqual([]);
    await normalTab.locator('.tab-title').click();
    await activePanel(page).getByTestId('flame-canvas').waitFor();
    expect(await activePanel(page).getByTestId('profile-total').getAttribute('data-value')).toBe(
      normalTotal,
    );

    // This process's Chromium (playwright's Browser does not give its pid).
    const renderers = chromiumMemory(process.pid).filter((m) => m.type === 'renderer');
    expect(renderers.length).toBeGreaterThan(0);
    const peak = Math.max(...renderers.map((m) => m.hwmMiB));
    expect(peak, JSON.stringify(renderers)).toBeLessThan(RENDERER_BOUND_MIB);
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
