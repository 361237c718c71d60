import { createApiClient, type ApiResult, type ProfscopeApi } from '../../electron/contract';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    profscope?: ProfscopeApi;
  }
}

/** Browser mode: the same contract over HTTP, with the token the server put in our page. */
function httpApi(): ProfscopeApi {
  const token =
    document.querySelector<HTMLMetaElement>('meta[name=profscope-token]')?.content ?? '';
  return createApiClient(async (method, args) => {
    const res = await fetch(`./api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-profscope-token': token },
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
