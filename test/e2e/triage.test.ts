// Triage in the app, against several fake clusters with real Go processes behind their pods:
// the Fleet preset captures every agent and the controller of every context at once; the
// table lists each pod of both clusters, flags the culprit agent, and its breakdown tells the
// victim (serving requests) from the culprit (making them); a diff against the group opens
// with numbers; the unreachable context shows its error while the others complete; the saved
// triage reopens from the library.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserServer, type BrowserServer } from '../../electron/server/browserServer';
import { createServices } from '../../electron/services/createServices';
import type { LiveService } from '../../electron/kube/liveService';
import { startMultiCluster, type ClusterPod, type MultiCluster } from '../k8s/multiCluster';
import { activePanel, launchBrowser, openPage, screenshot } from './harness';

let mc: MultiCluster;
let server: BrowserServer;
let browser: Browser;
let live: LiveService | undefined;
let page: Page;
let errors: string[];

beforeAll(async () => {
  mc = await startMultiCluster('profscope-e2e-triage-', {
    downstreams: 2,
    agentsPerCluster: 2,
    unreachableContext: true,
  });
  server = await startBrowserServer({
    services: createServices({
      mode: 'browser',
      launchFiles: [],
      configDir: join(mc.dir, 'config-dir'),
      dataDir: join(mc.dir, 'data'),
      kubeconfig: { env: { KUBECONFIG: mc.kubeconfig } },
      onLive: (l) => (live = l),
    }),
  });
  browser = await launchBrowser();
  ({ page, errors } = await openPage(browser, server.url, { width: 1600, height: 900 }));
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await live?.shutdown();
  await server?.close();
  await mc?.close();
});

/** The app's tabs (profiles, triages), not the view switchers inside a profile. */
const openTabs = () => page.getByRole('tablist', { name: 'Open profiles' }).getByRole('tab');

const rowOf = (p: ClusterPod) =>
  page.locator(
    `[data-testid="triage-row"][data-context="${p.context}"][data-namespace="${p.namespace}"][data-pod="${p.pod}"]`,
  );

/** The pod's breakdown as {category: share}, read from its bar's segments. */
async function shares(p: ClusterPod): Promise<Record<string, number>> {
  const segments = rowOf(p).getByTestId('triage-segment');
  const out: Record<string, number> = {};
  for (const s of await segments.all()) {
    out[(await s.getAttribute('data-rule'))!] = Number(await s.getAttribute('data-share'));
  }
  return out;
}

