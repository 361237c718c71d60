import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ROW_HEIGHT } from '../../renderer/views/flame/layout';
import { goPprofTop } from './goPprof';
import { activePanel, appSession, screenshot } from './harness';

// The edges of the profile views: the canvas's right edge, many long tab names, bad regular
// expressions, a profile with no samples, totals under a filter, long neighbour lists.

const FIXTURES = join(process.cwd(), 'test', 'fixtures');
const CPU = join(FIXTURES, 'pprof', 'cpu.pb.gz');
const WORKLOAD = join(FIXTURES, 'continuous-workload');

const session = appSession();

async function openWith(files: string[]): Promise<Page> {
  return (await session.open(files)).page;
}

async function view(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name, exact: true }).click();
}

async function setFilter(page: Page, key: string, value: string): Promise<void> {
  const input = activePanel(page).getByTestId(`filter-${key}`);
  await input.fill(value);
  await input.press('Enter');
}

/** `go tool pprof`'s percentage of `part` in `whole`, as it prints flat% and cum%. */
function pct(part: number, whole: number): string {
  return `${((part / whole) * 100).toFixed(2)}%`;
}

describe('views at their edges', () => {
  it('draws the flame graph inside its pane at every width: the rightmost frame can be hovered', async () => {
    const page = await openWith([CPU]);
    const panel = activePanel(page);
    const canvas = panel.getByTestId('flame-canvas');
    await canvas.waitFor();
    for (const width of [1400, 900, 640]) {
      await page.setViewportSize({ width, height: 800 });
      // The canvas follows its pane's size once the resize has been observed.
      await expect
        .poll(() =>
          canvas.evaluate((c) => {
            const pane = c.parentElement!;
            const css = getComputedStyle(pane);
            const contentRight =
              pane.getBoundingClientRect().left + pane.clientWidth - parseFloat(css.paddingRight);
            return Math.abs(c.getBoundingClientRect().right - contentRight) < 1;
          }),
        )
        .toBe(true);
      const box = (await canvas.boundingBox())!;
      expect(box.x + box.width, `canvas right edge at ${width}px`).toBeLessThanOrEqual(width);
      // The frame at the last pixel of the first row under the root: what the pane cut off.
      const x = box.x + box.width - 1;
      const y = box.y + ROW_HEIGHT * 1.5;
      const hit = await page.evaluate(
        ([px, py]) => document.elementFromPoint(px, py)?.getAttribute('data-testid') ?? null,
        [x, y],
      );
      expect(hit).toBe('flame-canvas');
      await page.mouse.move(x, y);
      const tooltip = panel.getByTestId('flame-tooltip');
      await tooltip.waitFor();
      expect(await tooltip.locator('.tooltip-name').textContent()).not.toBe('');
      await page.mouse.move(0, 0);
    }
  });

  // Skipped: the tab strip's shrinking CSS hid the folder tab from the timeline test (see the
  // closing note); both come back with a strip that keeps every tab reachable.
  it('shrinks Fleet-length tab names to an ellipsis and scrolls the strip, buttons still in view', async () => {
    const files = readdirSync(WORKLOAD)
      .filter((f) => f.endsWith('.pb.gz'))
      .sort()
      .map((f) => join(WORKLOAD, f));
    expect(files.length).toBe(8);
    const page = await openWith(files);
    await activePanel(page).getByTestId('profile-total').waitFor();
    const strip = page.getByRole('tablist', { name: 'Open profiles' });
    const geometry = await strip.evaluate((s) => {
      const r = s.getBoundingClientRect();
      const tabs = [...s.querySelectorAll<HTMLElement>('[role=tab]')].map((t) => {
        const b = t.getBoundingClientRect();
        const title = t.querySelector<HTMLElement>('.tab-title')!;
        // How wide the title's first 19 characters (the date and time) are in its own font.
        const ctx = document.createElement('canvas').getContext('2d')!;
        const css = getComputedStyle(title);
        ctx.font = `${css.fontSize} ${css.fontFamily}`;
        const stamp = ctx.measureText(`${title.textContent.slice(0, 19)}…`).width;
        return {
          width: b.width,
          visible: b.left >= r.left - 1 && b.right <= r.right + 1,
          ellipsized: title.scrollWidth > title.clientWidth,
          showsTime: title.clientWidth >= stamp,
        };
      });
      const buttons = [...document.querySelectorAll<HTMLElement>('.topbar > button')].map(
        (b) => b.getBoundingClientRect().right,
      );
      return {
        tabs,
        scrolls: s.scrollWidth > s.clientWidth,
        buttonsRight: Math.max(...buttons),
        viewport: innerWidth,
      };
    });
    expect(geometry.tabs.length).toBe(8);
    // Tabs give way down to showing the date and time to the second; the path is the tooltip.
    for (const t of geometry.tabs) {
      expect(t.width).toBeLessThanOrEqual(210);
      expect(t.ellipsized).toBe(true);
      expect(t.showsTime).toBe(true);
    }
    // Wide tabs left room for two whole ones beside the buttons at 1400 px.
    expect(geometry.tabs.filter((t) => t.visible).length).toBeGreaterThanOrEqual(3);
    expect(geometry.scrolls).toBe(true);
    expect(geometry.buttonsRight).toBeLessThanOrEqual(geometry.viewport);
    await screenshot(page, 'tabs-overflow');
  });

  it('scrolls the active tab into view', async () => {
    const files = readdirSync(WORKLOAD)
      .filter((f) => f.endsWith('.pb.gz'))
      .sort()
      .map((f) => join(WORKLOAD, f));
    const page = await openWith(files);
    await activePanel(page).getByTestId('profile-total').waitFor();
    const strip = page.getByRole('tablist', { name: 'Open profiles' });
    const inView = () =>
      strip.evaluate((s) => {
        const r = s.getBoundingClientRect();
        const b = s.querySelector('[aria-selected=true]')!.getBoundingClientRect();
        return b.left >= r.left - 1 && b.right <= r.right + 1;
      });
    await expect.poll(inView, { timeout: 3000 }).toBe(true);
    await strip.getByRole('tab').first().click();
    await expect.poll(inView, { timeout: 3000 }).toBe(true);
  });

  it('says what is wrong with a focus or search regular expression instead of waiting forever', async () => {
    const page = await openWith([CPU]);
    const panel = activePanel(page);
    await panel.getByTestId('flame-canvas').waitFor();

    await panel.getByTestId('search').fill('main.(');
    await expect(panel.getByTestId('search-error').textContent()).resolves.toMatch(
      /invalid search regular expression: missing closing \): `main\.\(`/,
    );
    expect(await panel.getByTestId('search').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'views-bad-search');
    await panel.getByTestId('search').fill('main\\.');
    await panel.getByTestId('search-share').waitFor();
    expect(await panel.getByTestId('search-error').count()).toBe(0);

    await view(page, 'Top');
    await panel.getByTestId('top-table').waitFor();
    await setFilter(page, 'focus', 'sort.(');
    const error = panel.getByTestId('view-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(
      /invalid focus regular expression: missing closing \): `sort\.\(`/,
    );
    expect(await panel.getByText('Computing the top table…').count()).toBe(0);
    expect(await panel.getByTestId('filter-focus').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'views-bad-regex');
    await view(page, 'Flame graph');
    await error.waitFor();
    expect(await panel.getByText('Building the call tree…').count()).toBe(0);

    await view(page, 'Top');
    await setFilter(page, 'focus', 'sort\\.');
    await panel.getByTestId('top-table').locator('tbody tr[data-name]').first().waitFor();
    expect(await error.count()).toBe(0);
    expect(await panel.getByTestId('filter-focus').getAttribute('aria-invalid')).toBe('false');
  });

  it('says "no samples" for a profile without any, and for filters that keep none', async () => {
    // go tool pprof writes what it kept: with a focus that matches nothing, a profile of 0 samples.
    const empty = join(tmpdir(), 'no-samples.cpu.pb.gz');
    execFileSync('go', ['tool', 'pprof', '-proto', '-output', empty, '-focus=^nothing$', CPU], {
      stdio: 'ignore',
    });
    expect(goPprofTop([empty]).total).toBe(0);
    const page = await openWith([empty]);
    const panel = activePanel(page);
    const message = panel.getByTestId('no-samples');
    await message.waitFor();
    expect(await message.textContent()).toMatch(/No samples.*no CPU while it was profiled/);
    expect(await panel.getByTestId('flame-canvas').count()).toBe(0);
    await screenshot(page, 'views-empty-profile');
    await view(page, 'Top');
    await message.waitFor();
    expect(await panel.getByTestId('top-table').count()).toBe(0);

    const cpu = await openWith([CPU]);
    await activePanel(cpu).getByTestId('flame-canvas').waitFor();
    await setFilter(cpu, 'focus', '^no such function$');
    await expect(activePanel(cpu).getByTestId('no-samples').textContent()).resolves.toMatch(
      /No samples match the filters/,
    );
  });

  it('shows the filtered total under a filter, and "% of all" is of the whole profile in every view', async () => {
    const page = await openWith([CPU]);
    const panel = activePanel(page);
    const canvas = panel.getByTestId('flame-canvas');
    await canvas.waitFor();
    expect(await panel.getByTestId('profile-shown').count()).toBe(0);
    await setFilter(page, 'focus', '^sort\\.');

    const whole = goPprofTop(['-nodecount=1', CPU]);
    const focused = goPprofTop(['-nodecount=1000', '-nodefraction=0', '-focus=^sort\\.', CPU]);
    const kept = focused.rows.reduce((a, r) => a + r.flat, 0);
    const shown = panel.getByTestId('profile-shown');
    await shown.waitFor();
    expect(Math.abs(Number(await shown.getAttribute('data-value')) - kept)).toBeLessThanOrEqual(
      0.005e9,
    );
    expect(await shown.textContent()).toContain(`${pct(kept, whole.total)} of all`);

    // The flame graph's root under the focus: all that is shown, its share of the whole.
    await expect.poll(() => canvas.getAttribute('data-drawn')).not.toBe('0');
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + ROW_HEIGHT / 2);
    const tooltip = panel.getByTestId('flame-tooltip');
    await tooltip.waitFor();
    expect(await tooltip.getByTestId('tooltip-total-of-all').textContent()).toBe(
      `${pct(kept, whole.total)} of all`,
    );
    expect(await tooltip.textContent()).toContain('100% of shown');
    await screenshot(page, 'views-filtered-total');
    await page.mouse.move(0, 0);

    // Top: cum% as pprof prints it under the same focus (of the whole profile's total).
    await view(page, 'Top');
    const partition = focused.rows.find((r) => r.name === 'sort.partition')!;
    const row = panel.locator('[data-testid=top-table] tbody tr[data-name="sort.partition"]');
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells[4].trim()).toBe(pct(partition.cum, whole.total));
    expect(await panel.getByTestId('top-table').locator('.table-tools').textContent()).toContain(
      `(${pct(kept, whole.total)} of all)`,
    );

    // Sandwich: sort.partition's one caller carries all of its time: the same share of all.
    await view(page, 'Sandwich');
    await panel.getByTestId('table-filter').fill('^sort\\.partition$');
    await panel
      .locator('[data-testid=sandwich-table] tbody tr[data-name="sort.partition"]')
      .click();
    const caller = panel.getByTestId('sandwich-callers').locator('li[data-name="sort.pdqsort"]');
    await caller.waitFor();
    expect(await caller.textContent()).toContain(`${pct(partition.cum, whole.total)} of all`);
    expect(await caller.textContent()).toContain('100% of selected');
  });

  it('lists every callee in Sandwich: past eight, "+N more" unfolds the rest', async () => {
    const page = await openWith([CPU]);
    const panel = activePanel(page);
    await panel.getByTestId('profile-total').waitFor();
    // pprof -peek's callees of runtime.mallocgc: the lines after its own, up to the rule.
    const peek = execFileSync(
      'go',
      ['tool', 'pprof', '-peek', '^runtime\\.mallocgc$', '-nodefraction=0', '-edgefraction=0', CPU],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    ).split('\n');
    const own = peek.findIndex((l) => /\| runtime\.mallocgc$/.test(l));
    const callees: string[] = [];
    for (const l of peek.slice(own + 1)) {
      const m = /\|\s+(\S+)/.exec(l);
      if (!m) break;
      callees.push(m[1]);
    }
    expect(callees.length).toBeGreaterThan(8);

    await view(page, 'Sandwich');
    await panel.getByTestId('table-filter').fill('^runtime\\.mallocgc$');
    await panel
      .locator('[data-testid=sandwich-table] tbody tr[data-name="runtime.mallocgc"]')
      .click();
    const list = panel.getByTestId('sandwich-callees').getByTestId('neighbours');
    await list.locator('li[data-name]').first().waitFor();
    expect(await list.locator('li[data-name]').count()).toBe(8);
    const more = list.getByTestId('neighbours-more');
    expect(await more.textContent()).toBe(`+${callees.length - 8} more`);
    await more.click();
    const names = await list
      .locator('li[data-name]')
      .evaluateAll((lis) => lis.map((l) => l.getAttribute('data-name')));
    expect(names.sort()).toEqual([...callees].sort());
    expect(await list.getByTestId('neighbours-more').count()).toBe(0);
    await screenshot(page, 'sandwich-all-callees');
  });
});
