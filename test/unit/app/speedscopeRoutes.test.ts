import { describe, expect, it } from 'vitest';
import { routeSpeedscope } from '../../../electron/server/appRoutes';
import { SPEEDSCOPE_SHIM_PATH } from '../../../electron/server/speedscopeShim';
import { browserOrigins, ELECTRON_ORIGINS } from '../../../electron/origins';

describe("speedscope's origin", () => {
  it('is another host than the page in both modes (so another site)', () => {
    for (const o of [ELECTRON_ORIGINS, browserOrigins(1, 2)]) {
      const [app, speedscope] = [new URL(o.app).hostname, new URL(o.speedscope).hostname];
      expect(speedscope).not.toBe(app);
      expect(speedscope.endsWith(`.${app}`)).toBe(false);
    }
  });

  it('serves its page with the storage fallback before its own script, under its CSP', async () => {
    const page = (await routeSpeedscope('/speedscope/index.html', ELECTRON_ORIGINS))!;
    const html = page.body.toString('utf8');
    const shim = html.indexOf(`<script src="${SPEEDSCOPE_SHIM_PATH}"></script>`);
    expect(shim).toBeGreaterThan(0);
    expect(shim).toBeLessThan(html.indexOf('<script src="speedscope'));
    expect(page.headers['content-security-policy']).toContain(
      `frame-ancestors ${ELECTRON_ORIGINS.app}`,
    );
    const js = (await routeSpeedscope(SPEEDSCOPE_SHIM_PATH, ELECTRON_ORIGINS))!;
    expect(js.contentType).toMatch(/^text\/javascript/);
    expect(js.headers['content-security-policy']).toContain("default-src 'none'");
    // Nothing else of ours: no API, no page of the app.
    expect(await routeSpeedscope('/api/appInfo', ELECTRON_ORIGINS)).toBeNull();
    expect(await routeSpeedscope('/index.html', ELECTRON_ORIGINS)).toBeNull();
  });
});
