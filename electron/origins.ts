// Where the app and the embedded speedscope live. speedscope runs third-party code and
// renders profile strings, so it gets an origin of its own: it cannot reach our page's
// preload API, our cookies or our HTTP API, and we hand it profiles by capability URL.
// It also gets a SITE of its own (another registrable domain, not just another origin):
// Chromium keeps same-site frames in the page's process, on its main thread, so speedscope
// busy for minutes on a huge profile froze the whole app. A cross-site frame gets its own
// renderer process (site isolation), and the app keeps answering.

/**
 * Electron: https origins (speedscope only loads profile URLs on http(s) pages); `.invalid`
 * never resolves. Not a subdomain of the app's host: `speedscope.profscope.invalid` is the
 * same site as `profscope.invalid`. With a TLD the public suffix list does not know, Chromium
 * takes the last label as the registry, so each `name.invalid` is a site of its own.
 */
export const ELECTRON_APP_HOST = 'profscope.invalid';
export const ELECTRON_SPEEDSCOPE_HOST = 'profscope-speedscope.invalid';

export interface Origins {
  app: string;
  speedscope: string;
}

/** Browser mode: the page's host; the only one its server answers. */
export const BROWSER_APP_HOST = '127.0.0.1';
/**
 * Browser mode: speedscope's host. A site is scheme and host without the port, so another port
 * of 127.0.0.1 would be the same site; `localhost` is another site that Chromium resolves to the
 * loopback address itself, never through DNS.
 */
export const BROWSER_SPEEDSCOPE_HOST = 'localhost';

/** Browser mode: two ports of one server (127.0.0.1), two sites. */
export function browserOrigins(appPort: number, speedscopePort: number): Origins {
  return {
    app: `http://${BROWSER_APP_HOST}:${appPort}`,
    speedscope: `http://${BROWSER_SPEEDSCOPE_HOST}:${speedscopePort}`,
  };
}

export const ELECTRON_ORIGINS: Origins = {
  app: `https://${ELECTRON_APP_HOST}`,
  speedscope: `https://${ELECTRON_SPEEDSCOPE_HOST}`,
};

/** Browser mode's server names speedscope's origin in the page (a meta tag); Electron's is fixed. */
export const SPEEDSCOPE_ORIGIN_META = 'profscope-speedscope-origin';

/** Path prefix of staged profiles on the speedscope origin. */
export const SPEEDSCOPE_PROFILES_PATH = '/speedscope-profiles/';
