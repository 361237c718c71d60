// The capture library: every capture is written to disk before it is shown, atomically
// (temp file in the same folder, then rename), under
//   <dataDir>/library/<context>/<namespace>/<pod>/<YYYY-MM-DD_HH_MM_SS>.<type>.pb.gz
// with a small JSON sidecar (<file>.json) naming where and when it came from.
import { randomBytes } from 'node:crypto';
import {
  lstat,
  mkdir,
  readdir,
  readFile,
  realpath,
  rename,
  rm,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import * as nodePath from 'node:path';
import { basename, dirname, join, resolve, type PlatformPath } from 'node:path';
import { ApiError, type CaptureMeta, type LibraryEntry } from '../contract';

/** A path component from a name that may hold ':' '/' or '@' (EKS ARNs, user@cluster). */
export function safeComponent(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return s.slice(0, 120) || '_';
}

/** UTC, as Fleet stamps its files: 2022-11-04_19_47_18. */
export function stamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}_${p(d.getUTCHours())}_${p(d.getUTCMinutes())}_${p(d.getUTCSeconds())}`;
}

const SIDECAR = '.json';
const TMP_PREFIX = '.tmp-';
/** A folder holding this file is a saved triage (see triageStore.ts): listed as one entry. */
export const TRIAGE_SUMMARY = 'summary.json';

/** Writes `data` to `path` through a temp file in the same folder and a rename. */
export async function atomicWrite(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(
    dirname(path),
    `${TMP_PREFIX}${randomBytes(6).toString('hex')}-${basename(path)}`,
  );
  try {
    await writeFile(tmp, data, { flag: 'wx' });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/**
 * True when `p` names something strictly inside `root`. relative() alone is not enough: on
 * Windows a path on another drive (D:\x from C:\lib) comes back absolute, with no '..' in it.
 * `pathApi` is there so the Windows rules can be tested on any platform.
 */
export function isInside(root: string, p: string, pathApi: PlatformPath = nodePath): boolean {
  const rel = pathApi.relative(pathApi.resolve(root), pathApi.resolve(p));
  return !(
    !rel ||
    rel.startsWith('..') ||
    rel.split(pathApi.sep).includes('..') ||
    pathApi.isAbsolute(rel)
  );
}

/**
 * Claims a free name in `dir` for a capture and writes its sidecar there. The claim is the
 * sidecar itself, created with O_EXCL: two saves of the same kind and pod in the same second
 * cannot both see a name free and overwrite each other (stat-then-rename could). Sidecars are
 * never listed, so the claim shows nothing until the profile is renamed in beside it. A taken
 * name gets _2, _3… after its first dot-free part. Returns the name claimed.
 */
async function claimName(dir: string, first: string, sidecar: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (let i = 1; ; i++) {
    const name = i === 1 ? first : first.replace(/^([^.]+)/, `$1_${i}`);
    try {
      await writeFile(join(dir, name + SIDECAR), sidecar, { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && i < 10_000) continue;
      // Created but not fully written (disk full): the claim must not stay behind.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
        await rm(join(dir, name + SIDECAR), { force: true }).catch(() => undefined);
      throw err;
    }
    // A profile put there by hand, without a sidecar: leave it alone and try the next name.
    const taken = await stat(join(dir, name)).then(
      () => true,
      () => false,
    );
    if (!taken) return name;
    await rm(join(dir, name + SIDECAR), { force: true });
  }
}

export class Library {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = resolve(dataDir, 'library');
  }

  podDir(meta: Pick<CaptureMeta, 'context' | 'namespace' | 'pod'>): string {
    return join(
      this.root,
      safeComponent(meta.context),
      safeComponent(meta.namespace),
      safeComponent(meta.pod),
    );
  }

  /** Continuous captures of one pod live in their own folder, which opens as a timeline. */
  continuousDir(meta: Pick<CaptureMeta, 'context' | 'namespace' | 'pod'>): string {
    return join(this.podDir(meta), 'continuous');
  }

  fileNameFor(meta: CaptureMeta, startMs: number): string {
    if (meta.kind === 'trace') return `${stamp(startMs)}.trace.out`;
    return `${stamp(startMs)}.${meta.kind}${meta.delta ? `-delta${meta.durationSec}s` : ''}.pb.gz`;
  }

  /** Saves bytes and sidecar; the profile is renamed into place last, so a listed file always has its data. */
  async save(
    meta: CaptureMeta,
    bytes: Uint8Array,
    fileName?: string,
    dir?: string,
  ): Promise<LibraryEntry> {
    const startMs = Date.parse(meta.start);
    const folder = dir ?? this.podDir(meta);
    // Two captures of one type in the same second: keep both.
    const name = await claimName(
      folder,
      fileName ?? this.fileNameFor(meta, startMs),
      JSON.stringify(meta, null, 2) + '\n',
    );
    const file = join(folder, name);
    try {
      await atomicWrite(file, bytes);
    } catch (err) {
      await rm(file + SIDECAR, { force: true }).catch(() => undefined);
      throw err;
    }
    return {
      path: file,
      name,
      size: bytes.byteLength,
      isTrace: meta.kind === 'trace',
      meta,
      triage: null,
    };
  }

  async list(): Promise<LibraryEntry[]> {
    const out: LibraryEntry[] = [];
    const walk = async (dir: string, depth: number): Promise<void> => {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch {
        return;
      }
      for (const name of names) {
        if (name.startsWith(TMP_PREFIX) || name.endsWith(SIDECAR)) continue;
        const full = join(dir, name);
        const st = await stat(full).catch(() => null);
        if (!st) continue;
        if (st.isDirectory()) {
          const triage = await readTriageEntry(full);
          if (triage) out.push(triage);
          else if (depth < 5) await walk(full, depth + 1);
        } else if (st.isFile()) {
          out.push({
            path: full,
            name,
            size: st.size,
            isTrace: name.endsWith('.trace.out'),
            meta: await readMeta(full + SIDECAR),
            triage: null,
          });
        }
      }
    };
    await walk(this.root, 0);
    const when = (e: LibraryEntry) =>
      e.meta ? Date.parse(e.meta.start) : e.triage ? Date.parse(e.triage.start) : 0;
    return out.sort((a, b) => when(b) - when(a) || b.name.localeCompare(a.name));
  }

  /**
   * Deletes a capture and its sidecar, or a saved triage's whole folder; refuses anything
   * outside the library, by its real path too (a symlink inside must not lead out of it).
   */
  async remove(target: string): Promise<void> {
    const full = resolve(target);
    const st = await lstat(full).catch(() => null);
    if (st?.isDirectory()) return this.removeTriage(full);
    if (!isInside(this.root, full) || full.endsWith(SIDECAR)) {
      throw new ApiError('bad-request', `${target} is not a capture in the library`);
    }
    // A folder on the way may be a link planted in the library that leads out of it: the
    // file's real place must be inside the library's real place too.
    const [realRoot, realParent] = await Promise.all([
      realpath(this.root).catch(() => null),
      realpath(dirname(full)).catch(() => null),
    ]);
    if (!realRoot || !realParent || !isInside(realRoot, join(realParent, basename(full)))) {
      throw new ApiError('bad-request', `${target} is not a capture in the library`);
    }
    try {
      await unlink(full);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new ApiError('not-found', `${full}: no such capture`);
      throw err;
    }
    await rm(full + SIDECAR, { force: true });
  }

  private async removeTriage(dir: string): Promise<void> {
    const refuse = () => new ApiError('bad-request', `${dir} is not a saved triage in the library`);
    const [realRoot, realDir] = await Promise.all([
      realpath(this.root).catch(() => null),
      realpath(dir).catch(() => null),
    ]);
    if (!realRoot || !realDir || !isInside(this.root, dir) || !isInside(realRoot, realDir))
      throw refuse();
    const summary = await lstat(join(realDir, TRIAGE_SUMMARY)).catch(() => null);
    if (!summary?.isFile()) throw refuse();
    await rm(realDir, { recursive: true, force: true });
  }
}

/** A saved triage's library entry: its folder, with the size of everything in it. */
async function readTriageEntry(dir: string): Promise<LibraryEntry | null> {
  let saved: { startedAt?: unknown; pods?: unknown };
  try {
    saved = JSON.parse(await readFile(join(dir, TRIAGE_SUMMARY), 'utf8')) as typeof saved;
  } catch {
    return null;
  }
  if (typeof saved?.startedAt !== 'number' || !Array.isArray(saved.pods)) return null;
  const pods = saved.pods as { context?: unknown }[];
  const contexts = [
    ...new Set(pods.map((p) => p.context).filter((c): c is string => typeof c === 'string')),
  ].sort();
  let size = 0;
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])) {
    if (e.isFile()) size += (await stat(join(e.parentPath, e.name)).catch(() => null))?.size ?? 0;
  }
  return {
    path: dir,
    name: basename(dir),
    size,
    isTrace: false,
    meta: null,
    triage: { pods: pods.length, contexts, start: new Date(saved.startedAt).toISOString() },
  };
}

async function readMeta(path: string): Promise<CaptureMeta | null> {
  try {
    const obj = JSON.parse(await readFile(path, 'utf8')) as CaptureMeta;
    return typeof obj === 'object' && obj !== null && typeof obj.pod === 'string' ? obj : null;
  } catch {
    return null;
  }
}
