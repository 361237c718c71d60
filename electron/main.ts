// The Electron adapter: windows, the app's https origin handler and IPC. All real work is in the
// plain Node services; this file only wires them to Electron.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  session,
  shell,
  type IpcMainInvokeEvent,
  type MenuItemConstructorOptions,
} from 'electron';
import { join } from 'node:path';
import {
  apiMethods,
  MENU_COMMAND_CHANNEL,
  OPEN_REQUEST_CHANNEL,
  type ApiMethod,
  type MenuCommand,
  type OpenRequest,
} from './contract';
import { profilePathsFromArgv, userArgs } from './launchArgs';
import { OpenQueue, openRequestFor, openRequestsFromArgv } from './openQueue';
import { createServices, dispatch } from './services/createServices';
import type { LiveService } from './kube/liveService';
import type { FileAccess } from './services/fileAccess';
import { routeApp, routeSpeedscope } from './server/appRoutes';
import { ELECTRON_APP_HOST, ELECTRON_ORIGINS, ELECTRON_SPEEDSCOPE_HOST } from './origins';
import { externalUrl } from './externalLinks';
import { RendererRecovery } from './rendererRecovery';

/** The handler below answers every http(s) request, so nothing leaves the machine. */
const APP_ORIGIN = ELECTRON_ORIGINS.app;

const launchFiles = profilePathsFromArgv(userArgs(process.argv, app.isPackaged), process.cwd());

// One window for all launches: a second `profscope FILE` or double-click hands its files here.
if (!app.requestSingleInstanceLock()) app.exit(0);

let mainWindow: BrowserWindow | null = null;
const rendererRecovery = new RendererRecovery();
const openQueue = new OpenQueue();

app.on('second-instance', (_event, argv, workingDirectory) => {
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }
  openQueue.push(granted(openRequestsFromArgv(argv, workingDirectory, app.isPackaged)));
});

// macOS: registered before ready, since a double-click that starts the app arrives first.
app.on('open-file', (event, path) => {
  event.preventDefault();
  openQueue.push(granted([openRequestFor(path)]));
});

const PROFILE_FILTERS = [
  { name: 'Go profiles', extensions: ['pprof', 'gz', 'prof', 'pb'] },
  { name: 'All files', extensions: ['*'] },
];

let live: LiveService | null = null;
let access: FileAccess | null = null;
/** What the OS hands over is the user's choice: the page may read it. */
const pendingGrants: OpenRequest[] = [];
function granted(requests: OpenRequest[]): OpenRequest[] {
  if (access) for (const r of requests) access.grantSync(r.path, r.kind);
  else pendingGrants.push(...requests);
  return requests;
}

const services = createServices({
  mode: 'electron',
  launchFiles,
  configDir: app.getPath('userData'),
  dataDir: app.getPath('userData'),
  onLive: (service) => {
    live = service;
  },
  onAccess: (a) => {
    access = a;
    for (const r of pendingGrants.splice(0)) a.grantSync(r.path, r.kind);
  },
  onReadyForOpenRequests: () => {
    const win = mainWindow;
    if (win) openQueue.attach((requests) => win.webContents.send(OPEN_REQUEST_CHANNEL, requests));
  },
  dialogs: {
    chooseFiles: async () => {
      const r = await dialog.showOpenDialog({
        properties: ['openFile', 'multiSelections'],
        filters: PROFILE_FILTERS,
      });
      return r.canceled ? [] : r.filePaths;
    },
    chooseFolder: async () => {
      const r = await dialog.showOpenDialog({ properties: ['openDirectory'] });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
  },
});

/** Only our own top-level page may call the API (speedscope's frame is another origin). */
function fromOurPage(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  const url = frame?.url ?? '';
  return frame === event.sender.mainFrame && url.startsWith(`${APP_ORIGIN}/`);
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
  protocol.handle('https', async (request) => {
    const url = new URL(request.url);
    const file =
      url.host === ELECTRON_APP_HOST
        ? await routeApp(url.pathname, ELECTRON_ORIGINS)
        : url.host === ELECTRON_SPEEDSCOPE_HOST
          ? await routeSpeedscope(url.pathname, ELECTRON_ORIGINS)
          : undefined;
    if (file === undefined) {
      return new Response('offline: Profscope makes no network requests', { status: 403 });
    }
    if (!file) return new Response('not found', { status: 404 });
    return new Response(new Uint8Array(file.body), {
      headers: { 'content-type': file.contentType, ...file.headers },
    });
  });
  protocol.handle('http', () => new Response('offline', { status: 403 }));
}

/** File and Help items send their command to the page, which owns dialogs' results and tabs. */
function buildMenu(): void {
  const send = (command: MenuCommand) => () =>
    mainWindow?.webContents.send(MENU_COMMAND_CHANNEL, command);
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: send('open-files') },
        { label: 'Open Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: send('open-folder') },
        { type: 'separator' },
        { role: process.platform === 'darwin' ? 'close' : 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      // The standard View menu without its DevTools item (and accelerator) in a packaged app.
      submenu: [
        { role: 'reload' },
        { role: 'forceReload' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Help',
      submenu: [{ label: 'Keyboard Shortcuts (?)', click: send('shortcuts') }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
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
      // A packaged app has no DevTools: in the hands of whoever sits at it, they are a console
      // with the page's powers (its IPC).
      devTools: !app.isPackaged,
    },
  });
  mainWindow = win;
  // A crashed renderer (out of memory on a hostile profile, say) comes back with its tabs:
  // the page keeps their sources in sessionStorage, which outlives the renderer.
  win.webContents.on('render-process-gone', (_event, details) => {
    if (win.isDestroyed()) return;
    if (rendererRecovery.shouldReload(details.reason)) win.webContents.reload();
    else if (details.reason !== 'clean-exit') {
      dialog.showErrorBox(
        'Profscope',
        `The window stopped (${details.reason}) and could not be brought back; restart Profscope.`,
      );
    }
  });
  // A reload drops the page's listener: hold requests until it says it listens again.
  win.webContents.on('did-start-loading', () => openQueue.detach());
  win.on('closed', () => {
    mainWindow = null;
    openQueue.detach();
  });
  win.loadURL(`${APP_ORIGIN}/index.html`).catch((err: unknown) => {
    console.error('Profscope: could not load its window', err);
  });
}

app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(({ url }) => {
    const allowed = externalUrl(url);
    if (allowed) shell.openExternal(allowed).catch(() => undefined);
    return { action: 'deny' };
  });
  // webPreferences.devTools already refuses them; this covers contents created without it.
  if (app.isPackaged) contents.on('devtools-opened', () => contents.closeDevTools());
  // Neither our page nor the speedscope frame may navigate away from the app's origin.
  contents.on('will-frame-navigate', (event) => {
    const ours = [ELECTRON_ORIGINS.app, ELECTRON_ORIGINS.speedscope].some((o) =>
      event.url.startsWith(`${o}/`),
    );
    if (!ours) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

// Port-forwards, captures and continuous capture stop before the process goes.
app.on('before-quit', () => {
  void live?.shutdown();
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Every renderer sandboxed, including any a future change forgets to configure.
app.enableSandbox();

void app.whenReady().then(() => {
  // A profile viewer needs no camera, microphone, notifications or geolocation.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  // Checks (what `navigator.permissions.query` and some APIs ask without prompting) answer no too.
  session.defaultSession.setPermissionCheckHandler(() => false);
  registerProtocol();
  registerIpc();
  buildMenu();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});
