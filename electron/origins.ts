// Where the app and the embedded speedscope live. speedscope runs third-party code and
// renders profile strings, so it gets an origin of its own: it cannot reach our page's
// preload API, our cookies or our HTTP API, and we hand it profiles by capability URL.

/** Electron: an https origin (speedscope only loads profile URLs on http(s) pages); `.invalid` never resolves. */
export const ELECTRON_APP_HOST = 'profscope.invalid';
export const ELECTRON_SPEEDSCOPE_HOST = 'speedscope.profscope.invalid';

export interface Origins {
  app: string;
  speedscope: string;
}

/**
 * Browser mode: two ports of one server. Another port is another origin (no access to our
 * page, cookies' guard or API) but the same site, so speedscope may keep its local storage.
 */
export function browserOrigins(appPort: number, speedscopePort: number): Origins {
  return { app: `http://127.0.0.1:${appPort}`, speedscope: `http://127.0.0.1:${speedscopePort}` };
}

export const ELECTRON_ORIGINS: Origins = {
  app: `https://${ELECTRON_APP_HOST}`,
  speedscope: `https://${ELECTRON_SPEEDSCOPE_HOST}`,
};

/** Browser mode's server names speedscope's origin in the page (a meta tag); Electron's is fixed. */
export const SPEEDSCOPE_ORIGIN_META = 'profscope-speedscope-origin';

/** Path prefix of staged profiles on the speedscope origin. */
export const SPEEDSCOPE_PROFILES_PATH = '/speedscope-profiles/';
