// Forwards close their listener when idle, stay listed, and reopen on demand; an old error
// goes once a connection through the same forward succeeds. Real forwards through the fake
// API server (WebSocket v4.channel.k8s.io) to a real TCP echo server standing for the pod.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PodTarget } from '../../../electron/contract';
import { loadKubeconfigs } from '../../../electron/kube/kubeconfig';
import { ForwardManager, type Forward } from '../../../electron/kube/portForward';
import { makeCerts } from '../../k8s/certs';
import { kubeconfigFor, startFakeApiServer, type FakeApiServer } from '../../k8s/fakeApiServer';

let api: FakeApiServer;
let echoPort: number;
let echo: Server | null = null;
let kubeconfigFile: string;

const target: PodTarget = {
  context: 'fake',
  namespace: 'default',
  pod: 'echo-0',
  container: null,
  port: 7000,
  pathPrefix: '/debug/pprof',
};

function startEcho(): Promise<void> {
  const s = createServer((sock) => sock.pipe(sock));
  echo = s;
  return new Promise((r) => s.listen(echoPort, '127.0.0.1', () => r()));
}

/** Sends `text` through the forward and reads it back; the error when it fails. */
function roundTrip(fwd: Forward, text: string, holdMs = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock: Socket = connect(fwd.localPort, '127.0.0.1');
    let got = '';
    sock.on('data', (c: Buffer) => {
      got += c.toString();
      if (got === text) setTimeout(() => sock.end(), holdMs);
    });
    sock.on('error', reject);
    sock.on('close', () => (got === text ? resolve(got) : reject(new Error(`got "${got}"`))));
    sock.write(text);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'profscope-idle-'));
  const certs = makeCerts(dir);
  // A port free now, where the echo server listens later: first "connection refused".
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  echoPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  api = await startFakeApiServer({
    certs,
    pods: [
      {
        namespace: 'default',
        name: 'echo-0',
        containers: [{ name: 'echo' }],
        ports: { 7000: { host: '127.0.0.1', port: echoPort } },
      },
    ],
  });
  kubeconfigFile = join(dir, 'config');
  writeFileSync(kubeconfigFile, kubeconfigFor(api, certs.caFile));
});

afterAll(async () => {
  await api?.close();
  await new Promise<void>((r) => (echo ? echo.close(() => r()) : r()));
});

describe('forward state', () => {
  it('clears lastError when a later connection through the same forward succeeds', async () => {
    const m = new ForwardManager({ idleCloseMs: 0 });
    const kc = loadKubeconfigs({ env: { KUBECONFIG: kubeconfigFile } }).forContext('fake');
    try {
      const fwd = await m.open(kc, target);
      await expect(roundTrip(fwd, 'hello')).rejects.toThrow();
      await sleep(100);
      expect(m.list()[0].lastError).toMatch(
        /port-forward error from the cluster: .*connection refused/,
      );
      await startEcho();
      expect(await roundTrip(fwd, 'hello')).toBe('hello');
      await sleep(50);
      expect(m.list()[0]).toMatchObject({ state: 'open', lastError: null, connections: 2 });
    } finally {
      await m.stopAll();
    }
  });

  it('closes an idle listener, keeps it listed, reopens it on demand; use keeps it open', async () => {
    if (!echo) await startEcho();
    const m = new ForwardManager({ idleCloseMs: 250 });
    const kc = loadKubeconfigs({ env: { KUBECONFIG: kubeconfigFile } }).forContext('fake');
    try {
      const fwd = await m.open(kc, target);
      const port = fwd.localPort;
      expect(m.list()[0]).toMatchObject({ state: 'open', idleCloseMs: 250 });
      // A connection held longer than idleCloseMs: still open while it lasts.
      expect(await roundTrip(fwd, 'held', 600)).toBe('held');
      expect(m.list()[0].state).toBe('open');
      const usedAt = m.list()[0].lastUsedAt;
      expect(Date.now() - usedAt).toBeLessThan(200);
      await sleep(500);
      expect(m.list()).toHaveLength(1);
      expect(m.list()[0]).toMatchObject({ id: fwd.id, state: 'idle-closed', localPort: port });
      // Nothing listens any more.
      await expect(
        new Promise((resolve, reject) => {
          const s = connect(port, '127.0.0.1');
          s.on('connect', () => {
            s.destroy();
            resolve('connected');
          });
          s.on('error', reject);
        }),
      ).rejects.toThrow(/ECONNREFUSED/);
      // The next open of the same target listens again: same forward, same port when free.
      const again = await m.open(kc, target);
      expect(again).toBe(fwd);
      expect(m.list()[0]).toMatchObject({ id: fwd.id, state: 'open', localPort: port });
      expect(await roundTrip(again, 'again')).toBe('again');
      await sleep(500);
      expect(m.list()[0].state).toBe('idle-closed');
      await m.stop(fwd.id);
      expect(m.list()).toEqual([]);
    } finally {
      await m.stopAll();
    }
  });
});
