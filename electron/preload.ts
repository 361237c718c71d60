// Sandboxed preload: exposes exactly the API contract, one IPC channel per method.
import { contextBridge, ipcRenderer } from 'electron';
import {
  createApiClient,
  MENU_COMMAND_CHANNEL,
  OPEN_REQUEST_CHANNEL,
  type ApiResult,
  type MenuCommand,
  type OpenRequest,
  type ProfscopeEvents,
} from './contract';

const api = createApiClient(
  (method, args) => ipcRenderer.invoke(`profscope:${method}`, args) as Promise<ApiResult<unknown>>,
);

contextBridge.exposeInMainWorld('profscope', api);

const events: ProfscopeEvents = {
  onOpenRequest(listener) {
    const handler = (_event: unknown, requests: OpenRequest[]) => listener(requests);
    ipcRenderer.on(OPEN_REQUEST_CHANNEL, handler);
    return () => ipcRenderer.removeListener(OPEN_REQUEST_CHANNEL, handler);
  },
  onMenuCommand(listener) {
    const handler = (_event: unknown, command: MenuCommand) => listener(command);
    ipcRenderer.on(MENU_COMMAND_CHANNEL, handler);
    return () => ipcRenderer.removeListener(MENU_COMMAND_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('profscopeEvents', events);
