// Live attach in the app: the page lists the fake cluster's contexts and pods, captures a
// 2-second CPU profile and a heap profile through client-node's port-forward into the real Go
// workload, and opens them with totals > 0; the library lists them; a 403 shows its error.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserServer, type BrowserServer } from '../../electron/server/browserServer';
import { createServices } from '../../electron/services/createServices';
import type { LiveService } from '../../electron/kube/liveService';
import { startFakeCluster, type FakeCluster } from '../k8s/cluster';
import type { FakeApiServer } from '../k8s/fakeApiServer';
import { activePanel, launchBrowser, openPage, screenshot } from './harness';

let cluster: FakeCluster;
let api: FakeApiServer;
let server: BrowserServer;
let browser: Browser;
let live: LiveService | undefined;
let page: Page;
let errors: string[];

beforeAll(async () => {
  cluster = await startFakeCluster('profscope-e2e-live-');
  ({ api } = cluster);
  const { dir } = cluster;
  const kubeconfig = cluster.writeKubeconfig('config', { context: 'fake-fleet' });
  server = await startBrowserServer({
    services: createServices({
      mode: 'browser',
      launchFiles: [],
      configDir: join(dir, 'config-dir'),
      dataDir: join(dir, 'data'),
      kubeconfig: { env: { KUBECONFIG: kubeconfig } },
      onLive: (l) => (live = l),
    }),
  });
  browser = await launchBrowser();
  ({ page, errors } = await openPage(browser, server.url));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await live?.shutdown();
  await server?.close();
  await cluster?.close();
});

async function captureOnce(kind: string, seconds?: number) {
  await page.getByTestId('capture-kind').selectOption(kind);
  if (seconds !== undefined) await page.getByTestId('capture-seconds').fill(String(seconds));
  const before = await page.getByTestId('capture-status').count();
  await page.getByTestId('capture-button').click();
  await expect.poll(() => page.getByTestId('capture-status').count()).toBe(before + 1);
  return page.getByTestId('capture-status').first();
}

describe('live attach in the app', () => {
  it('lists the fake cluster’s contexts and pods, with the Fleet preset', async () => {
    await page.getByTestId('connect-button').click();
    await expect.poll(() => page.getByTestId('context-select').inputValue()).toBe('fake-fleet');
    await expect.poll(() => page.getByTestId('pod-row').count()).toBe(5);
    await page.getByRole('button', { name: 'Fleet controller' }).click();
    await expect
      .poll(() => page.getByTestId('namespace-select').inputValue())
      .toBe('cattle-fleet-system');
    await expect.poll(() => page.getByTestId('pod-row').count()).toBe(1);
    const row = page.getByTestId('pod-row').first();
    await expect
      .poll(() => row.textContent())
      .toMatch(/fleet-controller-7d9f8b6c5d-x2x9q.*Running.*2\/2.*1.*node-1/);
    await row.click();
    await page
      .getByTestId('pod-detail')
      .getByRole('button', { name: "Go's localhost:6060" })
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'What does it offer?' }).click();
    await expect
      .poll(() => page.getByTestId('pprof-index').textContent(), { timeout: 20_000 })
      .toMatch(/heap.*profile/);
  });

  it('captures a 2-second CPU profile with a countdown and opens it with a total > 0', async () => {
    const status = await captureOnce('cpu', 2);
    await expect.poll(() => status.textContent()).toMatch(/s left/);
    await screenshot(page, 'live-connect-capturing');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    await page.getByRole('tab', { name: /fleet-controller-7d9f8b6c5d-x2x9q CPU/ }).waitFor();
    await page.getByTestId('connect-button').click(); // hide the panel; it keeps its state
    await expect
      .poll(() => activePanel(page).getByTestId('profile-total').getAttribute('data-value'), {
        timeout: 30_000,
      })
      .toMatch(/^[1-9]\d*/);
    await screenshot(page, 'live-cpu-tab');
  });

  it('captures a heap profile and opens it with a total > 0', async () => {
    await page.getByTestId('connect-button').click();
    const status = await captureOnce('heap');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    await page.getByRole('tab', { name: /fleet-controller-7d9f8b6c5d-x2x9q Heap/ }).waitFor();
    await page.getByTestId('connect-button').click();
    await expect
      .poll(() => activePanel(page).getByTestId('profile-total').getAttribute('data-value'), {
        timeout: 30_000,
      })
      .toMatch(/^[1-9]\d*/);
  });

  it('shows a 403 on pods/portforward as an RBAC error', async () => {
    await page.getByTestId('connect-button').click();
    await page.getByRole('button', { name: 'Stop' }).first().click(); // the open forward
    await expect.poll(() => page.getByTestId('forward-list').textContent()).toMatch(/None/);
    api.faults.forbidPortForward = true;
    try {
      const status = await captureOnce('goroutine');
      await expect.poll(() => status.getAttribute('data-state'), { timeout: 30_000 }).toBe('error');
      expect(await status.textContent()).toMatch(/RBAC must grant "create" on pods\/portforward/);
    } finally {
      api.faults.forbidPortForward = false;
    }
    await screenshot(page, 'live-connect-403');
  });

  it('lists the captures in the library and reopens one', async () => {
    await page.getByTestId('library-button').click();
    await expect.poll(() => page.getByTestId('library-row').count()).toBe(2);
    await page.getByTestId('library-search').fill('heap');
    await expect.poll(() => page.getByTestId('library-row').count()).toBe(1);
    const tabs = await page.getByRole('tab').count();
    await page.getByTestId('library-row').getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.getByRole('tab').count()).toBe(tabs + 1);
    await screenshot(page, 'live-library');
    expect(errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });
});
