import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { BrowserServer } from '../../electron/server/browserServer';
import { activePanel, launchBrowser, openPage, screenshot, startApp } from './harness';

let server: BrowserServer;
let browser: Browser;

beforeAll(async () => {
  server = await startApp();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('browser mode server', () => {
  it('refuses requests without the token', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/api/appInfo`, { method: 'POST', body: '[]' })).status).toBe(401);
    const wrong = await fetch(`${base}/api/appInfo`, {
      method: 'POST',
      body: '[]',
      headers: { 'x-profscope-token': 'nope' },
    });
    expect(wrong.status).toBe(401);
  });

  it('answers the API with the token header and validates arguments', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const headers = { 'x-profscope-token': server.token, 'content-type': 'application/json' };
    const info = (await (
      await fetch(`${base}/api/appInfo`, { method: 'POST', body: '[]', headers })
    ).json()) as { ok: boolean; value: { mode: string } };
    expect(info).toMatchObject({ ok: true, value: { mode: 'browser' } });
    const bad = (await (
      await fetch(`${base}/api/readFile`, { method: 'POST', body: '[42]', headers })
    ).json()) as { ok: boolean; error: { code: string } };
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    // A forged cross-site form post: the cookie alone, as text/plain, is not enough.
    const cookie = `profscope_${server.port}=${server.token}`;
    const forged = await fetch(`${base}/api/appInfo`, {
      method: 'POST',
      body: '[]',
      headers: { cookie, 'content-type': 'text/plain' },
    });
    expect(forged.status).toBe(401);
    const wrongType = await fetch(`${base}/api/appInfo`, {
      method: 'POST',
      body: '[]',
      headers: { 'x-profscope-token': server.token, 'content-type': 'text/plain' },
    });
    expect(wrongType.status).toBe(404);
  });

  it('swaps the URL token for a cookie and keeps speedscope on an origin of its own', async () => {
    const first = await fetch(server.url, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('/');
    const cookie = first.headers.get('set-cookie')!.split(';')[0];
    const page = await fetch(`http://127.0.0.1:${server.port}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`<meta name="profscope-token" content="${server.token}"`);
    const ss = `http://localhost:${server.speedscopePort}`;
    expect(html).toContain(`content="${ss}"`);
    const speedscope = await fetch(`${ss}/speedscope/index.html`);
    expect(speedscope.status).toBe(200);
    expect(speedscope.headers.get('content-security-policy')).toContain(
      `frame-ancestors http://127.0.0.1:${server.port}`,
    );
    // speedscope's origin serves nothing of the app's: no API, no page, no token.
    const api = await fetch(`${ss}/api/appInfo`, {
      method: 'POST',
      body: '[]',
      headers: { 'x-profscope-token': server.token, 'content-type': 'application/json' },
    });
    expect(api.status).toBe(404);
    expect((await fetch(`${ss}/`)).status).toBe(404);
    expect(
      (
        await fetch(`http://127.0.0.1:${server.port}/speedscope/index.html`, {
          headers: { cookie },
        })
      ).status,
    ).toBe(404);
  });

  it('serves the page with a strict CSP', async () => {
    const first = await fetch(server.url, { redirect: 'manual' });
    const cookie = first.headers.get('set-cookie')!.split(';')[0];
    const res = await fetch(`http://127.0.0.1:${server.port}/`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
  });
});

describe('first start', () => {
  it('opens the bundled sample CPU profile with its header and flame graph', async () => {
    const { page, errors } = await openPage(browser, server.url);
    await page.getByRole('tab', { name: /fleet-controller-cpu\.pb\.gz/ }).waitFor();
    await activePanel(page).getByTestId('flame-canvas').waitFor();
    await expect
      .poll(() => activePanel(page).getByTestId('profile-type').textContent())
      .toBe('cpu');
    const total = await activePanel(page).getByTestId('profile-total').textContent();
    expect(total).toMatch(/s/);
    const drawn = Number(
      await activePanel(page).getByTestId('flame-canvas').getAttribute('data-drawn'),
    );
    expect(drawn).toBeGreaterThan(20);

    // Left-heavy: the widest child of the root is at the far left of the second row.
    const canvas = activePanel(page).getByTestId('flame-canvas');
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + 5, box.y + 18 + 9);
    const tooltip = activePanel(page).getByTestId('flame-tooltip');
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toMatch(/of all/);
    await screenshot(page, 'foundation-flame');
    expect(errors).toEqual([]);
  });

  it('shows a clear error naming a file that is not a profile', async () => {
    const { page } = await openPage(browser, server.url);
    await page.getByRole('tab', { name: /fleet-controller-cpu/ }).waitFor();
    await page.getByTestId('file-input').setInputFiles({
      name: 'notes.pb.gz',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('goroutine profile: total 3\n1 @ 0x1\n'),
    });
    const err = activePanel(page).getByTestId('tab-error');
    await err.waitFor();
    expect(await err.textContent()).toMatch(/notes\.pb\.gz/);
    expect(await err.textContent()).toMatch(/goroutine/i);
    // The other tab is untouched.
    await page.getByRole('tab', { name: /fleet-controller-cpu/ }).click();
    await activePanel(page).getByTestId('flame-canvas').waitFor();
    await screenshot(page, 'foundation-error');
  });

  it('says what to do when nothing is open, and shows the shortcuts on ?', async () => {
    const { page } = await openPage(browser, server.url, { dark: true });
    await page.getByRole('tab', { name: /fleet-controller-cpu/ }).waitFor();
    await page.getByRole('button', { name: /Close fleet-controller-cpu/ }).click();
    await page.getByText('Open a Go profile').waitFor();
    expect(await page.locator('.empty-state').textContent()).toMatch(/Drop a .*Connect/);
    await screenshot(page, 'empty-state-dark');
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await screenshot(page, 'help-overlay');
  });

  it('`profscope serve FILE` serves that file; the browser gets a one-time code, never the token', async () => {
    const file = join(process.cwd(), 'test', 'fixtures', 'pprof', 'heap.pb.gz');
    // A stand-in for xdg-open that records its argv, which any user of the machine can read.
    const bin = mkdtempSync(join(tmpdir(), 'profscope-opener-'));
    const argvFile = join(bin, 'argv');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\necho "$@" > ${argvFile}\n`, { mode: 0o755 });
    const child = spawn(process.execPath, ['bin/profscope.cjs', 'serve', file], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, DISPLAY: ':99' },
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /http:\/\/127\.0\.0\.1:\d+\/\?code=[\w-]+/.exec(out);
          if (m) resolve(m[0]);
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
      await expect.poll(() => existsSync(argvFile)).toBe(true);
      const opened = readFileSync(argvFile, 'utf8').trim();
      expect(opened).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?code=[\w-]+$/);
      expect(opened).not.toBe(url);
      // The opener's code logs in once; a second use is refused.
      expect((await fetch(opened, { redirect: 'manual' })).status).toBe(302);
      expect((await fetch(opened, { redirect: 'manual' })).status).toBe(401);
      const { page } = await openPage(browser, url);
      await page.getByRole('tab', { name: 'heap.pb.gz' }).waitFor();
      await expect
        .poll(() => activePanel(page).getByTestId('profile-type').textContent())
        .toBe('space');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
