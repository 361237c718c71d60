import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { goPprofTop } from './goPprof';
import { activePanel, appSession, screenshot } from './harness';

const FIXTURES = join(process.cwd(), 'test', 'fixtures');
const CPU = join(FIXTURES, 'pprof', 'cpu.pb.gz');
const HEAP = join(FIXTURES, 'pprof', 'heap.pb.gz');
const WORKLOAD = join(FIXTURES, 'continuous-workload');
const FIRST = join(WORKLOAD, '2026-11-24_16_20_53.pprof.fleetcontroller.samples.cpu.pb.gz');
const LAST = join(WORKLOAD, '2026-11-24_16_21_07.pprof.fleetcontroller.samples.cpu.pb.gz');

const session = appSession();

async function openWith(files: string[], opts: { dark?: boolean } = {}): Promise<Page> {
  return (await session.open(files, opts)).page;
}

async function view(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name, exact: true }).click();
}

async function topRows(
  page: Page,
): Promise<{ name: string; flat: number; cum: number; delta: number }[]> {
  const table = activePanel(page).getByTestId('top-table');
  await table.locator('tbody tr[data-name]').first().waitFor();
  return table.locator('tbody tr[data-name]').evaluateAll((trs) =>
    trs.map((tr) => ({
      name: tr.getAttribute('data-name') ?? '',
      flat: Number(tr.getAttribute('data-flat')),
      cum: Number(tr.getAttribute('data-cum')),
      delta: Number(tr.getAttribute('data-delta')),
    })),
  );
}

