// The Electron adapter: windows, the app:// protocol and IPC. All real work is in the
// plain Node services; this file only wires them to Electron.
import { app, BrowserWindow, ipcMain, protocol, shell, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { apiMethods, type ApiMethod } from './contract';
import { RENDERER_CSP } from './csp';
import { profilePathsFromArgv } from './launchArgs';
import { createServices, dispatch } from './services/createServices';
import { rendererDir } from './services/paths';
import { readStatic } from './server/staticFiles';

const APP_ORIGIN = 'app://profscope';

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

const launchFiles = profilePathsFromArgv(process.argv.slice(app.isPackaged ? 1 : 2), process.cwd());
const services = createServices({ mode: 'electron', launchFiles });

function fromOurPage(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url ?? '';
  return url.startsWith(`${APP_ORIGIN}/`);
}

function registerIpc(): void {
  for (const method of Object.keys(apiMethods) as ApiMethod[]) {
    ipcMain.handle(`profscope:${method}`, (event, args: unknown) => {
      if (!fromOurPage(event)) {
        return { ok: false, error: { code: 'bad-request', message: 'IPC from an unknown frame' } };
      }
      return dispatch(services, method, args);
    });
  }
}

function registerProtocol(): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'profscope' ? await readStatic(rendererDir(), url.pathname) : null;
    if (!file) return new Response('not found', { status: 404 });
    const headers: Record<string, string> = { 'content-type': file.contentType };
    if (file.contentType.startsWith('text/html')) headers['content-security-policy'] = RENDERER_CSP;
    return new Response(new Uint8Array(file.body), { headers });
  });
}

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Profscope',
    backgroundColor: '#1e1e24',
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
}

app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

void app.whenReady().then(() => {
  registerProtocol();
  registerIpc();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});
