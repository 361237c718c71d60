// A pool of worker threads running tasks.ts: the timeline's summaries and the CLI's decodes use
// every core instead of one. Workers start when work comes and leave after a while without any;
// each holds one task at a time, so no more files are read and decoded at once than there are
// workers (a day of files is never all in memory). A worker that dies fails only the task it
// held; the next task gets a new worker.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { runTask, type ResultOf, type Task } from './tasks';

/** What the pool posts to a worker. */
export interface WorkerRequest {
  id: number;
  task: Task;
}

/** What a worker posts back: its task's result, or why the task threw. */
export type WorkerReply = { id: number; result: ResultOf<Task> } | { id: number; failure: string };

/** A task whose worker stopped under it (crashed, ran out of memory, was terminated). */
export class WorkerStoppedError extends Error {}

export interface PoolOptions {
  /** The worker bundle; null runs the tasks one by one on this thread (sources without a build). */
  script: string | null;
  /** Workers at most; defaultPoolSize() when not given. */
  size?: number;
  /** A worker left without work this long exits. */
  idleMs?: number;
}

/** One worker per core the process may use, eight at most (more would mostly wait on the disk). */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

/**
 * The worker's bundle beside the running one: dist/electron/ for the app and the CLI, also
 * inside app.asar (Electron's workers load from it). Null when running from sources.
 */
export function defaultWorkerScript(): string | null {
  const script = join(__dirname, 'summaryWorker.cjs');
  return existsSync(script) ? script : null;
}

interface Job {
  task: Task;
  resolve: (result: ResultOf<Task>) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  jobId: number;
  idleTimer: ReturnType<typeof setTimeout> | null;
  /** The uncaught error that stopped the worker, reported with its task. */
  error: Error | null;
}

export class WorkerPool {
  readonly size: number;
  private readonly script: string | null;
  private readonly idleMs: number;
  private readonly queue: Job[] = [];
  private readonly slots = new Set<Slot>();
  private nextId = 1;
  /** Tasks run on this thread (no script), one after another. */
  private inline: Promise<unknown> = Promise.resolve();

  constructor(opts: PoolOptions) {
    this.script = opts.script;
    this.size = Math.max(1, opts.size ?? defaultPoolSize());
    this.idleMs = opts.idleMs ?? 30_000;
  }

  /** True when tasks run in worker threads (a worker bundle was found). */
  get threaded(): boolean {
    return this.script !== null;
  }

  /** Workers alive now. */
  get workers(): number {
    return this.slots.size;
  }

  run<T extends Task>(task: T): Promise<ResultOf<T>> {
    if (this.script === null) {
      const result = this.inline.then(() => runTask(task)).then((answer) => answer.result);
      this.inline = result.catch(() => undefined);
      return result;
    }
    return new Promise<ResultOf<T>>((resolve, reject) => {
      this.queue.push({ task, resolve: resolve as Job['resolve'], reject });
      this.pump();
    });
  }

  /** Stops every worker; tasks not yet answered fail. */
  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.reject(new WorkerStoppedError('the pool closed'));
    await Promise.all([...this.slots].map((slot) => slot.worker.terminate()));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = [...this.slots].find((s) => s.job === null);
      if (!slot) {
        if (this.slots.size >= this.size) return;
        slot = this.spawn(this.script ?? '');
      }
      this.assign(slot, this.queue.shift()!);
    }
  }

  private spawn(script: string): Slot {
    const slot: Slot = {
      worker: new Worker(script),
      job: null,
      jobId: 0,
      idleTimer: null,
      error: null,
    };
    this.slots.add(slot);
    slot.worker.on('message', (reply: WorkerReply) => {
      const job = slot.job;
      if (!job || reply.id !== slot.jobId) return;
      slot.job = null;
      if ('failure' in reply) job.reject(new Error(reply.failure));
      else job.resolve(reply.result);
      this.rest(slot);
      this.pump();
    });
    slot.worker.on('error', (err) => {
      slot.error = err;
    });
    slot.worker.on('exit', (code) => {
      this.slots.delete(slot);
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      const job = slot.job;
      slot.job = null;
      if (job) {
        const why = slot.error?.message ?? `exit code ${code}`;
        job.reject(new WorkerStoppedError(`the worker stopped: ${why}`));
      }
      this.pump();
    });
    return slot;
  }

  private assign(slot: Slot, job: Job): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    slot.job = job;
    slot.jobId = this.nextId++;
    // A busy worker keeps the process alive (the CLI waits on it); an idle one does not.
    slot.worker.ref();
    slot.worker.postMessage({ id: slot.jobId, task: job.task } satisfies WorkerRequest);
  }

  private rest(slot: Slot): void {
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => {
      // Out of the pool first: no task may be handed to a worker on its way out.
      this.slots.delete(slot);
      void slot.worker.terminate();
    }, this.idleMs);
    slot.idleTimer.unref();
  }
}
