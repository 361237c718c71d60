// electron/main.ts against a stand-in for the `electron` module (no Electron binary here):
// checks the window's security settings and what the thin adapter lets through.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => ({
  appEvents: new Map<string, Listener>(),
  ipc: new Map<string, Listener>(),
  protocols: new Map<string, (req: Request) => Promise<Response> | Response>(),
  windows: [] as { opts: { webPreferences: Record<string, unknown> } }[],
  permissionHandler: null as null | Listener,
  sandboxed: false,
  menu: [] as { label?: string; submenu?: { label?: string; click?: () => void }[] }[],
}));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = { on: vi.fn(), send: vi.fn(), isLoading: () => false };
    constructor(readonly opts: { webPreferences: Record<string, unknown> }) {
      fake.windows.push(this);
    }
    loadURL = vi.fn(() => Promise.resolve());
    on = vi.fn();
    isMinimized = () => false;
    restore = vi.fn();
    focus = vi.fn();
    static getAllWindows = () => fake.windows;
  }
  return {
    app: {
      isPackaged: false,
      getPath: () => mkdtempSync(join(tmpdir(), 'profscope-electron-')),
      requestSingleInstanceLock: () => true,
      quit: vi.fn(),
      on: (event: string, fn: Listener) => fake.appEvents.set(event, fn),
      whenReady: () => Promise.resolve(),
      enableSandbox: () => {
        fake.sandboxed = true;
      },
    },
    BrowserWindow,
    dialog: { showOpenDialog: vi.fn() },
    ipcMain: { handle: (channel: string, fn: Listener) => fake.ipc.set(channel, fn) },
    protocol: {
      handle: (scheme: string, fn: (req: Request) => Promise<Response>) =>
        fake.protocols.set(scheme, fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Listener) => {
          fake.permissionHandler = fn;
        },
      },
    },
    shell: { openExternal: vi.fn(() => Promise.resolve()) },
    Menu: {
      buildFromTemplate: (template: unknown) => template,
      setApplicationMenu: (menu: unknown) => {
        fake.menu = menu as {
          label?: string;
          submenu?: { label?: string; click?: () => void }[];
        }[];
      },
    },
  };
});

beforeAll(async () => {
  await import('../../../electron/main');
  await new Promise((r) => setTimeout(r, 10));
});

const ORIGIN = 'https://profscope.invalid';

function ipcEvent(url: string, mainFrame = true) {
  const frame = { url };
  return { senderFrame: frame, sender: { mainFrame: mainFrame ? frame : { url } } };
}

describe('electron/main.ts', () => {
  it('opens one sandboxed, isolated window without Node', () => {
    expect(fake.sandboxed).toBe(true);
    expect(fake.windows).toHaveLength(1);
    expect(fake.windows[0].opts.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(String(fake.windows[0].opts.webPreferences.preload)).toMatch(/preload\.cjs$/);
  });

  it('serves the app origin with its CSP and answers every other host with 403', async () => {
    const https = fake.protocols.get('https')!;
    const ok = await https(
      new Request('https://speedscope.profscope.invalid/speedscope/index.html'),
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain(`frame-ancestors ${ORIGIN}`);
    // speedscope lives on its own origin only; the app origin does not serve it.
    expect((await https(new Request(`${ORIGIN}/speedscope/index.html`))).status).toBe(404);
    expect((await https(new Request('https://example.com/'))).status).toBe(403);
    expect((await fake.protocols.get('http')!(new Request('http://example.com/'))).status).toBe(
      403,
    );
  });

  it('answers IPC from our top-level page only, with validated arguments', async () => {
    const appInfo = fake.ipc.get('profscope:appInfo')!;
    expect(await appInfo(ipcEvent(`${ORIGIN}/index.html`), [])).toMatchObject({
      ok: true,
      value: { mode: 'electron' },
    });
    for (const event of [
      ipcEvent('https://speedscope.profscope.invalid/speedscope/index.html'),
      ipcEvent(`${ORIGIN}/index.html`, false),
      ipcEvent('https://evil.example/'),
    ]) {
      expect(await appInfo(event, [])).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    const readFile = fake.ipc.get('profscope:readFile')!;
    expect(
      await readFile(ipcEvent(`${ORIGIN}/index.html`), [{ path: '/etc/passwd' }]),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
  });

  it('blocks navigation away from the app, new windows and permissions', () => {
    const handlers = new Map<string, Listener>();
    let openHandler: Listener = () => null;
    fake.appEvents.get('web-contents-created')!(
      {},
      {
        setWindowOpenHandler: (fn: Listener) => {
          openHandler = fn;
        },
        on: (event: string, fn: Listener) => handlers.set(event, fn),
      },
    );
    expect(openHandler({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    const nav = (url: string) => {
      const event = { url, preventDefault: vi.fn() };
      handlers.get('will-frame-navigate')!(event);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(nav('https://evil.example/')).toBe(true);
    expect(nav('file:///etc/passwd')).toBe(true);
    expect(nav('https://speedscope.profscope.invalid/speedscope/index.html')).toBe(false);
    expect(nav(`${ORIGIN}/index.html`)).toBe(false);
    const callback = vi.fn();
    fake.permissionHandler!({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
  });

  it('holds files from a second launch until the page listens, then hands them over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'second-'));
    fake.appEvents.get('second-instance')!({}, ['/x/electron', '/app', 'cpu.pb.gz'], dir);
    const win = fake.windows[0] as unknown as { webContents: { send: ReturnType<typeof vi.fn> } };
    expect(win.webContents.send).not.toHaveBeenCalled();
    await fake.ipc.get('profscope:readyForOpenRequests')!(ipcEvent(`${ORIGIN}/index.html`), []);
    expect(win.webContents.send).toHaveBeenCalledWith('profscope:open-request', [
      { path: join(dir, 'cpu.pb.gz'), kind: 'file' },
    ]);
  });

  it('sends File menu commands to the page', () => {
    const win = fake.windows[0] as unknown as { webContents: { send: ReturnType<typeof vi.fn> } };
    const file = fake.menu.find((m) => m.label === 'File')!;
    file.submenu!.find((i) => i.label === 'Open Folder…')!.click!();
    expect(win.webContents.send).toHaveBeenLastCalledWith('profscope:menu-command', 'open-folder');
  });
});
