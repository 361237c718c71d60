// Real usage figures for metrics.k8s.io, as metrics-server computes them: a pod's CPU is the
// rate of its process's CPU time over the last window (~10 s), its memory the working set
// (here the process's resident set). Read from /proc/<pid>/stat and /proc/<pid>/status.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface Sample {
  at: number;
  cpuSeconds: number;
}

/** utime + stime and the start time (seconds since boot) of a process; null once it is gone. */
function readStat(pid: number): { cpuSeconds: number; startedAt: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces and parentheses.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // f[0] is field 3 (state): utime is field 14, stime 15, starttime 22.
    return {
      cpuSeconds: (Number(f[11]) + Number(f[12])) / CLK_TCK,
      startedAt: Number(f[19]) / CLK_TCK,
    };
  } catch {
    return null;
  }
}

export function rssKiB(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export interface CpuUsage {
  /** Cores in use over the window. */
  cores: number;
  windowSeconds: number;
  /** End of the window. */
  timestamp: Date;
}

/** Samples processes' CPU time every second and answers the rate over the last window. */
export class CpuSampler {
  private readonly history = new Map<number, Sample[]>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pids: () => number[],
    private readonly windowMs = 10_000,
  ) {
    this.sampleAll();
    this.timer = setInterval(() => this.sampleAll(), 1000);
    this.timer.unref();
  }

  private sample(pid: number): Sample | null {
    const s = readStat(pid);
    if (!s) {
      this.history.delete(pid);
      return null;
    }
    const sample = { at: Date.now(), cpuSeconds: s.cpuSeconds };
    const list = this.history.get(pid) ?? [];
    list.push(sample);
    // Keep one sample older than the window, so the window is always full once it can be.
    while (list.length > 2 && list[1].at <= sample.at - this.windowMs) list.shift();
    this.history.set(pid, list);
    return sample;
  }

  private sampleAll(): void {
    for (const pid of new Set(this.pids())) this.sample(pid);
  }

  usage(pid: number): CpuUsage | null {
    const now = this.sample(pid);
    if (!now) return null;
    const list = this.history.get(pid) ?? [];
    const from = list.find((s) => s.at <= now.at - this.windowMs) ?? list[0];
    const dt = (now.at - from.at) / 1000;
    if (dt >= 1) {
      return {
        cores: Math.max(0, now.cpuSeconds - from.cpuSeconds) / dt,
        windowSeconds: dt,
        timestamp: new Date(now.at),
      };
    }
    // Just started: the average over the process's life, as a first scrape would give.
    const stat = readStat(pid);
    const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    if (!stat) return null;
    const life = Math.max(uptime - stat.startedAt, 0.01);
    return { cores: stat.cpuSeconds / life, windowSeconds: life, timestamp: new Date(now.at) };
  }

  close(): void {
    clearInterval(this.timer);
  }
}

/** metav1.Duration's JSON: Go's time.Duration.String() for whole milliseconds. */
export function goDuration(seconds: number): string {
  return `${Number(seconds.toFixed(3))}s`;
}
