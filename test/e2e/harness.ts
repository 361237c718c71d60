import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startBrowserServer, type BrowserServer } from '../../electron/server/browserServer';
import { createServices } from '../../electron/services/createServices';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium';

export const SHOTS_DIR = join(process.cwd(), 'test-output', 'screenshots');

export async function startApp(launchFiles: string[] = []): Promise<BrowserServer> {
  return startBrowserServer({
    services: createServices({
      mode: 'browser',
      launchFiles,
      configDir: mkdtempSync(join(tmpdir(), 'profscope-config-')),
    }),
  });
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export async function openPage(
  browser: Browser,
  url: string,
  opts: { dark?: boolean; width?: number; height?: number } = {},
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1400, height: opts.height ?? 860 },
    colorScheme: opts.dark ? 'dark' : 'light',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const path = join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** The visible tab's panel: hidden tabs stay mounted, so queries are scoped to the active one. */
export function activePanel(page: Page) {
  return page.getByRole('tabpanel');
}

/** A browser for the whole test file, and a fresh app server per `open`, all closed after the file. */
export function appSession() {
  let browser: Browser | undefined;
  const servers: BrowserServer[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all(servers.map((s) => s.close()));
  });
  return {
    async open(files: string[], opts: { dark?: boolean } = {}) {
      if (!browser) throw new Error('appSession: the browser is not up yet');
      const server = await startApp(files);
      servers.push(server);
      return { ...(await openPage(browser, server.url, opts)), server };
    },
  };
}
