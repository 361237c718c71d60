// Live attach in the app: the page lists the fake cluster's contexts and pods (on the context's
// namespace, as kubectl does), captures a 2-second CPU profile and a heap profile through
// client-node's port-forward into the real Go workload, and opens them with totals > 0; the
// library lists them; a 403 shows its error; a user who may not list pods cluster-wide sees
// that said plainly and the context's namespace instead.
import { writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserServer, type BrowserServer } from '../../electron/server/browserServer';
import { createServices } from '../../electron/services/createServices';
import type { LiveService } from '../../electron/kube/liveService';
import { startFakeCluster, type FakeCluster } from '../k8s/cluster';
import { kubeconfigFor, type FakeApiServer } from '../k8s/fakeApiServer';
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
  const kubeconfig = cluster.writeKubeconfig('config', {
    context: 'fake-fleet',
    namespace: 'cattle-fleet-system',
  });
  // A second kubeconfig file: a user allowed pods only in cattle-fleet-system (a RoleBinding),
  // so listing pods in all namespaces is a 403.
  const token = 'restricted-token-0123456789';
  api.users.push({
    token,
    name: 'system:serviceaccount:cattle-fleet-system:dev',
    rules: [{ namespaces: ['cattle-fleet-system'], resources: ['pods'], verbs: ['get', 'list'] }],
  });
  const restricted = join(dir, 'restricted');
  writeFileSync(
    restricted,
    kubeconfigFor({ url: api.url, token }, cluster.certs.caFile, {
      context: 'restricted',
      cluster: 'restricted-cluster',
      user: 'restricted-user',
      namespace: 'cattle-fleet-system',
    }),
  );
  server = await startBrowserServer({
    services: createServices({
      mode: 'browser',
      launchFiles: [],
      configDir: join(dir, 'config-dir'),
      dataDir: join(dir, 'data'),
      kubeconfig: { env: { KUBECONFIG: [kubeconfig, restricted].join(delimiter) } },
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
  it('starts on the context’s namespace; another is typed, all of them ticked', async () => {
    await page.getByTestId('connect-button').click();
    await expect.poll(() => page.getByTestId('context-select').inputValue()).toBe('fake-fleet');
    await expect
      .poll(() => page.getByTestId('namespace-input').inputValue())
      .toBe('cattle-fleet-system');
    await expect.poll(() => page.getByTestId('pod-row').count()).toBe(1);
    await page.getByTestId('namespace-input').fill('default');
    await page.getByTestId('namespace-input').press('Enter');
    await expect.poll(() => page.getByTestId('pod-row').count()).toBe(2);
    await page.getByTestId('all-namespaces').check();
    await expect.poll(() => page.getByTestId('pod-row').count()).toBe(5);
    expect(await page.getByTestId('live-notice').count()).toBe(0);
  });

  it('lists the fake cluster’s contexts and pods, with the Fleet preset', async () => {
    await page.getByRole('button', { name: 'Fleet controller' }).click();
    await expect
      .poll(() => page.getByTestId('namespace-input').inputValue())
      .toBe('cattle-fleet-system');
    expect(await page.getByTestId('all-namespaces').isChecked()).toBe(false);
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
      // What was refused, and the RBAC rule that would allow it.
      expect(await status.textContent()).toMatch(
        /cannot create resource "pods\/portforward".*resources: \["pods\/portforward"\], verbs: \["create"\]/s,
      );
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
  });

  it('captures from a URL through an open forward, which then shows no stale error', async () => {
    // The 403 above left its error on the forward; the fault is gone, so the next connection
    // through the same forward succeeds and the error must go with it.
    const forward = await live!.startForward({
      context: 'fake-fleet',
      namespace: 'cattle-fleet-system',
      pod: 'fleet-controller-7d9f8b6c5d-x2x9q',
      container: null,
      port: 6060,
      pathPrefix: '/debug/pprof',
    });
    await page.getByTestId('connect-button').click();
    await expect.poll(() => page.getByTestId('forward-error').count()).toBeGreaterThan(0);
    await page.getByTestId('url-capture-url').fill(`http://127.0.0.1:${forward.localPort}`);
    await page.getByTestId('url-capture-kind').selectOption('goroutine');
    const before = await page.getByTestId('capture-status').count();
    await page.getByTestId('url-capture-button').click();
    await expect.poll(() => page.getByTestId('capture-status').count()).toBe(before + 1);
    const status = page.getByTestId('capture-status').first();
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    await page
      .getByRole('tab', { name: new RegExp(`127\\.0\\.0\\.1:${forward.localPort} Goroutines`) })
      .waitFor();
    await expect.poll(() => page.getByTestId('forward-error').count(), { timeout: 5_000 }).toBe(0);
    expect(await page.getByTestId('forward-row').first().getAttribute('data-state')).toBe('open');
    await page.getByTestId('connect-button').click();
    await expect
      .poll(() => activePanel(page).getByTestId('profile-total').getAttribute('data-value'), {
        timeout: 30_000,
      })
      .toMatch(/^[1-9]\d*/);
  });

  it('compares and merges two captures selected in the library', async () => {
    // A second goroutine profile from the same URL, so two of one kind are in the library.
    await page.getByTestId('connect-button').click();
    const before = await page.getByTestId('capture-status').count();
    await page.getByTestId('url-capture-button').click();
    await expect.poll(() => page.getByTestId('capture-status').count()).toBe(before + 1);
    await expect
      .poll(() => page.getByTestId('capture-status').first().getAttribute('data-state'), {
        timeout: 30_000,
      })
      .toBe('done');
    await page.getByTestId('library-button').click();
    await page.getByTestId('library-search').fill('goroutine');
    await expect.poll(() => page.getByTestId('library-row').count()).toBe(2);
    const openTabs = page.getByRole('tablist', { name: 'Open profiles' }).getByRole('tab');
    const tabs = await openTabs.count();
    for (const box of await page.getByTestId('library-select').all()) await box.check();
    await page.getByTestId('library-compare').click();
    await expect.poll(() => openTabs.count()).toBe(tabs + 2);
    await activePanel(page).getByTestId('diff-legend').waitFor({ timeout: 30_000 });
    await page.getByTestId('library-merge').click(); // the panel stays open, the two still ticked
    await expect.poll(() => openTabs.count()).toBe(tabs + 3);
    await expect
      .poll(() => activePanel(page).getByTestId('profile-total').getAttribute('data-value'), {
        timeout: 30_000,
      })
      .toMatch(/^[1-9]\d*/);
  });

  it('says plainly when all namespaces are refused, and shows the context’s own', async () => {
    await page.getByTestId('connect-button').click();
    await page.getByTestId('context-select').selectOption('restricted');
    await expect
      .poll(() => page.getByTestId('namespace-input').inputValue())
      .toBe('cattle-fleet-system');
    await expect.poll(() => page.getByTestId('pod-row').count()).toBe(1);
    // Listing namespaces is refused too: the field takes free text, with no list offered.
    await expect.poll(() => page.getByTestId('live-notice').count()).toBe(1);
    expect(await page.getByTestId('live-notice').textContent()).toMatch(/namespaces/);
    expect(await page.getByTestId('namespace-input').getAttribute('list')).toBeNull();
    await page.getByTestId('all-namespaces').check();
    await expect
      .poll(() => page.getByTestId('live-notice').allTextContents())
      .toContainEqual(expect.stringMatching(/forbidden.*showing namespace "cattle-fleet-system"/s));
    expect(await page.getByTestId('pod-row').count()).toBe(1);
    expect(await page.getByTestId('live-error').count()).toBe(0);
    // Refresh asks again: the same refusal, the same fallback, no error.
    await page.getByTestId('pods-refresh').click();
    await expect.poll(() => page.getByTestId('pod-row').count()).toBe(1);
    await screenshot(page, 'live-connect-namespace-refused');
    expect(errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });
});
