// Continuous capture: CPU, one profile per period, from each chosen pod into the library,
// named as Fleet's cpuPprof named them (YYYY-MM-DD_HH_MM_SS.pprof.<component>.samples.cpu.pb.gz,
// UTC start), one folder per pod, which the app opens as a timeline.
import { randomBytes } from 'node:crypto';
import {
  ApiError,
  type CaptureKind,
  type ContinuousInfo,
  type ContinuousRequest,
  type PodTarget,
} from '../contract';
import type { CaptureManager } from './capture';
import { stamp, type Library } from './library';

export function continuousFileName(startMs: number, component: string): string {
  return `${stamp(startMs)}.pprof.${component}.samples.cpu.pb.gz`;
}

/** A capture named as Fleet names its profiles; the component is the workload's name without dashes (fleet-controller → fleetcontroller). */
export function fleetFileName(startMs: number, workload: string, kind: CaptureKind): string {
  const component = workload.replace(/[^A-Za-z0-9]/g, '').toLowerCase() || 'pod';
  return kind === 'trace'
    ? `${stamp(startMs)}.trace.${component}.out`
    : `${stamp(startMs)}.pprof.${component}.samples.${kind}.pb.gz`;
}

interface Job {
  info: ContinuousInfo;
  abort: AbortController;
  loops: Promise<void>[];
}

export class ContinuousManager {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly captures: CaptureManager,
    private readonly library: Library,
  ) {}

  start(req: ContinuousRequest): ContinuousInfo {
    const id = randomBytes(6).toString('hex');
    const abort = new AbortController();
    const info: ContinuousInfo = {
      id,
      request: req,
      running: true,
      startedAt: Date.now(),
      captures: 0,
      errors: 0,
      lastError: null,
      folders: req.targets.map((t) => this.library.continuousDir(t)),
    };
    const job: Job = { info, abort, loops: [] };
    // A loop that throws outside its capture (say, a bad target) ends as an error on the job,
    // never as an unhandled rejection, which would take the main process down.
    job.loops = req.targets.map((t) =>
      this.loop(job, t, req).catch((err: unknown) => {
        info.errors++;
        info.lastError = `${t.namespace}/${t.pod}: ${err instanceof Error ? err.message : String(err)}`;
      }),
    );
    this.jobs.set(id, job);
    void Promise.all(job.loops).then(() => (info.running = false));
    return { ...info };
  }

  private async loop(job: Job, target: PodTarget, req: ContinuousRequest): Promise<void> {
    const { signal } = job.abort;
    const dir = this.library.continuousDir(target);
    while (!signal.aborted) {
      const startMs = Date.now();
      try {
        await this.captures.run(
          { ...target, kind: 'cpu', seconds: req.periodSec, delta: false },
          signal,
          continuousFileName(startMs, req.component),
          dir,
        );
        job.info.captures++;
      } catch (err) {
        if (signal.aborted) break;
        job.info.errors++;
        job.info.lastError = `${target.namespace}/${target.pod}: ${err instanceof Error ? err.message : String(err)}`;
      }
      // A failed capture returns early: wait out the rest of the period before the next try.
      const wait = startMs + req.periodSec * 1000 - Date.now();
      if (wait > 0 && !signal.aborted) {
        await new Promise<void>((resolve) => {
          // One listener per wait, removed when the timer fires: a long job would otherwise
          // pile one up per period (a leak, and MaxListenersExceeded warnings).
          const onAbort = () => {
            clearTimeout(t);
            resolve();
          };
          const t = setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          }, wait);
          signal.addEventListener('abort', onAbort, { once: true });
        });
      }
    }
  }

  list(): ContinuousInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j.info }));
  }

  async stop(id: string): Promise<void> {
    const job = this.jobs.get(id);
    if (!job) throw new ApiError('not-found', `no continuous capture ${id}`);
    job.abort.abort();
    await Promise.all(job.loops);
    job.info.running = false;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.jobs.keys()].map((id) => this.stop(id)));
  }
}
