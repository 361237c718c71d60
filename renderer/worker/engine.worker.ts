// The engine's home in the browser: decoding and tree building never run on the UI thread.
import {
  buildFlameTree,
  decodeProfile,
  exportCollapsed,
  exportPprof,
  exportSpeedscope,
  mergeLabelled,
  mergeProfiles,
  sandwich,
  searchTotal,
  summarize,
  topTable,
  type Profile,
} from '../model';
import type { EngineMessage, EngineOp, EngineOps, EngineResponse } from './protocol';
import { workerGunzip } from './workerGunzip';

const gunzip = workerGunzip(
  () => new Worker(new URL('./inflate.worker.ts', import.meta.url), { type: 'module' }),
);

const profiles = new Map<number, Profile>();
let nextId = 1;

function get(id: number): Profile {
  const p = profiles.get(id);
  if (!p) throw new Error(`profile ${id} is not open`);
  return p;
}

function keep(p: Profile): EngineOps['open']['result'] {
  const profileId = nextId++;
  profiles.set(profileId, p);
  return { profileId, summary: summarize(p) };
}

/** Decodes each file in turn, progress over all of them; an error names its file. */
async function decodeAll(
  files: Uint8Array[],
  names: string[],
  progress: (fraction: number) => void,
  signal: AbortSignal,
): Promise<Profile[]> {
  const decoded: Profile[] = [];
  for (const [i, bytes] of files.entries()) {
    try {
      const onProgress = (f: number) => progress((i + f) / files.length);
      decoded.push(await decodeProfile(bytes, { onProgress, gunzip, signal }));
    } catch (err) {
      // Name the file that failed; the merge of a range must not hide which one it was.
      if (err instanceof Error) err.message = `${names[i]}: ${err.message}`;
      throw err;
    }
  }
  return decoded;
}

type Handlers = {
  [K in EngineOp]: (
    args: EngineOps[K]['args'],
    /** Share of the work done (0–1), for long operations that report it. */
    progress: (fraction: number) => void,
    /** Aborted when the page cancels the request: decoding stops at its next chunk. */
    signal: AbortSignal,
  ) => Promise<EngineOps[K]['result']> | EngineOps[K]['result'];
};

const handlers: Handlers = {
  open: async ({ files, names }, progress, signal) => {
    const decoded = await decodeAll(files, names, progress, signal);
    return keep(decoded.length === 1 ? decoded[0] : mergeProfiles(decoded));
  },
  openLabelled: async ({ files, names, labels }, progress, signal) => {
    if (labels.length !== files.length) throw new Error('one set of labels per file is needed');
    const decoded = await decodeAll(files, names, progress, signal);
    return keep(mergeLabelled(decoded.map((profile, i) => ({ profile, labels: labels[i] }))));
  },
  flame: ({ profileId, opts, baseId }) =>
    buildFlameTree(get(profileId), opts, baseId === undefined ? undefined : get(baseId)),
  top: ({ profileId, opts, baseId }) =>
    topTable(get(profileId), opts, baseId === undefined ? undefined : get(baseId)),
  sandwich: ({ profileId, opts, name }) => sandwich(get(profileId), opts, name),
  searchTotal: ({ profileId, opts, regex }) => searchTotal(get(profileId), opts, regex),
  export: ({ profileId, opts, format, name }) => {
    const p = get(profileId);
    if (format === 'pprof') return exportPprof(p, opts);
    if (format === 'speedscope') return exportSpeedscope(p, opts, name);
    return exportCollapsed(p, opts);
  },
  close: ({ profileId }) => {
    profiles.delete(profileId);
    return null;
  },
};

/** Typed arrays in results are moved, not copied, to the UI thread. */
function transferables(value: unknown, out: Transferable[] = [], depth = 0): Transferable[] {
  if (depth > 3 || value === null || typeof value !== 'object') return out;
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer && !out.includes(value.buffer)) out.push(value.buffer);
    return out;
  }
  for (const v of Object.values(value)) transferables(v, out, depth + 1);
  return out;
}

/** Requests under way that can be cancelled, by id. */
const running = new Map<number, AbortController>();

/** Held until this worker ends, however it ends: the page waits on it to know (see EngineStart). */
function holdLifeline(name: string): void {
  // Web Locks exist in secure contexts only (ours are: https, or http on 127.0.0.1).
  const { locks } = navigator as { locks?: LockManager };
  void locks?.request(name, () => {
    (self as unknown as Worker).postMessage({ alive: name } satisfies EngineResponse);
    return new Promise<never>(() => undefined);
  });
}

self.onmessage = async (event: MessageEvent<EngineMessage>) => {
  if ('lifeline' in event.data) {
    nextId = event.data.firstProfileId;
    holdLifeline(event.data.lifeline);
    return;
  }
  if ('cancel' in event.data) {
    running.get(event.data.cancel)?.abort();
    return;
  }
  const { id, op, args } = event.data;
  const controller = new AbortController();
  running.set(id, controller);
  let response: EngineResponse;
  try {
    const handler = handlers[op] as (a: unknown, p: (f: number) => void, s: AbortSignal) => unknown;
    const progress = (fraction: number) =>
      (self as unknown as Worker).postMessage({ id, progress: fraction } satisfies EngineResponse);
    response = { id, ok: true, result: await handler(args, progress, controller.signal) };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    response = {
      id,
      ok: false,
      error: {
        code: typeof code === 'string' ? code : 'internal',
        message: err instanceof Error ? err.message : String(err),
      },
    };
  } finally {
    running.delete(id);
  }
  (self as unknown as Worker).postMessage(
    response,
    transferables(response.ok ? response.result : null),
  );
};
