// File summaries kept on disk, so a folder of continuous profiles opened again is drawn without
// decoding a single file. One JSON file per folder of profiles (named by a hash of the folder's
// path) in the app's data folder; an entry holds while its file keeps its size and mtime. The
// cache is read as untrusted input: anything malformed or foreign is ignored, and its content is
// only ever handed back as a summary of the very file (path, size, mtime) it was stored for.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FileSummary, ValueType } from '../../../renderer/model/index';

/** What makes an entry current: the file's real path, size and modification time. */
export interface FileKey {
  path: string;
  size: number;
  mtimeMs: number;
}

const FORMAT = 'profscope-file-summaries';
const VERSION = 1;
/** A cache file larger than this is not read (a day of one-minute files is ~6 MB). */
const MAX_CACHE_BYTES = 256 * 1024 ** 2;
/** Folders kept in memory at once; others are read again from disk when asked for. */
const FOLDERS_IN_MEMORY = 4;

/** An entry as written: function names are indices into the folder's one list of names. */
interface StoredEntry {
  path: string;
  size: number;
  mtimeMs: number;
  summary: Omit<FileSummary, 'functions'> & {
    functions: { ids: number[]; flat: number[]; cum: number[] };
  };
}

interface FolderCache {
  /** The folder of profiles, and the cache file for it. */
  path: string;
  file: string;
  entries: Map<string, { key: FileKey; summary: FileSummary }>;
  dirty: boolean;
  saving: Promise<void> | null;
  /** A save asked for while one was under way: runs once it ends, for everything put since. */
  next: Promise<void> | null;
}

export class SummaryCache {
  private readonly folders = new Map<string, Promise<FolderCache>>();

  /** `dir`: where the cache files live (the app's data folder, a temp folder in tests). */
  constructor(private readonly dir: string) {}

  /** The summary stored for this very file (same size and mtime), or null. */
  async get(key: FileKey): Promise<FileSummary | null> {
    const hit = (await this.folder(dirname(key.path))).entries.get(key.path);
    return hit && hit.key.size === key.size && hit.key.mtimeMs === key.mtimeMs ? hit.summary : null;
  }

  async put(key: FileKey, summary: FileSummary): Promise<void> {
    const folder = await this.folder(dirname(key.path));
    folder.entries.set(key.path, { key: { ...key }, summary });
    folder.dirty = true;
  }

  /** Writes the folders changed since their last write; resolves once they are on disk. */
  async save(): Promise<void> {
    await Promise.all(
      [...this.folders.values()].map(async (pending) => this.saveFolder(await pending)),
    );
  }

  private saveFolder(folder: FolderCache): Promise<void> {
    if (folder.saving) {
      folder.next ??= folder.saving.then(() => {
        folder.next = null;
        return this.saveFolder(folder);
      });
      return folder.next;
    }
    if (!folder.dirty) return Promise.resolve();
    folder.dirty = false;
    folder.saving = this.write(folder)
      .catch(() => {
        // A cache that cannot be written (disk full, read-only) costs time, never a result.
        folder.dirty = true;
      })
      .finally(() => {
        folder.saving = null;
      });
    return folder.saving;
  }

  private folder(path: string): Promise<FolderCache> {
    let pending = this.folders.get(path);
    if (pending) {
      // Most recently used last: the first is the one to let go.
      this.folders.delete(path);
      this.folders.set(path, pending);
      return pending;
    }
    pending = this.load(path);
    this.folders.set(path, pending);
    for (const [old, p] of this.folders) {
      if (this.folders.size <= FOLDERS_IN_MEMORY) break;
      // Written before it is let go; a later get reads it back from disk.
      this.folders.delete(old);
      void p.then((f) => this.saveFolder(f));
    }
    return pending;
  }

  private fileFor(folder: string): string {
    const hash = createHash('sha256').update(folder).digest('hex').slice(0, 32);
    return join(this.dir, `${hash}.json`);
  }

  private async load(folder: string): Promise<FolderCache> {
    const file = this.fileFor(folder);
    const cache: FolderCache = {
      path: folder,
      file,
      entries: new Map(),
      dirty: false,
      saving: null,
      next: null,
    };
    try {
      if ((await stat(file)).size > MAX_CACHE_BYTES) return cache;
      const data: unknown = JSON.parse(await readFile(file, 'utf8'));
      const names = (data as { names: string[] }).names;
      for (const e of storedEntries(data, folder)) {
        const key = { path: e.path, size: e.size, mtimeMs: e.mtimeMs };
        cache.entries.set(e.path, { key, summary: summaryOf(e.summary, names) });
      }
    } catch {
      // Missing, unreadable or not JSON: an empty cache, rebuilt as files are summarised.
    }
    return cache;
  }

