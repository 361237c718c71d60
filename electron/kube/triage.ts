// Triage: every chosen pod of every chosen context captured at once, each pod summed up by the
// engine (cores, heap, goroutines, top function, where the CPU goes), saved as one library
// folder with summary.json so that it reopens offline with its table.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, realpath } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  ApiError,
  type BreakdownRule,
  type CaptureKind,
  type CaptureRequest,
  type LibraryEntry,
  type PodInfo,
  type TriageCapture,
  type TriagePod,
  type TriageRequest,
  type TriageScope,
  type TriageStatus,
} from '../contract';
import { nodeGunzip } from '../nodeGunzip';
import {
  compileBreakdownRules,
  cpuBreakdown,
  decodeProfile,
  podSummary,
  type Profile,
} from '../../renderer/model/index';
import { CaptureManager, expectedMs, type CaptureDeps } from './capture';
import { fleetFileName } from './continuous';
import { contextNamespace, listPods } from './discovery';
import { isInside, safeComponent } from './library';
import { podMetrics, type PodUsage } from './metrics';
import { findPrevious, makeTriageDir, readSummary, writeSummary } from './triageStore';

/** Captures at once over the whole triage, and per pod (a CPU profile and one quick one). */
export const TRIAGE_CONCURRENCY = 6;
export const TRIAGE_PER_POD = 2;
/** runtime/pprof's answer while another CPU profile of the process runs. */
const BUSY_PROFILER = /cpu profiling already in use/i;
const BUSY_RETRY_MIN_MS = 60_000;
/** A scope whose API server does not answer its pod list within this is reported and skipped. */
export const SCOPE_TIMEOUT_MS = 30_000;

export interface RunTriageOptions {
  signal?: AbortSignal;
  /** Called with the live status after every change (a capture starting or ending…). */
  onUpdate?: (status: TriageStatus) => void;
  /** The triage's folder; by default a new `triage-<UTC stamp>` folder in the library. */
  outDir?: string;
  /** Overrides TRIAGE_CONCURRENCY. */
  concurrency?: number;
  /** The status's id (TriageManager's); random by default. */
  id?: string;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function checkRules(rules: BreakdownRule[]): void {
  try {
    compileBreakdownRules(rules);
  } catch (err) {
    throw new ApiError('bad-request', message(err));
  }
}

/** Rejects after `ms` unless `p` settles first. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ApiError('unavailable', `${what}: no answer within ${ms / 1000} s`)),
      ms,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

interface Resolved {
  scope: TriageScope;
  pod: PodInfo;
  usage: PodUsage | null;
}

interface Task {
  pod: TriagePod;
  info: PodInfo;
  kind: CaptureKind;
}

/** One triage while it runs: the status it shows, and the work behind it. */
class TriageRun {
  readonly status: TriageStatus;
  /** When each running capture started, for progress by the clock. */
  private readonly started = new Map<TriageCapture, number>();
  /** Profiles of a pod kept until its captures are all done, then summed up and dropped. */
  private readonly profiles = new Map<TriagePod, Partial<Record<CaptureKind, Profile>>>();
  private readonly captures: CaptureManager;
  /** Captures of each pod not ended yet. */
  private readonly left = new Map<TriagePod, number>();

  constructor(
    private readonly deps: CaptureDeps,
    req: TriageRequest,
    private readonly opts: RunTriageOptions,
    private readonly signal: AbortSignal,
  ) {
    this.captures = new CaptureManager(deps);
    this.status = {
      id: opts.id ?? randomBytes(8).toString('hex'),
      request: req,
      state: 'resolving',
      startedAt: Date.now(),
      finishedAt: null,
      dir: '',
      scopeErrors: [],
      pods: [],
      previous: null,
    };
  }

  private update(): void {
    this.opts.onUpdate?.(this.snapshot());
  }

  /** A copy, with running captures' progress advanced by the clock. */
  snapshot(): TriageStatus {
    const now = Date.now();
    const req = this.status.request;
    const pods = this.status.pods.map((p) => {
      const captures: TriagePod['captures'] = {};
      for (const [kind, c] of Object.entries(p.captures) as [CaptureKind, TriageCapture][]) {
        const at = this.started.get(c);
        const total = expectedMs({ kind, seconds: req.seconds, delta: false });
        captures[kind] =
          c.state === 'running' && at !== undefined && total > 0
            ? { ...c, progress: Math.min(0.99, (now - at) / total) }
            : { ...c };
      }
      return { ...p, captures };
    });
    return { ...this.status, scopeErrors: [...this.status.scopeErrors], pods };
  }