describe('views on real profiles', () => {
  it('top table matches go tool pprof -top and sorts', async () => {
    const page = await openWith([CPU]);
    await activePanel(page).getByTestId('profile-total').waitFor();
    const ref = goPprofTop(['-nodecount=20', CPU]);
    await view(page, 'Top');
    const rows = await topRows(page);
    for (const r of ref.rows.slice(0, 10)) {
      const ours = rows.find((x) => x.name === r.name);
      expect(ours, r.name).toBeDefined();
      expect(Math.abs(ours!.flat - r.flat)).toBeLessThanOrEqual(0.005e9);
      expect(Math.abs(ours!.cum - r.cum)).toBeLessThanOrEqual(0.005e9);
    }
    expect(rows[0].name).toBe(ref.rows[0].name);
    await screenshot(page, 'top-table');

    await page.getByRole('columnheader', { name: /cum/ }).first().click();
    const byCum = await topRows(page);
    const cumRef = goPprofTop(['-cum', '-nodecount=3', CPU]);
    expect(byCum[0].cum).toBeGreaterThanOrEqual(byCum[1].cum);
    expect(Math.abs(byCum[0].cum - cumRef.rows[0].cum)).toBeLessThanOrEqual(0.005e9);
  });

  it('search highlights and Enter zooms into the matching frame', async () => {
    const page = await openWith([CPU]);
    await activePanel(page).getByTestId('flame-canvas').waitFor();
    await activePanel(page).getByTestId('search').fill('sha256\\.block');
    const share = await activePanel(page).getByTestId('search-share').textContent();
    const all = goPprofTop(['-nodecount=200', CPU]);
    const refShare = all.rows.find((r) => r.name === 'crypto/sha256.block')!.cum / all.total;
    expect(parseFloat(share!)).toBeCloseTo(refShare * 100, 0);
    await activePanel(page).getByTestId('search').press('Enter');
    await expect
      .poll(() => activePanel(page).getByTestId('breadcrumbs').textContent())
      .toMatch(/crypto\/sha256\.block$/);
    await screenshot(page, 'flame-search-zoom');
    // Flame orientation: root at the bottom; the zoomed frame's row is now the top one drawn.
    await page.getByRole('button', { name: 'Flame', exact: true }).click();
    await page
      .getByRole('button', { name: 'Flame', exact: true })
      .and(page.locator('[aria-pressed=true]'))
      .waitFor();
    await screenshot(page, 'flame-orientation');
  });

  it('sandwich shows the callers of a function as pprof -peek does', async () => {
    const page = await openWith([CPU]);
    await activePanel(page).getByTestId('profile-total').waitFor();
    await view(page, 'Sandwich');
    await activePanel(page).getByTestId('table-filter').fill('^sort\\.partition$');
    await activePanel(page)
      .locator('[data-testid=sandwich-table] tbody tr[data-name="sort.partition"]')
      .click();
    const callers = activePanel(page).getByTestId('sandwich-callers').getByTestId('neighbours');
    await callers.locator('li[data-name]').first().waitFor();
    const names = await callers
      .locator('li[data-name]')
      .evaluateAll((lis) => lis.map((l) => l.getAttribute('data-name')));
    // go tool pprof -peek 'sort.partition$' lists sort.pdqsort as its only caller.
    expect(names).toEqual(['sort.pdqsort']);
    const callees = await page
      .getByTestId('sandwich-callees')
      .locator('li[data-name]')
      .evaluateAll((lis) => lis.map((l) => l.getAttribute('data-name')));
    expect(callees).toContain('sort.IntSlice.Less');
    await screenshot(page, 'sandwich');
  });

  it('switching the heap sample type changes the total to pprof figure', async () => {
    const page = await openWith([HEAP], { dark: true });
    const total = activePanel(page).getByTestId('profile-total');
    await total.waitFor();
    for (const si of ['inuse_space', 'alloc_space', 'alloc_objects']) {
      const options = await activePanel(page)
        .getByTestId('sample-type')
        .locator('option')
        .allTextContents();
      const idx = options.findIndex((o) => o.startsWith(`${si} `));
      await activePanel(page).getByTestId('sample-type').selectOption(String(idx));
      const ref = goPprofTop([`-sample_index=${si}`, '-nodecount=1', HEAP]);
      await expect
        .poll(async () => Math.abs(Number(await total.getAttribute('data-value')) - ref.total))
        .toBeLessThanOrEqual(ref.totalPrecision);
    }
    await screenshot(page, 'heap-alloc-objects-dark');
  });

  it('diff of two CPU profiles finds the frame that grew', async () => {
    const page = await openWith([FIRST, LAST]);
    await page.getByRole('tab', { name: /16_21_07/ }).click();
    await activePanel(page).getByTestId('profile-total').waitFor();
    await view(page, 'Diff');
    const options = await activePanel(page)
      .getByTestId('diff-base')
      .locator('option')
      .allTextContents();
    await activePanel(page)
      .getByTestId('diff-base')
      .selectOption({ label: options.find((o) => o.includes('16_20_53'))! });
    await activePanel(page).getByTestId('diff-legend').waitFor();
    await page.getByRole('columnheader', { name: /Δ cum/ }).click();
    const rows = await topRows(page);
    const grew = rows
      .filter((r) => r.name.startsWith('main.'))
      .sort((a, b) => b.delta - a.delta)[0];
    // The workload shifts time into main.parseLogs in later periods (see test/fixtures/README.md).
    expect(grew.name).toBe('main.parseLogs');
    const cumOf = (file: string) =>
      goPprofTop(['-nodecount=500', file]).rows.find((r) => r.name === 'main.parseLogs')!.cum;
    expect(cumOf(LAST)).toBeGreaterThan(cumOf(FIRST));
    await screenshot(page, 'diff');
  });

  it('exports the graph as PNG and SVG and the filtered profile as pprof and collapsed stacks', async () => {
    const page = await openWith([CPU]);
    const panel = activePanel(page);
    await panel.getByTestId('flame-canvas').waitFor();
    const save = async (click: () => Promise<unknown>) => {
      const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
      const path = join(tmpdir(), `profscope-dl-${Date.now()}-${dl.suggestedFilename()}`);
      await dl.saveAs(path);
      return { name: dl.suggestedFilename(), path };
    };
    const png = await save(() => panel.getByTestId('export-png').click());
    expect(png.name).toBe('cpu.png');
    expect(readFileSync(png.path).subarray(1, 4).toString()).toBe('PNG');
    const svg = await save(() => panel.getByTestId('export-svg').click());
    expect(readFileSync(svg.path, 'utf8')).toMatch(/<svg[\s\S]*crypto\/sha256\.block/);

    // Focus on sort, export: go tool pprof reads our file and agrees on the focused total.
    await panel.getByTestId('filter-focus').fill('^sort\\.');
    await panel.getByTestId('filter-focus').press('Enter');
    const pprof = await save(() => panel.getByTestId('export-profile').selectOption('pprof'));
    expect(pprof.name).toBe('cpu.pb.gz');
    const ours = goPprofTop(['-nodecount=1', pprof.path]);
    const focused = goPprofTop(['-nodecount=200', '-focus=^sort\\.', CPU]);
    expect(Math.abs(ours.total - focused.rows.reduce((a, r) => a + r.flat, 0))).toBeLessThanOrEqual(
      0.02e9,
    );
    const collapsed = await save(() =>
      panel.getByTestId('export-profile').selectOption('collapsed'),
    );
    const lines = readFileSync(collapsed.path, 'utf8').trim().split('\n');
    expect(lines.every((l) => /^.+ \d+$/.test(l))).toBe(true);
    expect(lines.every((l) => l.includes('sort.'))).toBe(true);
  });

  it('reopens the same view, sample type and filters after a reload', async () => {
    const page = await openWith([HEAP]);
    const panel = activePanel(page);
    await panel.getByTestId('profile-total').waitFor();
    await view(page, 'Top');
    await panel.getByTestId('sample-type').selectOption('1');
    await panel.getByTestId('filter-focus').fill('json');
    await panel.getByTestId('filter-focus').press('Enter');
    await expect.poll(() => page.url()).toMatch(/view=top.*si=1.*focus=json/);
    await page.reload();
    await activePanel(page).getByTestId('top-table').waitFor();
    expect(await activePanel(page).getByTestId('sample-type').inputValue()).toBe('1');
    expect(await activePanel(page).getByTestId('filter-focus').inputValue()).toBe('json');
  });
});
