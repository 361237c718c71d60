// Builds and runs the real Go fixture workload (test/fixtures/workload) for live tests.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function buildWorkload(): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'profscope-workload-')), 'workload');
  await run('go', ['build', '-trimpath', '-o', out, '.'], {
    cwd: resolve('test/fixtures/workload'),
    env: { ...process.env, GOPROXY: 'off', GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
  });
  return out;
}

export interface RunningWorkload {
  host: string;
  port: number;
  pid: number;
  close(): Promise<void>;
}

/** Runs the workload with `args` (default: the mixed workload serving pprof on any port). */
export function startWorkload(
  bin: string,
  args: string[] = ['-serve', '127.0.0.1:0'],
): Promise<RunningWorkload> {
  return new Promise((resolvePromise, reject) => {
    // The workload exits when its stdin closes: if this process dies without close(), no
    // workload stays behind burning CPU.
    const child: ChildProcess = spawn(bin, ['-exit-on-stdin-eof', ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`workload did not start: ${out}`)), 20_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`workload exited (${code}) before listening: ${out}`));
    });
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on ([\d.]+):(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise({
          host: m[1],
          port: Number(m[2]),
          pid: child.pid ?? 0,
          close: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  });
}
