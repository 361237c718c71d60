// The explore view of a folder of continuous profiles: the selection merged right below the
// timeline (its Top equal to go tool pprof's on the same files), what changed against the
// baseline ranked as `go tool pprof -top -diff_base` ranks it, zoom and pan with round ticks.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { goPprofTop } from './goPprof';
import { activePanel, appSession, screenshot } from './harness';

const session = appSession();
const CONTINUOUS = join(process.cwd(), 'test', 'fixtures', 'continuous');
const files = readdirSync(CONTINUOUS)
  .sort()
  .map((f) => join(CONTINUOUS, f));

async function openFolder(page: Page, dir = CONTINUOUS, count = files.length): Promise<Locator> {
  await page.getByTestId('open-folder').click();
  await page.getByTestId('folder-path').fill(dir);
  await page.getByTestId('folder-path').press('Enter');
  const bars = activePanel(page).getByTestId('timeline-bar');
  await expect.poll(() => bars.count()).toBe(count);
  return bars;
}

/** Drags over bars first..last (Shift: the baseline) from just outside their edges. */
async function dragOver(page: Page, bars: Locator, first: number, last: number, shift = false) {
  const a = (await bars.nth(first).boundingBox())!;
  const b = (await bars.nth(last).boundingBox())!;
  const y = a.y + a.height - 2;
  if (shift) await page.keyboard.down('Shift');
  await page.mouse.move(a.x + 1, y);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width - 1, y, { steps: 6 });
  await page.mouse.up();
  if (shift) await page.keyboard.up('Shift');
}

/** pprof marks inlined functions in -top; the table shows that apart from the name. */
const names = (rows: { name: string }[]) =>
  rows.map((r) => r.name.replace(/ \((partial-)?inline\)$/, ''));

const selectionView = (page: Page) => activePanel(page).getByTestId('selection-view');

async function selectionTop(page: Page) {
  await selectionView(page).getByRole('tab', { name: 'Top', exact: true }).click();
  const rows = selectionView(page).locator('[data-testid=top-table] tbody tr[data-name]');
  await rows.first().waitFor();
  return rows.evaluateAll((trs) =>
    trs.slice(0, 12).map((tr) => ({
      name: tr.getAttribute('data-name') ?? '',
      flat: Number(tr.getAttribute('data-flat')),
    })),
  );
}

