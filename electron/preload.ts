// Sandboxed preload: exposes exactly the API contract, one IPC channel per method.
import { contextBridge, ipcRenderer } from 'electron';
import { createApiClient, type ApiResult } from './contract';

const api = createApiClient(
  (method, args) => ipcRenderer.invoke(`profscope:${method}`, args) as Promise<ApiResult<unknown>>,
);

contextBridge.exposeInMainWorld('profscope', api);
