// A triage on disk: one folder in the library holding every capture (one subfolder per pod)
// and summary.json, the TriageStatus without its id, with capture paths relative to the
// folder so that the folder can be moved or copied and still reopen.
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import {
  ApiError,
  type TriagePod,
  type TriageRequest,
  type TriageScope,
  type TriageStatus,
} from '../contract';
import { atomicWrite, stamp, TRIAGE_SUMMARY } from './library';

export type SavedTriage = Omit<TriageStatus, 'id'> & { version: 1 };

/** A new folder `<root>/triage-<UTC stamp>` (then _2, _3… if taken), created. */
export async function makeTriageDir(root: string, startMs: number): Promise<string> {
  await mkdir(root, { recursive: true });
  for (let i = 1; ; i++) {
    const dir = join(root, `triage-${stamp(startMs)}${i === 1 ? '' : `_${i}`}`);
    try {
      await mkdir(dir);
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || i >= 1000) throw err;
    }
  }
}

function mapFiles(pods: TriagePod[], fn: (file: string) => string): TriagePod[] {
  return pods.map((p) => ({
    ...p,
    captures: Object.fromEntries(
      Object.entries(p.captures).map(([kind, c]) => [
        kind,
        c && c.file !== null ? { ...c, file: fn(c.file) } : c,
      ]),
    ),
  }));
}

/** Writes summary.json (atomically: a reader never sees half of it). */
export async function writeSummary(status: TriageStatus): Promise<void> {
  const rel = (f: string) => relative(status.dir, f).split(sep).join('/');
  // Everything but the id, which names the run in this process only.
  const saved: SavedTriage = {
    version: 1,
    request: status.request,
    state: status.state,
    startedAt: status.startedAt,
    finishedAt: status.finishedAt,
    dir: status.dir,
    scopeErrors: status.scopeErrors,
    pods: mapFiles(status.pods, rel),
    previous: status.previous,
  };
  await atomicWrite(join(status.dir, TRIAGE_SUMMARY), JSON.stringify(saved, null, 1) + '\n');
}

function isSaved(v: unknown): v is SavedTriage {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Partial<SavedTriage>;
  return (
    o.version === 1 &&
    typeof o.startedAt === 'number' &&
    Array.isArray(o.pods) &&
    typeof o.request === 'object' &&
    o.request !== null &&
    Array.isArray(o.request.scopes)
  );
}

/**
 * A triage folder's summary, capture paths made absolute again and `dir` the folder where it is
 * now. Capture paths that would lead out of the folder are dropped.
 */
export async function readSummary(dir: string): Promise<SavedTriage> {
  const folder = resolve(dir);
  let text: string;
  try {
    text = await readFile(join(folder, TRIAGE_SUMMARY), 'utf8');
  } catch (err) {
    if (
      (err as NodeJS.ErrnoException).code === 'ENOENT' ||
      (err as NodeJS.ErrnoException).code === 'ENOTDIR'
    )
      throw new ApiError(
        'not-found',
        `${folder} is not a saved triage (no ${TRIAGE_SUMMARY} in it)`,
      );
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError('bad-request', `${join(folder, TRIAGE_SUMMARY)} is not valid JSON`);
  }
  if (!isSaved(parsed))
    throw new ApiError('bad-request', `${join(folder, TRIAGE_SUMMARY)} is not a triage summary`);
  const abs = (f: string) => {
    const full = resolve(folder, f);
    const rel = relative(folder, full);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? full : '';
  };
  return { ...parsed, dir: folder, pods: mapFiles(parsed.pods, abs) };
}

function scopeKey(s: TriageScope): string {
  return JSON.stringify([s.context, s.namespace, s.selector, [...s.names].sort()]);
}

/** Same pods asked for: the same scopes, in any order. */
export function sameScopes(a: TriageRequest, b: TriageRequest): boolean {
  const ka = [...new Set(a.scopes.map(scopeKey))].sort();
  const kb = [...new Set(b.scopes.map(scopeKey))].sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

/** The newest triage in the library that started before `beforeMs` over the same scopes. */
export async function findPrevious(
  root: string,
  request: TriageRequest,
  beforeMs: number,
  exclude: string,
): Promise<TriageStatus['previous']> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return null;
  }
  let best: SavedTriage | null = null;
  for (const name of names.filter((n) => n.startsWith('triage-'))) {
    const dir = join(root, name);
    if (resolve(dir) === resolve(exclude)) continue;
    const st = await stat(join(dir, TRIAGE_SUMMARY)).catch(() => null);
    if (!st?.isFile()) continue;
    const saved = await readSummary(dir).catch(() => null);
    if (!saved || saved.startedAt >= beforeMs || !sameScopes(saved.request, request)) continue;
    if (!best || saved.startedAt > best.startedAt) best = saved;
  }
  return best ? { dir: best.dir, startedAt: best.startedAt, pods: best.pods } : null;
}
