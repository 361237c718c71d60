import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import { cachedProfile } from '../bench/generate';
import { decodeProfile, exportSpeedscope } from '../../renderer/model';
import {
  measureSpeedscopeExport,
  SPEEDSCOPE_SLOW_STACK_FRAMES,
} from '../../renderer/views/speedscopeSize';
import { nodeGunzip } from '../../electron/nodeGunzip';
import { goPprofTop } from './goPprof';
import type { BrowserServer } from '../../electron/server/browserServer';
import { activePanel, appSession, launchBrowser, screenshot } from './harness';
import { routeSpeedscope } from '../../electron/server/appRoutes';
import { rendererCsp } from '../../electron/csp';
import {
  ELECTRON_APP_HOST,
  ELECTRON_ORIGINS,
  ELECTRON_SPEEDSCOPE_HOST,
} from '../../electron/origins';

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
  const ours = [`http://127.0.0.1:${server.port}/`, `http://localhost:${server.speedscopePort}/`];
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

/**
 * Whether the page answers while speedscope's main thread spins for 4 s, as on a huge
 * profile: a frame of the page's own site shares its process and main thread, and then the
 * page cannot answer before the spin ends.
 */
async function answersWhileBusy(page: Page, frame: Frame): Promise<boolean> {
  const spun = frame.evaluate(() => {
    const end = Date.now() + 4_000;
    while (Date.now() < end);
    return end;
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const answered = await page.evaluate(
    () => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(Date.now()))),
  );
  return answered < (await spun);
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
      new RegExp(`^http://localhost:${server.speedscopePort}/speedscope/`),
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

  it('runs in a process of its own: a busy speedscope leaves the page answering', async () => {
    const { page } = await session.open([CPU]);
    await activePanel(page).getByTestId('profile-total').waitFor();
    await page.getByRole('tab', { name: 'speedscope', exact: true }).click();
    const frame = await speedscopeFrame(page);
    await frame.getByText('cpu.pb.gz').first().waitFor();
    expect(await answersWhileBusy(page, frame)).toBe(true);
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

describe("speedscope on Electron's origins", () => {
  let browser: Browser | undefined;
  afterAll(() => browser?.close());

  it('is another site than the page, so Chromium gives it a process of its own', async () => {
    browser = await launchBrowser();
    const context = await browser.newContext();
    // What main.ts's protocol handler answers, for the two hosts only: the same routes and CSPs.
    await context.route(/^https:\/\//, async (route) => {
      const url = new URL(route.request().url());
      const probe = `<!doctype html><iframe src="${ELECTRON_ORIGINS.speedscope}/speedscope/index.html"></iframe>`;
      const file =
        url.host === ELECTRON_APP_HOST && url.pathname === '/probe.html'
          ? {
              body: Buffer.from(probe),
              contentType: 'text/html',
              headers: { 'content-security-policy': rendererCsp(ELECTRON_ORIGINS) },
            }
          : url.host === ELECTRON_SPEEDSCOPE_HOST
            ? await routeSpeedscope(url.pathname, ELECTRON_ORIGINS)
            : null;
      if (!file) return route.fulfill({ status: 404 });
      return route.fulfill({
        status: 200,
        body: file.body,
        headers: { 'content-type': file.contentType, ...file.headers },
      });
    });
    const page = await context.newPage();
    await page.goto(`${ELECTRON_ORIGINS.app}/probe.html`);
    const handle = await page.locator('iframe').elementHandle();
    const frame = (await handle?.contentFrame())!;
    // speedscope's welcome page, drawn: its CSP let it start inside our page's frame.
    await frame
      .getByText(/Drag and drop/)
      .first()
      .waitFor();
    expect(await answersWhileBusy(page, frame)).toBe(true);
  });
});

describe('a view too large for speedscope', () => {
  it('says so before loading it; a filter or a click loads it', async () => {
    const file = cachedProfile(200_000);
    const profile = await decodeProfile(readFileSync(file), { gunzip: nodeGunzip });
    const size = measureSpeedscopeExport(exportSpeedscope(profile, {}, 'x'));
    expect(size.stackFrames).toBeGreaterThan(SPEEDSCOPE_SLOW_STACK_FRAMES);

    const { page, errors } = await session.open([file]);
    const requests = recordRequests(page);
    await activePanel(page).getByTestId('profile-total').waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'speedscope', exact: true }).click();
    const warning = activePanel(page).getByTestId('speedscope-large-warning');
    await warning.waitFor({ timeout: 60_000 });
    expect(await warning.getByTestId('speedscope-stack-frames').textContent()).toBe(
      size.stackFrames.toLocaleString('en-US'),
    );
    // Nothing of speedscope is loaded until asked for.
    expect(await activePanel(page).getByTestId('speedscope-frame').count()).toBe(0);
    expect(requests.filter((u) => u.includes('/speedscope/'))).toEqual([]);
    await screenshot(page, 'speedscope-large-warning');

    // A filter that makes it small enough loads it straight away.
    await activePanel(page).getByTestId('filter-tagFocus').fill('controller=agent');
    await activePanel(page).getByTestId('filter-tagFocus').press('Enter');
    await activePanel(page).getByTestId('speedscope-frame').waitFor({ timeout: 60_000 });

    await activePanel(page).getByTestId('filter-tagFocus').fill('');
    await activePanel(page).getByTestId('filter-tagFocus').press('Enter');
    await warning.waitFor({ timeout: 60_000 });
    await warning.getByTestId('speedscope-load-anyway').click();
    const frame = activePanel(page).getByTestId('speedscope-frame');
    await frame.waitFor();
    expect(await frame.getAttribute('src')).toMatch(/#profileURL=/);
    expect(errors).toEqual([]);
  });
});