  private async write(folder: FolderCache): Promise<void> {
    const names: string[] = [];
    const ids = new Map<string, number>();
    const entries: StoredEntry[] = [];
    for (const { key, summary } of folder.entries.values()) {
      // Files deleted since are forgotten, so a folder's cache does not only grow.
      if (!existsSync(key.path)) continue;
      const fnIds = summary.functions.names.map((n) => {
        let id = ids.get(n);
        if (id === undefined) {
          id = names.length;
          names.push(n);
          ids.set(n, id);
        }
        return id;
      });
      const { flat, cum } = summary.functions;
      entries.push({ ...key, summary: { ...summary, functions: { ids: fnIds, flat, cum } } });
    }
    await mkdir(this.dir, { recursive: true });
    // A name of its own per write: another process (a second window) may write beside us.
    const tmp = `${folder.file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const body = { format: FORMAT, version: VERSION, folder: folder.path, names, entries };
    try {
      await writeFile(tmp, JSON.stringify(body));
      await rename(tmp, folder.file);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
  }
}

// The checks of what is read back. Nothing from the file is used unless it has exactly the shape
// written above, and an entry only for a file directly inside the folder the cache is for.

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumbers = (v: unknown, length: number): v is number[] =>
  Array.isArray(v) && v.length === length && v.every(isNumber);

function isValueType(v: unknown): v is ValueType {
  if (typeof v !== 'object' || v === null) return false;
  const t = v as Record<string, unknown>;
  return typeof t.type === 'string' && typeof t.unit === 'string';
}

function isStoredSummary(v: unknown, nameCount: number): v is StoredEntry['summary'] {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  const f = s.functions as Record<string, unknown> | null;
  if (typeof f !== 'object' || f === null || !Array.isArray(f.ids)) return false;
  const n = f.ids.length;
  return (
    isNumber(s.timeNanos) &&
    isNumber(s.durationNanos) &&
    (s.periodType === null || isValueType(s.periodType)) &&
    isNumber(s.period) &&
    Array.isArray(s.sampleTypes) &&
    s.sampleTypes.every(isValueType) &&
    isCount(s.defaultSampleIndex) &&
    (s.sampleTypes.length === 0 || s.defaultSampleIndex < s.sampleTypes.length) &&
    isValueType(s.sampleType) &&
    isNumbers(s.totals, s.sampleTypes.length) &&
    isCount(s.sampleCount) &&
    typeof s.topFunction === 'string' &&
    f.ids.every((i) => isCount(i) && i < nameCount) &&
    isNumbers(f.flat, n) &&
    isNumbers(f.cum, n)
  );
}

/** A checked entry's summary, field by field: nothing else the file may hold comes along. */
function summaryOf(s: StoredEntry['summary'], names: string[]): FileSummary {
  const type = (t: ValueType): ValueType => ({ type: t.type, unit: t.unit });
  return {
    timeNanos: s.timeNanos,
    durationNanos: s.durationNanos,
    periodType: s.periodType && type(s.periodType),
    period: s.period,
    sampleTypes: s.sampleTypes.map(type),
    defaultSampleIndex: s.defaultSampleIndex,
    sampleType: type(s.sampleType),
    totals: s.totals,
    sampleCount: s.sampleCount,
    topFunction: s.topFunction,
    functions: {
      names: s.functions.ids.map((i) => names[i]),
      flat: s.functions.flat,
      cum: s.functions.cum,
    },
  };
}

function storedEntries(data: unknown, folder: string): StoredEntry[] {
  if (typeof data !== 'object' || data === null) return [];
  const d = data as Record<string, unknown>;
  if (d.format !== FORMAT || d.version !== VERSION || d.folder !== folder) return [];
  if (!Array.isArray(d.names) || !d.names.every((n) => typeof n === 'string')) return [];
  if (!Array.isArray(d.entries)) return [];
  const nameCount = d.names.length;
  return d.entries.filter((e: unknown): e is StoredEntry => {
    if (typeof e !== 'object' || e === null) return false;
    const x = e as Record<string, unknown>;
    return (
      typeof x.path === 'string' &&
      dirname(x.path) === folder &&
      isNumber(x.size) &&
      isNumber(x.mtimeMs) &&
      isStoredSummary(x.summary, nameCount)
    );
  });
}
