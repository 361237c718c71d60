// Capture from a URL as `go tool pprof URL` takes one: the real Go workload serving
// net/http/pprof on 127.0.0.1, through the live service as the window calls it.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleTypeTotal, waitForCapture } from './fixtures';
import type { LibraryEntry } from '../../../electron/contract';
import { pprofUrl } from '../../../electron/kube/capture';
import { createLiveService, type LiveService } from '../../../electron/kube/liveService';
import { buildWorkload, startWorkload, type RunningWorkload } from '../../k8s/workload';

let workload: RunningWorkload;
let live: LiveService;
let dataDir: string;
let base: string;

beforeAll(async () => {
  workload = await startWorkload(await buildWorkload());
  base = `http://${workload.host}:${workload.port}`;
  dataDir = mkdtempSync(join(tmpdir(), 'profscope-url-'));
  live = createLiveService({ dataDir, appVersion: '0.0.0-test', kubeconfig: { env: {} } });
}, 180_000);

afterAll(async () => {
  await live?.shutdown();
  await workload?.close();
});

describe('pprof URLs as go tool pprof adjusts them', () => {
  it.each([
    ['http://127.0.0.1:6060', 'cpu', 'http://127.0.0.1:6060/debug/pprof/profile?seconds=7', 'cpu'],
    ['http://127.0.0.1:6060/', 'heap', 'http://127.0.0.1:6060/debug/pprof/heap', 'heap'],
    ['127.0.0.1:6060', 'cpu', 'http://127.0.0.1:6060/debug/pprof/profile?seconds=7', 'cpu'],
    ['localhost:6060/debug/pprof/heap', 'cpu', 'http://localhost:6060/debug/pprof/heap', 'heap'],
    [
      'http://h:1/debug/pprof/profile?seconds=3',
      'cpu',
      'http://h:1/debug/pprof/profile?seconds=3',
      'cpu',
    ],
    ['http://h:1/debug/pprof/profile', 'heap', 'http://h:1/debug/pprof/profile?seconds=7', 'cpu'],
    ['http://h:1/x/debug/pprof/', 'goroutine', 'http://h:1/x/debug/pprof/goroutine', 'goroutine'],
    ['http://h:1/debug/pprof', 'trace', 'http://h:1/debug/pprof/trace?seconds=7', 'trace'],
    ['https://h/custom/handler?z=1&a=2', 'mutex', 'https://h/custom/handler?a=2&z=1', 'mutex'],
  ] as const)('%s (%s) → %s', (source, kind, url, named) => {
    const u = pprofUrl(source, kind, 7);
    expect(u.url.toString()).toBe(url);
    expect(u.kind).toBe(named);
  });

  it('gives pprof’s timeouts and refuses what is no http URL', () => {
    expect(pprofUrl('http://h:1', 'cpu', 10).timeoutMs).toBe(15_000);
    expect(pprofUrl('http://h:1/debug/pprof/heap', 'heap', 10).timeoutMs).toBe(60_000);
    expect(() => pprofUrl('ftp://h/x', 'heap', 1)).toThrow(/only http and https/);
  });
});

describe('startUrlCapture against a real net/http/pprof server', () => {
  it('captures a CPU profile from a bare host:port with progress, saved with its URL', async () => {
    const progress: number[] = [];
    const s = await waitForCapture(
      live,
      await live.startUrlCapture({ url: base, kind: 'cpu', seconds: 2 }),
      (st) => progress.push(st.progress),
    );
    expect(s.error).toBeNull();
    expect(s.state).toBe('done');
    expect(progress.some((p) => p > 0.2 && p < 1)).toBe(true);
    const entry = s.entry as LibraryEntry;
    expect(entry.path.startsWith(join(dataDir, 'library', '_url'))).toBe(true);
    expect(entry.name).toMatch(/\.cpu\.pb\.gz$/);
    const cpuNs = sampleTypeTotal(readFileSync(entry.path), 'cpu');
    console.log(`URL cpu 2 s: ${(cpuNs / 1e9).toFixed(2)} s of CPU`);
    expect(cpuNs).toBeGreaterThan(0.2e9);
    expect(entry.meta).toMatchObject({
      context: '',
      namespace: '',
      pod: `${workload.host}:${workload.port}`,
      port: workload.port,
      pathPrefix: '/debug/pprof',
      kind: 'cpu',
      delta: false,
      url: `${base}/debug/pprof/profile?seconds=2`,
    });
    expect(entry.meta?.durationSec).toBeGreaterThanOrEqual(2);
    expect((await live.listLibrary()).some((e) => e.path === entry.path)).toBe(true);
  });

  it('uses a URL naming a profile as given (heap, goroutine)', async () => {
    const heap = await waitForCapture(
      live,
      await live.startUrlCapture({ url: `${base}/debug/pprof/heap`, kind: 'cpu', seconds: 1 }),
    );
    expect(heap.error).toBeNull();
    expect(heap.entry?.meta?.kind).toBe('heap');
    expect(
      sampleTypeTotal(readFileSync((heap.entry as LibraryEntry).path), 'inuse_space'),
    ).toBeGreaterThan(0);
    const gr = await waitForCapture(
      live,
      await live.startUrlCapture({ url: `${base}/debug/pprof/`, kind: 'goroutine', seconds: 1 }),
    );
    expect(
      sampleTypeTotal(readFileSync((gr.entry as LibraryEntry).path), 'goroutine'),
    ).toBeGreaterThan(5);
  });

  it('says what the server answered, and what cannot be reached', async () => {
    const nf = await waitForCapture(
      live,
      await live.startUrlCapture({ url: `${base}/nothing/here`, kind: 'heap', seconds: 1 }),
    );
    expect(nf.state).toBe('error');
    expect(nf.error).toBe(`${base}/nothing/here answered 404 Not Found - 404 page not found`);
    const down = await waitForCapture(
      live,
      await live.startUrlCapture({ url: 'http://127.0.0.1:1/', kind: 'heap', seconds: 1 }),
    );
    expect(down.error).toMatch(
      /^cannot fetch http:\/\/127\.0\.0\.1:1\/debug\/pprof\/heap: connect ECONNREFUSED/,
    );
  });

  it('cancels: nothing saved', async () => {
    const before = (await live.listLibrary()).length;
    const id = await live.startUrlCapture({ url: base, kind: 'cpu', seconds: 5 });
    await new Promise((r) => setTimeout(r, 500));
    await live.cancelCapture(id);
    const s = await waitForCapture(live, id);
    expect(s.state).toBe('cancelled');
    expect((await live.listLibrary()).length).toBe(before);
    expect(existsSync(join(dataDir, 'library'))).toBe(true);
  });
});