describe('explore view', () => {
  it('merges the whole folder below the timeline at once, its Top as go tool pprof -top of the files', async () => {
    const { page, errors } = await session.open([]);
    await openFolder(page);
    const ours = await selectionTop(page);
    const ref = goPprofTop(['-nodecount=12', ...files]);
    expect(names(ours)).toEqual(names(ref.rows));
    ours.forEach((r, i) =>
      expect(Math.abs(r.flat - ref.rows[i].flat), r.name).toBeLessThanOrEqual(
        ref.rows[i].precision,
      ),
    );
    expect(await selectionView(page).locator('h3').first().textContent()).toMatch(
      /fleetcontroller 13:50:29–13:51:00 \(6\)/,
    );
    expect(errors).toEqual([]);
  });

  it('follows the selection, and ranks what changed against the baseline as -diff_base does', async () => {
    const { page, errors } = await session.open([]);
    const bars = await openFolder(page);
    await selectionTop(page);
    // Selection: the last three files; baseline: the first three.
    await dragOver(page, bars, 3, 5);
    await dragOver(page, bars, 0, 2, true);
    await expect
      .poll(() => selectionView(page).locator('h3').first().textContent())
      .toMatch(/\(3\)$/);
    const target = files.slice(3);
    const ref = goPprofTop(['-nodecount=12', ...target]);
    // The table follows once the three files are merged (the whole folder's shows until then).
    await expect.poll(async () => names(await selectionTop(page))).toEqual(names(ref.rows));

    const dir = mkdtempSync(join(tmpdir(), 'explore-'));
    const base = join(dir, 'base.pb.gz');
    writeFileSync(
      base,
      execFileSync('go', ['tool', 'pprof', '-proto', ...files.slice(0, 3)], {
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    );
    const diff = goPprofTop(['-nodefraction=0', '-nodecount=10', `-diff_base=${base}`, ...target]);
    const changed = activePanel(page).locator('[data-testid=what-changed] tbody tr');
    await changed.first().waitFor();
    const rows = await changed.evaluateAll((trs) =>
      trs.slice(0, 10).map((tr) => ({
        name: tr.getAttribute('data-name') ?? '',
        delta: Number(tr.getAttribute('data-delta-flat')),
      })),
    );
    expect(names(rows)).toEqual(names(diff.rows));
    rows.forEach((r, i) =>
      expect(Math.abs(r.delta - diff.rows[i].flat), r.name).toBeLessThanOrEqual(
        diff.rows[i].precision,
      ),
    );
    await screenshot(page, 'explore-what-changed');

    // A row opens the diff flame graph focused on its function.
    await changed.first().click();
    const focus = activePanel(page).getByPlaceholder('regex', { exact: true }).first();
    await expect
      .poll(async () => (await focus.inputValue()).replace(/\\/g, ''))
      .toBe(`^${names(rows)[0]}$`);
    await activePanel(page).getByTestId('diff-legend').waitFor();
    await screenshot(page, 'explore-diff-focused');
    expect(errors).toEqual([]);
  });

  it('zooms about the pointer with round ticks, pans with the keys, and resets', async () => {
    const { page, errors } = await session.open([]);
    await openFolder(page);
    const chart = activePanel(page).getByTestId('timeline-chart');
    const ticks = () => chart.getByTestId('timeline-tick').allTextContents();
    const before = await ticks();
    // Five-second steps over the 31 s of the fixtures, the first with its date.
    expect(before[0]).toMatch(/^2026-11-24 13:50:\d5|^2026-11-24 13:50:\d0/);
    expect(before.slice(1).every((t) => /^13:5\d:\d[05]$/.test(t))).toBe(true);
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 50);
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -300);
    await expect.poll(async () => (await ticks()).join()).not.toBe(before.join());
    const zoomed = await ticks();
    expect(zoomed.slice(1).every((t) => /^13:5\d:\d\d$/.test(t))).toBe(true);
    expect(await activePanel(page).getByTestId('timeline-window').getAttribute('class')).toMatch(
      /zoomed/,
    );
    await screenshot(page, 'explore-zoomed');
    await chart.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await ticks()).join()).not.toBe(zoomed.join());
    await page.keyboard.press('0');
    await expect.poll(async () => (await ticks()).join()).toBe(before.join());
    expect(errors).toEqual([]);
  });

  it("draws a function's trend from the files' tables, its share per file as go tool pprof's cum%", async () => {
    const { page, errors } = await session.open([]);
    await openFolder(page);
    const fn = 'sort.partition';
    await activePanel(page).getByTestId('trend-input').fill(fn);
    const line = activePanel(page).getByTestId('trend-line');
    await expect
      .poll(async () => (await line.getAttribute('data-shares'))?.split(',').length)
      .toBe(files.length);
    const shares = ((await line.getAttribute('data-shares')) ?? '').split(',').map(Number);
    for (const [i, file] of files.entries()) {
      const ref = goPprofTop(['-nodecount=100000', '-nodefraction=0', file]);
      const row = ref.rows.find((r) => r.name === fn);
      const expected = (row?.cum ?? 0) / ref.total;
      expect(Math.abs(shares[i] - expected), basename(file)).toBeLessThan(0.005);
    }
    // The small multiples: the hottest functions of the window, one a click from the trend line.
    const cells = activePanel(page).getByTestId('trend-multiples').getByRole('button');
    expect(await cells.count()).toBe(6);
    const first = (await cells.first().locator('.trend-cell-name').textContent()) ?? '';
    expect(first).toBe('crypto/sha256.block');
    await cells.first().click();
    expect(await activePanel(page).getByTestId('trend-input').inputValue()).toBe(first);
    await expect.poll(() => activePanel(page).getByTestId('trend').textContent()).toContain(first);
    await screenshot(page, 'explore-trend');
    expect(errors).toEqual([]);
  });

  it('summarises a changed file again: the cache is keyed by size and mtime', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'explore-cache-'));
    for (const f of files.slice(0, 3)) copyFileSync(f, join(dir, basename(f)));
    const { page, errors } = await session.open([]);
    const bars = await openFolder(page, dir, 3);
    const totalOf = async () => Number(await bars.first().getAttribute('data-total'));
    const before = await totalOf();
    expect(Math.abs(before - goPprofTop([files[0]]).total)).toBeLessThanOrEqual(
      goPprofTop([files[0]]).totalPrecision,
    );
    // The first file now holds the fourth's profile under its own name: a new size and mtime.
    copyFileSync(files[3], join(dir, basename(files[0])));
    const ref = goPprofTop([files[3]]);
    await page.reload();
    const again = await openFolder(page, dir, 3);
    await expect
      .poll(async () =>
        Math.abs(Number(await again.first().getAttribute('data-total')) - ref.total),
      )
      .toBeLessThanOrEqual(ref.totalPrecision);
    expect(errors).toEqual([]);
  });
});
