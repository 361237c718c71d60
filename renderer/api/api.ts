import { createApiClient, type ApiResult, type ProfscopeApi } from '../../electron/contract';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    profscope?: ProfscopeApi;
  }
}

/** Browser mode: the same contract over HTTP; the session cookie carries the token. */
function httpApi(): ProfscopeApi {
  return createApiClient(async (method, args) => {
    const res = await fetch(`./api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(args),
      credentials: 'same-origin',
    });
    if (res.status === 401) {
      return {
        ok: false,
        error: { code: 'bad-request', message: 'not authorized: reopen the URL with its token' },
      };
    }
    if (res.headers.get('content-type') === 'application/octet-stream') {
      return { ok: true, value: new Uint8Array(await res.arrayBuffer()) };
    }
    return (await res.json()) as ApiResult<unknown>;
  });
}

export const api: ProfscopeApi = window.profscope ?? httpApi();
