// The page reads only what the user chose: launch files, dialog choices, recent entries,
// folders opened (their profile files), the library and the samples. Anything else — with
// browser mode's token or from a compromised renderer — is refused by the services.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProfscopeApi } from '../../../electron/contract';
import { createServices, dispatch } from '../../../electron/services/createServices';

function setup(mode: 'browser' | 'electron', launchFiles: string[] = [], folder?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'profscope-access-'));
  const api = createServices({
    mode,
    launchFiles,
    configDir: join(dir, 'config'),
    dataDir: join(dir, 'data'),
    dialogs: {
      chooseFiles: () => Promise.resolve([]),
      chooseFolder: () => Promise.resolve(folder ?? null),
    },
  });
  return { dir, api };
}

async function code(
  api: ProfscopeApi,
  method: 'readFile' | 'fileInfo' | 'listFolder',
  path: string,
) {
  const r = await dispatch(api, method, [path]);
  return r.ok ? 'ok' : r.error.code;
}

/** A folder with a profile, a non-profile, and a profile-named symlink to /etc/passwd. */
function profileFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'profscope-folder-'));
  writeFileSync(join(dir, 'cpu.pb.gz'), 'x');
  writeFileSync(join(dir, 'notes.txt'), 'secret');
  symlinkSync('/etc/passwd', join(dir, 'evil.pb.gz'));
  return dir;
}

describe('file access', () => {
  for (const mode of ['browser', 'electron'] as const) {
    it(`${mode}: refuses files nobody chose, relative paths and symlinks out`, async () => {
      const { api } = setup(mode);
      expect(await code(api, 'readFile', '/etc/passwd')).toBe('forbidden');
      expect(await code(api, 'readFile', '/proc/self/environ')).toBe('forbidden');
      expect(await code(api, 'fileInfo', '/etc/hostname')).toBe('forbidden');
      expect(await code(api, 'readFile', 'etc/passwd')).toBe('bad-request');
      expect(await code(api, 'listFolder', '/etc')).toBe('forbidden');
      expect(await code(api, 'listFolder', '/proc/self')).toBe('forbidden');
      const batch = await dispatch(api, 'readFileBatch', [['/etc/passwd']]);
      expect(batch.ok).toBe(true);
      expect(Buffer.from(batch.ok ? (batch.value as Uint8Array) : []).toString()).toMatch(
        /not a file you opened/,
      );
      const r = await dispatch(api, 'readFileChunk', ['/etc/passwd', 0, 10]);
      expect(r.ok ? 'ok' : r.error.code).toBe('forbidden');
      expect((await dispatch(api, 'addRecent', ['/etc/passwd', 'file'])).ok).toBe(false);
    });
  }

  it('reads launch files and the bundled samples', async () => {
    const folder = profileFolder();
    const { api } = setup('electron', [join(folder, 'cpu.pb.gz')]);
    expect(await code(api, 'readFile', join(folder, 'cpu.pb.gz'))).toBe('ok');
    const [sample] = await api.sampleFiles();
    expect(await code(api, 'readFile', sample.path)).toBe('ok');
    // The launch file's folder is not granted with it.
    expect(await code(api, 'listFolder', folder)).toBe('forbidden');
  });

  it('electron: a folder chosen in the dialog opens, with its profile files only', async () => {
    const folder = profileFolder();
    const { api } = setup('electron', [], folder);
    expect(await code(api, 'listFolder', folder)).toBe('forbidden');
    expect(await api.chooseFolder()).toBe(folder);
    expect((await api.listFolder(folder)).map((f) => f.name)).toEqual(['cpu.pb.gz', 'evil.pb.gz']);
    expect(await code(api, 'readFile', join(folder, 'cpu.pb.gz'))).toBe('ok');
    expect(await code(api, 'readFile', join(folder, 'notes.txt'))).toBe('forbidden');
    expect(await code(api, 'readFile', join(folder, 'evil.pb.gz'))).toBe('forbidden');
  });

  it('browser: a typed folder opens unless hidden or a system folder', async () => {
    const folder = profileFolder();
    const hidden = join(folder, '.kube');
    mkdirSync(hidden);
    writeFileSync(join(hidden, 'config.pb.gz'), 'token');
    const { api } = setup('browser');
    expect(await code(api, 'listFolder', folder)).toBe('ok');
    expect(await code(api, 'readFile', join(folder, 'cpu.pb.gz'))).toBe('ok');
    expect(await code(api, 'readFile', join(folder, 'notes.txt'))).toBe('forbidden');
    expect(await code(api, 'listFolder', hidden)).toBe('forbidden');
    expect(await code(api, 'readFile', join(hidden, 'config.pb.gz'))).toBe('forbidden');
  });

  it('the recent list grants at the next start only what was opened', async () => {
    const folder = profileFolder();
    const file = join(folder, 'cpu.pb.gz');
    const first = setup('electron', [file]);
    await first.api.addRecent(file, 'file');
    const again = createServices({
      mode: 'electron',
      launchFiles: [],
      configDir: join(first.dir, 'config'),
      dataDir: join(first.dir, 'data'),
    });
    expect(await code(again, 'readFile', file)).toBe('ok');
  });
});
