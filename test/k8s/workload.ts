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
  close(): Promise<void>;
}

export function startWorkload(bin: string): Promise<RunningWorkload> {
  return new Promise((resolvePromise, reject) => {
    const child: ChildProcess = spawn(bin, ['-serve', '127.0.0.1:0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`workload did not start: ${out}`)), 20_000);
    child.once('error', reject);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on ([\d.]+):(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise({
          host: m[1],
          port: Number(m[2]),
          close: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  });
}
