// electron/main.ts against a stand-in for the `electron` module (no Electron binary here):
// checks the window's security settings and what the thin adapter lets through.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;
interface FakeWindow {
  opts: { webPreferences: Record<string, unknown> };
  webContents: {
    handlers: Map<string, Listener>;
    send: ReturnType<typeof vi.fn>;
    reload: ReturnType<typeof vi.fn>;
  };
}
type MenuItem = { label?: string; role?: string; submenu?: MenuItem[]; click?: () => void };

const fake = vi.hoisted(() => ({
  appEvents: new Map<string, Listener>(),
  ipc: new Map<string, Listener>(),
  protocols: new Map<string, (req: Request) => Promise<Response> | Response>(),
  windows: [] as FakeWindow[],
  permissionHandler: null as null | Listener,
  permissionCheck: null as null | Listener,
  isPackaged: false,
  openedExternally: [] as string[],
  errorBoxes: [] as string[],
  sandboxed: false,
  menu: [] as MenuItem[],
}));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = {
      handlers: new Map<string, Listener>(),
      on: (event: string, fn: Listener) => this.webContents.handlers.set(event, fn),
      send: vi.fn(),
      reload: vi.fn(),
      isLoading: () => false,
    };
    constructor(readonly opts: { webPreferences: Record<string, unknown> }) {
      fake.windows.push(this);
    }
    isDestroyed = () => false;
    loadURL = vi.fn(() => Promise.resolve());
    on = vi.fn();
    isMinimized = () => false;
    restore = vi.fn();
    focus = vi.fn();
    static getAllWindows = () => fake.windows;
  }
  return {
    app: {
      get isPackaged() {
        return fake.isPackaged;
      },
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
    dialog: {
      showOpenDialog: vi.fn(),
      showErrorBox: (_title: string, text: string) => fake.errorBoxes.push(text),
    },
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
        setPermissionCheckHandler: (fn: Listener) => {
          fake.permissionCheck = fn;
        },
      },
    },
    shell: {
      openExternal: (url: string) => {
        fake.openedExternally.push(url);
        return Promise.resolve();
      },
    },
    Menu: {
      buildFromTemplate: (template: unknown) => template,
      setApplicationMenu: (menu: unknown) => {
        fake.menu = menu as MenuItem[];
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
      new Request('https://profscope-speedscope.invalid/speedscope/index.html'),
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
      ipcEvent('https://profscope-speedscope.invalid/speedscope/index.html'),
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
    expect(nav('https://profscope-speedscope.invalid/speedscope/index.html')).toBe(false);
    expect(nav(`${ORIGIN}/index.html`)).toBe(false);
    const callback = vi.fn();
    fake.permissionHandler!({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
  });

  it('holds files from a second launch until the page listens, then hands them over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'second-'));
    fake.appEvents.get('second-instance')!({}, ['/x/electron', '/app', 'cpu.pb.gz'], dir);
    const win = fake.windows[0];
    expect(win.webContents.send).not.toHaveBeenCalled();
    await fake.ipc.get('profscope:readyForOpenRequests')!(ipcEvent(`${ORIGIN}/index.html`), []);
    expect(win.webContents.send).toHaveBeenCalledWith('profscope:open-request', [
      { path: join(dir, 'cpu.pb.gz'), kind: 'file' },
    ]);
  });

  it('sends File menu commands to the page', () => {
    const win = fake.windows[0];
    const file = fake.menu.find((m) => m.label === 'File')!;
    file.submenu!.find((i) => i.label === 'Open Folder…')!.click!();
    expect(win.webContents.send).toHaveBeenLastCalledWith('profscope:menu-command', 'open-folder');
  });
});

/** What main.ts installs on every new web contents (the window, speedscope's frame). */
function contentsHandlers() {
  const handlers = new Map<string, Listener>();
  let openHandler: Listener = () => null;
  const contents = {
    setWindowOpenHandler: (fn: Listener) => {
      openHandler = fn;
    },
    on: (event: string, fn: Listener) => handlers.set(event, fn),
    closeDevTools: vi.fn(),
  };
  fake.appEvents.get('web-contents-created')!({}, contents);
  return { handlers, open: (url: string) => openHandler({ url }), contents };
}

const viewMenuRoles = () =>
  fake.menu.find((m) => m.label === 'View')!.submenu!.flatMap((i) => (i.role ? [i.role] : []));

describe('electron/main.ts hardening', () => {
  it('answers every permission check no, as well as every request', () => {
    for (const permission of ['media', 'clipboard-read', 'geolocation', 'notifications', 'hid']) {
      expect(fake.permissionCheck!(null, permission, ORIGIN, {})).toBe(false);
    }
  });

  it('opens only https links to the allowed hosts in the browser', () => {
    const { open } = contentsHandlers();
    const refused = [
      'http://github.com/golang/go',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'https://evil.example/',
      'https://github.com.evil.example/',
      'https://evil.github.com/',
      'https://user:secret@github.com/',
      'https://github.com:8443/',
      'smb://github.com/share',
      'not a url',
    ];
    for (const url of refused) expect(open(url)).toEqual({ action: 'deny' });
    expect(fake.openedExternally).toEqual([]);
    expect(open('https://pkg.go.dev/runtime/pprof')).toEqual({ action: 'deny' });
    expect(open('https://GitHub.com/jlfwong/speedscope')).toEqual({ action: 'deny' });
    expect(fake.openedExternally).toEqual([
      'https://pkg.go.dev/runtime/pprof',
      'https://github.com/jlfwong/speedscope',
    ]);
  });

  it('reloads a crashed window (its tabs come back from the page), a few times at most', () => {
    const win = fake.windows[0];
    const gone = (reason: string) =>
      win.webContents.handlers.get('render-process-gone')!({}, { reason });
    gone('clean-exit');
    expect(win.webContents.reload).not.toHaveBeenCalled();
    gone('oom');
    gone('crashed');
    gone('killed');
    expect(win.webContents.reload).toHaveBeenCalledTimes(3);
    expect(fake.errorBoxes).toEqual([]);
    gone('crashed');
    expect(win.webContents.reload).toHaveBeenCalledTimes(3);
    expect(fake.errorBoxes).toEqual([expect.stringMatching(/crashed.*restart Profscope/)]);
  });

  it('has DevTools in development only', async () => {
    expect(fake.windows[0].opts.webPreferences.devTools).toBe(true);
    expect(viewMenuRoles()).toContain('toggleDevTools');

    fake.isPackaged = true;
    vi.resetModules();
    await import('../../../electron/main');
    await new Promise((r) => setTimeout(r, 10));
    const packaged = fake.windows.at(-1)!;
    expect(packaged).not.toBe(fake.windows[0]);
    expect(packaged.opts.webPreferences.devTools).toBe(false);
    expect(viewMenuRoles()).not.toContain('toggleDevTools');
    expect(viewMenuRoles()).toContain('reload');
    const { handlers, contents } = contentsHandlers();
    handlers.get('devtools-opened')!();
    expect(contents.closeDevTools).toHaveBeenCalled();
  });
});
