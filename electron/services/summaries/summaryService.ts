// summarizeFiles behind the API: each file's summary from the disk cache when the file has not
// changed since, else decoded in the worker pool and stored. The caller has checked that the
// page may read each path; this only knows real paths and the names to give in errors.
import type { FileSummaryResult } from '../../contract';
import type { FileSummary } from '../../../renderer/model/index';
import { profileFileInfo } from '../profileFiles';
import { SummaryCache, type FileKey } from './cache';
import { WorkerPool, defaultWorkerScript } from './pool';

export interface SummaryServiceOptions {
  /** Where the cache files live: `summaries/` in the app's data folder. */
  cacheDir: string;
  /** The pool to decode in; one on the bundled worker otherwise. */
  pool?: WorkerPool;
}

export class SummaryService {
  readonly pool: WorkerPool;
  private readonly cache: SummaryCache;
  /** Files being summarised now, by path, size and mtime: asked twice, decoded once. */
  private readonly running = new Map<
    string,
    Promise<{ summary: FileSummary } | { error: string }>
  >();
  /** Files decoded so far (not served from the cache). */
  decoded = 0;

  constructor(opts: SummaryServiceOptions) {
    this.pool = opts.pool ?? new WorkerPool({ script: defaultWorkerScript() });
    this.cache = new SummaryCache(opts.cacheDir);
  }

  /**
   * One result per file, in order. `real` gives the real path of a file the page may read (and
   * throws otherwise); an error names the file as `paths` gives it.
   */
  async summarizeFiles(
    paths: string[],
    real: (path: string) => Promise<string>,
  ): Promise<FileSummaryResult[]> {
    const results = await Promise.all(paths.map((path) => this.one(path, real)));
    // On disk before answering: a crash later loses nothing already answered.
    await this.cache.save();
    return results;
  }

  private async one(
    path: string,
    real: (path: string) => Promise<string>,
  ): Promise<FileSummaryResult> {
    try {
      const info = await profileFileInfo(await real(path));
      const key: FileKey = { path: info.path, size: info.size, mtimeMs: info.mtimeMs };
      const cached = await this.cache.get(key);
      if (cached) return { path, summary: cached };
      const id = `${key.size}:${key.mtimeMs}:${key.path}`;
      let pending = this.running.get(id);
      if (!pending) {
        pending = this.compute(key, path).finally(() => this.running.delete(id));
        this.running.set(id, pending);
      }
      return { path, ...(await pending) };
    } catch (err) {
      return { path, error: err instanceof Error ? err.message : String(err) };
    }
  }

  private async compute(
    key: FileKey,
    name: string,
  ): Promise<{ summary: FileSummary } | { error: string }> {
    this.decoded++;
    let result;
    try {
      result = await this.pool.run({ kind: 'summarize', path: key.path, name });
    } catch (err) {
      // The worker died on this file (or the pool closed): only this file fails.
      return { error: `${name}: ${err instanceof Error ? err.message : String(err)}` };
    }
    // Kept only if the file is still the one read (a profile being written changes under us).
    if ('summary' in result && (await this.unchanged(key)))
      await this.cache.put(key, result.summary);
    return result;
  }

  private async unchanged(key: FileKey): Promise<boolean> {
    const now = await profileFileInfo(key.path).catch(() => null);
    return now !== null && now.size === key.size && now.mtimeMs === key.mtimeMs;
  }
}