  async run(): Promise<TriageStatus> {
    const req = this.status.request;
    this.status.dir = this.opts.outDir
      ? await makeOutDir(this.opts.outDir)
      : await makeTriageDir(this.deps.library.root, this.status.startedAt);
    this.update();
    const resolved = await this.resolve(req);
    this.status.previous = await findPrevious(
      this.deps.library.root,
      req,
      this.status.startedAt,
      this.status.dir,
    );
    const tasks: Task[] = [];
    const seen = new Set<string>();
    for (const { scope, pod, usage } of resolved) {
      const key = `${scope.context}/${pod.namespace}/${pod.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const tp: TriagePod = {
        context: scope.context,
        namespace: pod.namespace,
        pod: pod.name,
        node: pod.node,
        restarts: pod.restarts,
        group: pod.workload,
        captures: {},
        summary: null,
        metrics: usage,
      };
      for (const kind of req.kinds) {
        tp.captures[kind] = {
          state: 'pending',
          progress: 0,
          error: null,
          file: null,
          finishedAt: null,
          total: null,
          unit: null,
        };
        tasks.push({ pod: tp, info: pod, kind });
      }
      this.status.pods.push(tp);
    }
    this.status.state = this.signal.aborted ? 'cancelled' : 'running';
    this.update();
    await this.captureAll(tasks);
    // Saved before it shows as finished: whoever sees 'done' can open the folder.
    const final: TriageStatus = {
      ...this.snapshot(),
      state: this.signal.aborted ? 'cancelled' : 'done',
      finishedAt: Date.now(),
    };
    await writeSummary(final);
    this.status.state = final.state;
    this.status.finishedAt = final.finishedAt;
    this.update();
    return this.snapshot();
  }

  /** Lists every scope's pods (and metrics) at once; a failing scope is said and skipped. */
  private async resolve(req: TriageRequest): Promise<Resolved[]> {
    const lists = await Promise.all(
      req.scopes.map(async (scope): Promise<Resolved[]> => {
        let namespace = scope.namespace ?? '';
        try {
          const kc = this.deps.kubeconfig(scope.context);
          if (scope.namespace === null) namespace = contextNamespace(kc);
          const [list, usage] = await Promise.all([
            within(
              listPods(kc, namespace, scope.selector),
              SCOPE_TIMEOUT_MS,
              `list pods of context ${scope.context}`,
            ),
            podMetrics(kc, namespace, { selector: scope.selector, signal: this.signal }),
          ]);
          if (list.notice) {
            this.status.scopeErrors.push({
              context: scope.context,
              namespace,
              message: list.notice,
            });
          }
          // After a fallback to the context's namespace, ask for that namespace's metrics:
          // the all-namespaces ones will have been refused as the pod list was.
          const metrics =
            list.namespace !== namespace
              ? await podMetrics(kc, list.namespace, {
                  selector: scope.selector,
                  signal: this.signal,
                })
              : usage;
          let pods = list.pods;
          if (scope.names.length > 0) {
            const wanted = new Set(scope.names);
            pods = pods.filter((p) => wanted.has(p.name));
            for (const name of scope.names) {
              if (!pods.some((p) => p.name === name)) {
                this.status.scopeErrors.push({
                  context: scope.context,
                  namespace: list.namespace,
                  message: `pod "${name}" not found in ${list.namespace ? `namespace "${list.namespace}"` : 'any namespace'}${scope.selector ? ` with labels ${scope.selector}` : ''}`,
                });
              }
            }
          }
          return pods.map((pod) => ({
            scope,
            pod,
            usage: metrics?.get(`${pod.namespace}/${pod.name}`) ?? null,
          }));
        } catch (err) {
          this.status.scopeErrors.push({
            context: scope.context,
            namespace,
            message: message(err),
          });
          return [];
        }
      }),
    );
    return lists.flat();
  }

  /** Runs the tasks, at most `concurrency` at once and TRIAGE_PER_POD per pod. */
  private async captureAll(tasks: Task[]): Promise<void> {
    const limit = Math.max(1, this.opts.concurrency ?? TRIAGE_CONCURRENCY);
    const perPod = new Map<TriagePod, number>();
    for (const t of tasks) this.left.set(t.pod, (this.left.get(t.pod) ?? 0) + 1);
    const queue = tasks.slice();
    let running = 0;
    await new Promise<void>((done) => {
      const pump = () => {
        if (this.signal.aborted) {
          for (const t of queue.splice(0)) this.cancelPending(t);
        }
        while (running < limit) {
          const i = queue.findIndex((t) => (perPod.get(t.pod) ?? 0) < TRIAGE_PER_POD);
          if (i < 0) break;
          const [t] = queue.splice(i, 1);
          running++;
          perPod.set(t.pod, (perPod.get(t.pod) ?? 0) + 1);
          void this.captureOne(t).finally(() => {
            running--;
            perPod.set(t.pod, (perPod.get(t.pod) ?? 1) - 1);
            this.taskEnded(t.pod);
            this.update();
            pump();
          });
        }
        if (running === 0 && queue.length === 0) done();
      };
      this.signal.addEventListener('abort', pump, { once: true });
      pump();
    });
  }

  private cancelPending(t: Task): void {
    const c = t.pod.captures[t.kind];
    if (c && c.state === 'pending') {
      c.state = 'cancelled';
      c.error = 'triage cancelled';
      c.finishedAt = Date.now();
    }
    this.taskEnded(t.pod);
  }

  /** A pod's capture ended one way or another; after its last, the pod is summed up. */
  private taskEnded(pod: TriagePod): void {
    const remaining = (this.left.get(pod) ?? 1) - 1;
    this.left.set(pod, remaining);
    if (remaining === 0) this.summarize(pod);
  }

  private async captureOne(t: Task): Promise<void> {
    const c = t.pod.captures[t.kind] as TriageCapture;
    if (this.signal.aborted) {
      c.state = 'cancelled';
      c.error = 'triage cancelled';
      c.finishedAt = Date.now();
      return;
    }
    const req = this.status.request;
    const container = t.info.containers[0];
    const candidate = container?.candidates[0];
    const capture: CaptureRequest = {
      context: t.pod.context,
      namespace: t.pod.namespace,
      pod: t.pod.pod,
      container: container?.name ?? null,
      port: req.port ?? candidate?.port ?? 6060,
      pathPrefix: req.pathPrefix ?? candidate?.pathPrefix ?? '/debug/pprof',
      kind: t.kind,
      seconds: req.seconds,
      delta: false,
    };
    c.state = 'running';
    this.started.set(c, Date.now());
    this.update();
    const dir = join(
      this.status.dir,
      safeComponent(t.pod.context),
      safeComponent(t.pod.namespace),
      safeComponent(t.pod.pod),
    );
    try {
      const entry = await this.captureWhenFree(capture, c, t, dir);
      c.file = entry.path;
      if (t.kind !== 'trace') {
        const profile = await decodeProfile(new Uint8Array(await readFile(entry.path)), {
          gunzip: nodeGunzip,
        });
        const i = profile.defaultSampleIndex;
        c.total = profile.summary().totals[i] ?? null;
        c.unit = profile.sampleTypes[i]?.unit ?? null;
        if (t.kind === 'cpu' || t.kind === 'heap' || t.kind === 'goroutine') {
          const kept = this.profiles.get(t.pod) ?? {};
          kept[t.kind] = profile;
          this.profiles.set(t.pod, kept);
        }
      }
      c.state = 'done';
      c.progress = 1;
    } catch (err) {
      c.state = this.signal.aborted ? 'cancelled' : 'error';
      c.error = this.signal.aborted ? 'triage cancelled' : message(err);
    } finally {
      c.finishedAt = Date.now();
      this.started.delete(c);
    }
  }

  /**
   * One capture; a CPU profile refused because the process is being CPU-profiled already (Go
   * allows one at a time: someone else's `go tool pprof`, or two pods of one process) is
   * asked again once that one may have ended, for a while.
   */
  private async captureWhenFree(
    capture: CaptureRequest,
    c: TriageCapture,
    t: Task,
    dir: string,
  ): Promise<LibraryEntry> {
    const giveUpAt = Date.now() + Math.max(BUSY_RETRY_MIN_MS, 10 * capture.seconds * 1000);
    for (;;) {
      try {
        return await this.captures.run(
          capture,
          this.signal,
          fleetFileName(Date.now(), t.pod.group, t.kind),
          dir,
        );
      } catch (err) {
        if (!BUSY_PROFILER.test(message(err)) || this.signal.aborted || Date.now() > giveUpAt)
          throw err;
      }
      await new Promise<void>((resolve) => {
        const signal = this.signal;
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, 500);
        signal.addEventListener('abort', done);
      });
      this.started.set(c, Date.now());
    }
  }

  private summarize(pod: TriagePod): void {
    const kept = this.profiles.get(pod);
    this.profiles.delete(pod);
    if (!kept || Object.keys(kept).length === 0) return;
    try {
      pod.summary = podSummary(kept, this.status.request.rules);
    } catch {
      // Rules were checked before the triage started; a profile the engine cannot sum up
      // leaves the row without figures rather than failing the triage.
      pod.summary = null;
    }
  }
}

async function makeOutDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * Runs a triage to its end (the CLI's `profscope triage`): resolves every scope, captures
 * every pod × kind, sums each pod up, writes summary.json. Resolves with the final status;
 * a cancelled triage resolves too, with state 'cancelled' and what it had.
 */
export async function runTriage(
  deps: CaptureDeps,
  req: TriageRequest,
  opts: RunTriageOptions = {},
): Promise<TriageStatus> {
  checkRules(req.rules);
  return new TriageRun(deps, req, opts, opts.signal ?? new AbortController().signal).run();
}

/**
 * A saved triage with its table, offline: the summary as saved, with every pod's CPU breakdown
 * computed again from its saved CPU profile by `rules`.
 */
export async function openTriage(dir: string, asked: BreakdownRule[]): Promise<TriageStatus> {
  checkRules(asked);
  const saved = await readSummary(dir);
  // No rules asked for: the ones it was captured with.
  const rules = asked.length > 0 ? asked : saved.request.rules;
  const pods = await Promise.all(
    saved.pods.map(async (p): Promise<TriagePod> => {
      const file = p.captures.cpu?.state === 'done' ? p.captures.cpu.file : null;
      if (!file || !p.summary) return p;
      try {
        const cpu = await decodeProfile(new Uint8Array(await readFile(file)), {
          gunzip: nodeGunzip,
        });
        return { ...p, summary: { ...p.summary, breakdown: cpuBreakdown(cpu, rules) } };
      } catch {
        // The file was removed or damaged since: the breakdown saved with it is all there is.
        return p;
      }
    }),
  );
  return {
    // Not a running triage: named after its folder (as the contract's ids are spelled).
    id:
      basename(saved.dir)
        .replace(/[^A-Za-z0-9_-]/g, '_')
        .slice(0, 64) || 'triage',
    request: { ...saved.request, rules },
    state: saved.state,
    startedAt: saved.startedAt,
    finishedAt: saved.finishedAt,
    dir: saved.dir,
    scopeErrors: saved.scopeErrors,
    pods,
    previous: saved.previous,
  };
}

interface Managed {
  run: TriageRun;
  abort: AbortController;
  done: Promise<unknown>;
}

/** The window's triages: started, polled, cancelled. */
export class TriageManager {
  private readonly runs = new Map<string, Managed>();

  constructor(private readonly deps: CaptureDeps) {}

  start(req: TriageRequest): string {
    checkRules(req.rules);
    const id = randomBytes(8).toString('hex');
    const abort = new AbortController();
    const run = new TriageRun(this.deps, req, { id }, abort.signal);
    // A failure outside any capture (the library not writable) ends the triage as cancelled
    // with the reason said, never as an unhandled rejection in the main process.
    const done = run.run().catch((err: unknown) => {
      run.status.state = 'cancelled';
      run.status.finishedAt = Date.now();
      run.status.scopeErrors.push({ context: '', namespace: '', message: message(err) });
    });
    this.runs.set(id, { run, abort, done });
    if (this.runs.size > 50) {
      for (const [k, v] of this.runs) {
        if (v.run.status.finishedAt !== null) {
          this.runs.delete(k);
          break;
        }
      }
    }
    return id;
  }

  status(id: string): TriageStatus {
    const m = this.runs.get(id);
    if (!m) throw new ApiError('not-found', `no triage ${id}`);
    return m.run.snapshot();
  }

  cancel(id: string): void {
    const m = this.runs.get(id);
    if (!m) throw new ApiError('not-found', `no triage ${id}`);
    m.abort.abort();
  }

  /** A triage saved in the library (nowhere else: its summary names files to read). */
  async open(dir: string, rules: BreakdownRule[]): Promise<TriageStatus> {
    const [root, real] = await Promise.all([
      realpath(this.deps.library.root).catch(() => this.deps.library.root),
      realpath(dir).catch(() => null),
    ]);
    if (real === null || !isInside(root, real))
      throw new ApiError('forbidden', `${dir}: not a triage in the library`);
    return openTriage(real, rules);
  }

  /** Cancels every triage and waits for them to write what they have. */
  async cancelAll(): Promise<void> {
    for (const m of this.runs.values()) m.abort.abort();
    await Promise.allSettled([...this.runs.values()].map((m) => m.done));
  }
}
