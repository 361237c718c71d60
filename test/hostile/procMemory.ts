// Memory of Chromium's processes from /proc (Linux): the renderer holds the page and its
// dedicated workers (the engine and the inflate worker are threads of it), so its VmHWM is the
// figure a decompression bomb inflates.
import { readFileSync, readdirSync } from 'node:fs';

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The process and all its descendants. */
export function descendants(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${out[i]}/task`);
    } catch {
      continue; // exited meanwhile
    }
    for (const t of tasks) {
      for (const c of read(`/proc/${out[i]}/task/${t}/children`).split(/\s+/)) {
        if (c !== '') out.push(Number(c));
      }
    }
  }
  return out;
}

export interface ProcMemory {
  pid: number;
  /** Chromium's --type= (renderer, gpu-process, utility…), or 'browser'. */
  type: string;
  rssMiB: number;
  hwmMiB: number;
}

function kib(status: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) / 1024 : 0;
}

export function procMemory(pid: number): ProcMemory | null {
  const status = read(`/proc/${pid}/status`);
  if (status === '') return null;
  const type = /--type=([\w-]+)/.exec(read(`/proc/${pid}/cmdline`).replace(/\0/g, ' '));
  return {
    pid,
    type: type ? type[1] : 'browser',
    rssMiB: kib(status, 'VmRSS'),
    hwmMiB: kib(status, 'VmHWM'),
  };
}

/** Every process under `root` (a browser's, or this process to find the browsers it started). */
export function chromiumMemory(root: number): ProcMemory[] {
  return descendants(root)
    .map(procMemory)
    .filter((m): m is ProcMemory => m !== null);
}