describe('triage across clusters in the app', () => {
  it('starts the Fleet preset over every context', async () => {
    // Browser mode opens a sample at start: close it, the triage is the subject here.
    const sample = page.getByRole('button', { name: /^Close .*\.pb\.gz$/ });
    await sample
      .first()
      .waitFor({ timeout: 5_000 })
      .catch(() => undefined);
    for (const close of await sample.all()) await close.click();
    await page.getByTestId('triage-button').click();
    await expect.poll(() => page.getByTestId('triage-context').count()).toBe(mc.contexts.length);
    await page.getByTestId('triage-preset-fleet').click();
    // The controller in local, the agents in both Fleet namespaces of every context.
    expect(await page.getByTestId('triage-scope').count()).toBe(1 + 2 * mc.contexts.length);
    await screenshot(page, 'triage-panel');
    for (const k of ['cpu', 'heap', 'goroutine']) {
      expect(await page.locator(`[data-testid="triage-kind"][data-kind="${k}"]`).isChecked()).toBe(
        true,
      );
    }
    await page.getByTestId('triage-seconds').fill('4');
    await page.getByTestId('triage-start').click();
    await page.getByTestId('triage-view').waitFor();
    // One progress bar per pod and kind while it runs.
    await expect
      .poll(() => page.getByTestId('triage-progress').count(), { timeout: 30_000 })
      .toBe(mc.pods.length * 3);
    await screenshot(page, 'triage-running');
  });

  it('lists every pod of every reachable cluster, and the unreachable one’s error', async () => {
    await expect
      .poll(() => page.getByTestId('triage-view').getAttribute('data-state'), { timeout: 90_000 })
      .toBe('done');
    expect(await page.getByTestId('triage-row').count()).toBe(mc.pods.length);
    for (const p of mc.pods) expect(await rowOf(p).count()).toBe(1);
    const contexts = new Set(
      await page
        .getByTestId('triage-row')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-context'))),
    );
    expect([...contexts].sort()).toEqual(mc.contexts.filter((c) => c !== 'gone').sort());
    const scopeErrors = page.getByTestId('triage-scope-error');
    expect(await scopeErrors.count()).toBeGreaterThan(0);
    for (const e of await scopeErrors.all()) {
      expect(await e.getAttribute('data-context')).toBe('gone');
    }
    expect(await scopeErrors.first().textContent()).toMatch(
      /gone.*(ECONNREFUSED|refused|connect)/i,
    );
    // Every capture of the reachable pods completed.
    const states = await page
      .getByTestId('triage-progress')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
    expect(states.every((s) => s === 'done')).toBe(true);
  });

  it('flags the culprit agent as its group’s outlier, with the reason', async () => {
    const culprit = rowOf(mc.culprit);
    expect(await culprit.getAttribute('data-outlier')).toMatch(/cpuCores/);
    const cell = culprit.getByTestId('triage-cpuCores');
    expect(await cell.getAttribute('data-outlier')).toBe('high');
    expect(await cell.getAttribute('title')).toMatch(/× the median of fleet-agent/);
    const others = mc.pods.filter((p) => p.role === 'idle');
    for (const p of others) expect(await rowOf(p).getAttribute('data-outlier')).toBeNull();
    const cpu = async (p: ClusterPod) =>
      Number(await rowOf(p).getByTestId('triage-cpuCores').getAttribute('data-value'));
    // Real processes: the flood costs the culprit a tenth of a core or so, the idle agents
    // next to nothing.
    const idle = await Promise.all(others.map(cpu));
    expect(await cpu(mc.culprit)).toBeGreaterThan(3 * Math.max(...idle));
    expect(await cpu(mc.victim)).toBeGreaterThan(3 * Math.max(...idle));
    await screenshot(page, 'triage-table');
  });

  it('tells the victim (serving requests) from the culprit (making them)', async () => {
    const victim = await shares(mc.victim);
    const culprit = await shares(mc.culprit);
    expect(victim['Serving requests']).toBeGreaterThan(victim['Making requests'] ?? 0);
    expect(culprit['Making requests']).toBeGreaterThan(culprit['Serving requests'] ?? 0);
    expect(victim['Serving requests']).toBeGreaterThan(0.1);
    expect(culprit['Making requests']).toBeGreaterThan(0.1);
  });

  it('breaks the saved captures down again by edited rules', async () => {
    await page.getByTestId('triage-rules').locator('summary').click();
    const name = page.getByTestId('triage-rule-name').first();
    await name.fill('Memory');
    // An invalid Go regexp is refused at the field.
    const pattern = page.getByTestId('triage-rule-pattern').first();
    const before = await pattern.inputValue();
    await pattern.fill('(unclosed');
    expect(await page.getByTestId('triage-rules-apply').isDisabled()).toBe(true);
    await pattern.fill(before);
    await page.getByTestId('triage-rules-apply').click();
    await expect
      .poll(() =>
        rowOf(mc.culprit).locator('[data-testid="triage-segment"][data-rule="Memory"]').count(),
      )
      .toBe(1);
    await screenshot(page, 'triage-rules');
    await page.getByTestId('triage-rules').locator('summary').click();
  });

  it('sorts by any column', async () => {
    await page.getByTestId('triage-sort-pod').click();
    const names = await page
      .locator('[data-testid="triage-group"][data-group="fleet-agent"] [data-testid="triage-row"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-pod') ?? ''));
    expect(names).toEqual([...names].sort());
    await page.getByTestId('triage-sort-cpuCores').click();
    const first = page
      .locator('[data-testid="triage-group"][data-group="fleet-agent"] [data-testid="triage-row"]')
      .first();
    expect(await first.getAttribute('data-pod')).toBe(mc.culprit.pod);
  });

  it('opens a diff of the culprit against the rest of its group, with numbers', async () => {
    const tabs = await openTabs().count();
    await rowOf(mc.culprit).getByTestId('triage-diff').click();
    await expect.poll(() => openTabs().count()).toBe(tabs + 2);
    await page
      .getByRole('tab', { name: new RegExp(`${mc.culprit.pod} CPU vs fleet-agent`) })
      .waitFor();
    await expect
      .poll(() => activePanel(page).getByTestId('profile-total').getAttribute('data-value'), {
        timeout: 30_000,
      })
      .toMatch(/^[1-9]\d*/);
    await activePanel(page).getByTestId('diff-legend').waitFor({ timeout: 30_000 });
    const base = activePanel(page).getByTestId('diff-base');
    expect(await base.locator('option:checked').textContent()).toMatch(
      new RegExp(`fleet-agent CPU without ${mc.culprit.pod}`),
    );
    await screenshot(page, 'triage-diff');
  });

  it('merges the agents with context, namespace and pod labels', async () => {
    await openTabs()
      .filter({ hasText: /^Triage/ })
      .click();
    const tabs = await openTabs().count();
    await page
      .locator('[data-testid="triage-group"][data-group="fleet-agent"]')
      .locator('[data-testid="triage-merge"][data-kind="cpu"]')
      .click();
    await expect.poll(() => openTabs().count()).toBe(tabs + 1);
    await expect
      .poll(() => activePanel(page).getByTestId('profile-total').getAttribute('data-value'), {
        timeout: 30_000,
      })
      .toMatch(/^[1-9]\d*/);
  });

  it('reopens the saved triage from the library, offline', async () => {
    await page.getByTestId('library-button').click();
    const row = page.locator('[data-testid="library-row"][data-kind="triage"]');
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    const tabs = await openTabs().count();
    await row.getByTestId('library-open-triage').click();
    await expect.poll(() => openTabs().count()).toBe(tabs + 1);
    const view = activePanel(page).getByTestId('triage-view');
    await expect.poll(() => view.getAttribute('data-state'), { timeout: 20_000 }).toBe('done');
    expect(await activePanel(page).getByTestId('triage-row').count()).toBe(mc.pods.length);
    expect(errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });
});
