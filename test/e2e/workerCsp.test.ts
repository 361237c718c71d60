import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererDir } from '../../electron/services/paths';
import { activePanel, appSession } from './harness';

const CPU = join(process.cwd(), 'test', 'fixtures', 'pprof', 'cpu.pb.gz');

/** Every worker script of the build (the engine, the inflater). */
const WORKER_SCRIPTS = readdirSync(join(rendererDir(), 'assets')).filter((f) =>
  /\.worker-[\w-]+\.js$/.test(f),
);

const session = appSession();

/** Another local service: what a worker must not reach. Counts what reaches it. */
let bystander: Server;
let bystanderUrl = '';
let reached = 0;
beforeAll(async () => {
  bystander = createServer((_req, res) => {
    reached++;
    res.writeHead(200, { 'access-control-allow-origin': '*' }).end('reached');
  });
  await new Promise<void>((resolve) => bystander.listen(0, '127.0.0.1', resolve));
  bystanderUrl = `http://127.0.0.1:${(bystander.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => bystander.close(() => resolve())));

describe("our workers' scripts", () => {
  it('are served with a CSP of their own that allows no network', async () => {
    expect(WORKER_SCRIPTS.map((f) => f.replace(/-[\w-]+\.js$/, ''))).toEqual(
      expect.arrayContaining(['engine.worker', 'inflate.worker']),
    );
    const { page, server } = await session.open([CPU]);
    await activePanel(page).getByTestId('profile-total').waitFor();
    for (const file of WORKER_SCRIPTS) {
      const url = `http://127.0.0.1:${server.port}/assets/${file}`;
      const csp = await page.evaluate(
        async (u) => (await fetch(u)).headers.get('content-security-policy'),
        url,
      );
      expect(csp, file).toMatch(/(^|; )connect-src 'none'(;|$)/);
      expect(csp, file).toMatch(/^default-src 'none'/);

      // A worker started from that script, as the app starts it, tries another local port.
      const started = page.waitForEvent('worker', (w) => w.url() === url);
      await page.evaluate((u) => {
        (globalThis as { probe?: Worker }).probe = new Worker(u, { type: 'module' });
      }, url);
      const worker = await started;
      const outcome = await worker.evaluate(async (target) => {
        try {
          await fetch(target, { mode: 'no-cors' });
          return 'fetched';
        } catch (err) {
          return `refused: ${String(err)}`;
        }
      }, bystanderUrl);
      expect(outcome, file).toMatch(/^refused/);
    }
    expect(reached).toBe(0);
  });

  it('still let the engine start its inflater beside it', async () => {
    const { page } = await session.open([CPU]);
    await activePanel(page).getByTestId('profile-total').waitFor();
    const engine = page.workers().find((w) => /engine\.worker-/.test(w.url()));
    if (!engine) throw new Error('no engine worker');
    const inflater = WORKER_SCRIPTS.find((f) => f.startsWith('inflate.worker-'))!;
    // The engine falls back to inflating on its own thread when this fails, so a CSP that
    // refused it would go unseen but for this: the inflater must start and inflate.
    const inflated = await engine.evaluate(async (file) => {
      const gz = new Uint8Array(
        await new Response(
          new Blob(['profscope']).stream().pipeThrough(new CompressionStream('gzip')),
        ).arrayBuffer(),
      );
      const w = new Worker(new URL(file, location.href), { type: 'module' });
      return new Promise<string>((resolve) => {
        w.onmessage = (e: MessageEvent<{ chunk?: Uint8Array }>) => {
          resolve(e.data.chunk ? new TextDecoder().decode(e.data.chunk) : JSON.stringify(e.data));
          w.terminate();
        };
        w.onerror = (e) => resolve(`failed: ${e.message}`);
        w.postMessage({ gz });
      });
    }, inflater);
    expect(inflated).toBe('profscope');
  });
});
