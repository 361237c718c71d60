import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { goPprofTop } from './goPprof';
import type { BrowserServer } from '../../electron/server/browserServer';
import { activePanel, appSession, screenshot } from './harness';

const CPU = join(process.cwd(), 'test', 'fixtures', 'pprof', 'cpu.pb.gz');
const CONTINUOUS = join(process.cwd(), 'test', 'fixtures', 'continuous');

const session = appSession();

/** Every request the page makes, to prove nothing leaves the app's origin. */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  return urls;
}

/** Requests to anything but our server's two origins (the app's and speedscope's). */
function outsideTheApp(requests: string[], server: BrowserServer): string[] {
  const ours = [`http://127.0.0.1:${server.port}/`, `http://127.0.0.1:${server.speedscopePort}/`];
  return requests.filter(
    (u) =>
      !ours.some((o) => u.startsWith(o) || u.startsWith(`blob:${o}`)) && !u.startsWith('data:'),
  );
}

async function speedscopeFrame(page: Page): Promise<Frame> {
  const handle = await activePanel(page).getByTestId('speedscope-frame').elementHandle();
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error('no speedscope frame');
  return frame;
}

/** Opens speedscope's sandwich view and waits for a function's row in its table (DOM rows). */
async function expectInSpeedscopeSandwich(frame: Frame, name: string): Promise<void> {
  // The toolbar item is an icon glyph followed by the word.
  await frame.getByText(/^\W*Sandwich$/).click();
  await frame
    .getByText(name, { exact: true })
    .first()
    .waitFor({ state: 'visible', timeout: 15_000 });
}

describe('embedded speedscope', () => {
  it('shows a CPU fixture with its title and top function, offline', async () => {
    const { page, server } = await session.open([CPU]);
    const requests = recordRequests(page);
    await activePanel(page).getByTestId('profile-total').waitFor();
    await page.getByRole('tab', { name: 'speedscope', exact: true }).click();
    const frame = await speedscopeFrame(page);
    await frame.getByText('cpu.pb.gz').first().waitFor();
    // speedscope's frame is another origin: it cannot reach our page or its API.
    expect(frame.url()).toMatch(
      new RegExp(`^http://127.0.0.1:${server.speedscopePort}/speedscope/`),
    );
    const reach = await frame.evaluate(() => {
      try {
        return typeof (window.parent as unknown as { document: Document }).document;
      } catch {
        return 'blocked';
      }
    });
    expect(reach).toBe('blocked');
    await expectInSpeedscopeSandwich(frame, goPprofTop(['-nodecount=1', CPU]).rows[0].name);
    await screenshot(page, 'speedscope');
    expect(outsideTheApp(requests, server)).toEqual([]);
  });

  it('shows a merged range of continuous profiles through the export path', async () => {
    const { page, server } = await session.open([]);
    const requests = recordRequests(page);
    await page.getByTestId('open-folder').click();
    await page.getByTestId('folder-path').fill(CONTINUOUS);
    await page.getByTestId('folder-path').press('Enter');
    const bars = activePanel(page).getByTestId('timeline-bar');
    await expect.poll(() => bars.count()).toBe(6);
    const chart = (await activePanel(page).getByTestId('timeline-chart').boundingBox())!;
    await page.mouse.move(chart.x + 2, chart.y + 40);
    await page.mouse.down();
    await page.mouse.move(chart.x + chart.width - 2, chart.y + 40, { steps: 5 });
    await page.mouse.up();
    await activePanel(page).getByTestId('open-range').click();
    await activePanel(page).getByTestId('profile-total').waitFor();
    await page.getByRole('tab', { name: 'speedscope', exact: true }).click();
    const frame = await speedscopeFrame(page);
    const files = readdirSync(CONTINUOUS).map((f) => join(CONTINUOUS, f));
    await expectInSpeedscopeSandwich(frame, goPprofTop(['-nodecount=1', ...files]).rows[0].name);
    await screenshot(page, 'speedscope-merged');
    expect(outsideTheApp(requests, server)).toEqual([]);
  });
});
