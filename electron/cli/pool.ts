// The CLI's many files (`profscope top|merge|convert` of a day of one-minute profiles) decoded on
// every core: the files are cut into one contiguous shard per worker, each worker decodes and
// merges its shard, and the shards are merged here in order. Merging is associative and keeps
// first-seen order, so the result is the profile a merge of all the files in turn gives, column
// for column; the errors are the ones that merge gives too (the first file that fails, in order).
import {
  checkSameSampleTypes,
  mergeProfiles,
  profileFromParts,
  type Profile,
} from '../../renderer/model/index';
import { WorkerPool, defaultWorkerScript } from '../services/summaries/pool';
import type { MergeResult } from '../services/summaries/tasks';

/** Fewer files than this are decoded on the main thread: starting workers would cost more. */
const MIN_POOLED_FILES = 4;

let shared: WorkerPool | null = null;

/** The CLI's pool, on the worker bundle beside the CLI's. */
function cliPool(): WorkerPool {
  return (shared ??= new WorkerPool({ script: defaultWorkerScript() }));
}

/** Tests run the CLI on a pool of their own (on a worker bundle they built); null: the default. */
export function setCliPool(pool: WorkerPool | null): void {
  shared = pool;
}

/** True when `files` are worth decoding in the pool (several files, several workers). */
export function poolFits(files: string[]): boolean {
  const pool = cliPool();
  return pool.threaded && pool.size > 1 && files.length >= MIN_POOLED_FILES;
}

/**
 * The files decoded in the pool and merged, as mergeProfiles(files in order) would give them.
 * A file that cannot be read or decoded is reported through `fileError(file, message)`; sample
 * types that differ throw the ProfileError mergeProfiles throws.
 */
export async function decodeMergedInPool(
  files: string[],
  fileError: (file: string, message: string) => Error,
): Promise<Profile> {
  const pool = cliPool();
  const shards = Math.min(pool.size, files.length);
  const per = Math.ceil(files.length / shards);
  const cuts: string[][] = [];
  for (let at = 0; at < files.length; at += per) cuts.push(files.slice(at, at + per));
  const settled = await Promise.allSettled(cuts.map((paths) => pool.run({ kind: 'merge', paths })));
  const results: Extract<MergeResult, { types: unknown }>[] = [];
  for (const [i, s] of settled.entries()) {
    // In file order, the first failure is the one a merge in turn would have met.
    if (s.status === 'rejected') {
      const why = s.reason instanceof Error ? s.reason.message : String(s.reason);
      throw fileError(cuts[i].join(', '), why);
    }
    const r = s.value;
    if ('failed' in r) {
      if (r.failed.kind === 'internal') throw new Error(`${r.failed.path}: ${r.failed.message}`);
      throw fileError(r.failed.path, r.failed.message);
    }
    results.push(r);
  }
  checkSameSampleTypes(results.flatMap((r) => r.types));
  const merged = results.map((r) => {
    // A shard's own types agree once the check above passed: it was merged.
    if (!r.parts) throw new Error('a shard of profiles of one sample type came back unmerged');
    return profileFromParts(r.parts);
  });
  return mergeProfiles(merged);
}
