import { describe, expect, it } from 'vitest';
import { _electron } from 'playwright-core';

const electronPath = process.env.ELECTRON_PATH;

// There is no Electron binary on machines that cannot download it; the smoke test needs one.
describe.skipIf(!electronPath)('Electron smoke test (needs ELECTRON_PATH)', () => {
  it('opens a window with the sample profile', async () => {
    const app = await _electron.launch({ executablePath: electronPath, args: ['.'] });
    const win = await app.firstWindow();
    await win.getByTestId('flame-canvas').waitFor();
    expect(await win.title()).toBe('Profscope');
    // Sandboxed, isolated renderer: no Node globals, only the preload's API object.
    const globals = await win.evaluate(() => ({
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      api: typeof (window as unknown as { profscope?: { readFile?: unknown } }).profscope?.readFile,
    }));
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', api: 'function' });
    await app.close();
  });
});

if (!electronPath) {
  console.warn('Electron smoke test skipped: set ELECTRON_PATH to an Electron binary to run it.');
}
