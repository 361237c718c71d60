// Which files the page may read: only what the user chose. A compromised renderer, or anyone
// holding browser mode's token, once could read any path (/etc/passwd, /proc/self/environ,
// ~/.kube/config). Grants come from places the page cannot forge: argv and the OS's open-file,
// the native dialogs, the recent list (each entry was granted when added), the library and the
// bundled samples. Browser mode has no native folder dialog, so a folder path typed into its
// prompt is accepted when it is not hidden nor a system folder, and then only its profile
// files can be read.
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, resolve, sep } from 'node:path';
import { ApiError } from '../contract';
import { isInside } from '../kube/library';
import { isProfileFileName } from './profileFiles';

/** Folders whose files are never a profile the user meant to open. */
const SYSTEM_ROOTS = ['/proc', '/sys', '/dev', '/etc', '/boot', '/run', '/var/run'];

function hiddenOrSystem(path: string): boolean {
  if (SYSTEM_ROOTS.some((r) => path === r || path.startsWith(r + sep))) return true;
  return path.split(sep).some((part) => part.startsWith('.') && part !== '.' && part !== '..');
}

export class FileAccess {
  private readonly files = new Set<string>();
  /** Folders whose profile files (directly inside) may be read. */
  private readonly folders = new Set<string>();
  /** Folders whose every file, at any depth, may be read (library, samples). */
  private readonly roots: string[];

  constructor(
    roots: string[],
    private readonly allowTypedFolders: boolean,
  ) {
    this.roots = roots.map((r) => resolve(r));
  }

  /** Grants a file or a folder the user chose (argv, open-file, dialog, recent list). */
  async grant(path: string): Promise<void> {
    const real = await realpath(resolve(path)).catch(() => null);
    if (real === null) {
      // A launch file that does not exist yet is still the user's: its error names it.
      this.files.add(resolve(path));
      return;
    }
    const st = await stat(real);
    if (st.isDirectory()) this.folders.add(real);
    else this.files.add(real);
  }

  grantSync(path: string, kind: 'file' | 'folder'): void {
    (kind === 'folder' ? this.folders : this.files).add(resolve(path));
  }

  private underRoot(real: string): boolean {
    return this.roots.some((r) => real === r || isInside(r, real));
  }

  private refuse(path: string): ApiError {
    return new ApiError(
      'forbidden',
      `${path}: not a file you opened (open it with the Open dialog, a drop or the command line)`,
    );
  }

  private static absolute(path: string): string {
    if (!isAbsolute(path)) throw new ApiError('bad-request', `${path}: not an absolute path`);
    return resolve(path);
  }

  /** The real path of a file the page may read; throws 'forbidden' otherwise. */
  async file(path: string): Promise<string> {
    const full = FileAccess.absolute(path);
    const real = await realpath(full).catch(() => null);
    // A missing granted launch file gets its "no such file" error from the reader.
    if (real === null) {
      if (this.files.has(full)) return full;
      throw this.refuse(path);
    }
    if (this.files.has(real) || this.underRoot(real)) return real;
    if (this.folders.has(dirname(real)) && isProfileFileName(basename(real))) return real;
    throw this.refuse(path);
  }

  /** The real path of a folder the page may list; a typed one in browser mode is granted here. */
  async folder(path: string): Promise<string> {
    const full = FileAccess.absolute(path);
    const real = await realpath(full).catch(() => full);
    if (this.folders.has(real) || this.underRoot(real)) return real;
    if (this.allowTypedFolders && !hiddenOrSystem(real) && !hiddenOrSystem(full)) {
      this.folders.add(real);
      return real;
    }
    throw new ApiError(
      'forbidden',
      `${path}: not a folder you opened (choose it with Open folder; hidden and system folders are not offered)`,
    );
  }

  /** True when the page may already read `path` as a file or list it as a folder. */
  async granted(path: string, kind: 'file' | 'folder'): Promise<boolean> {
    if (!isAbsolute(path)) return false;
    const full = resolve(path);
    const real = await realpath(full).catch(() => full);
    if (kind === 'folder') return this.folders.has(real) || this.underRoot(real);
    return this.file(path).then(
      () => true,
      () => false,
    );
  }
}
