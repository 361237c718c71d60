// Validates the fake API server with a real kubectl: `kubectl port-forward` through it and a
// heap profile fetched from the real Go workload behind it. Both ways kubectl speaks: its
// default (1.31+: SPDY tunnelled in a WebSocket) and plain SPDY/3.1 (the fallback, and what
// older kubectl speaks).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCluster, type FakeCluster } from '../../k8s/cluster';
import type { FakeApiServer } from '../../k8s/fakeApiServer';

const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const hasKubectl = spawnSync(KUBECTL, ['version', '--client'], { encoding: 'utf8' }).status === 0;
const kubectlVersion = hasKubectl
  ? (/Client Version: (\S+)/.exec(
      spawnSync(KUBECTL, ['version', '--client'], { encoding: 'utf8' }).stdout,
    )?.[1] ?? '?')
  : '';
if (!hasKubectl)
  console.warn(
    `kubectl not found (${KUBECTL}): skipping "kubectl fetches a heap profile through the fake API server"`,
  );

let cluster: FakeCluster;
let api: FakeApiServer;
let kubeconfig: string;

function fetchBytes(url: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(Buffer.concat(chunks))
          : reject(new Error(`HTTP ${res.statusCode}`)),
      );
      res.on('error', reject);
    }).on('error', reject);
  });
}

function portForward(
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; localPort: number; out: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      KUBECTL,
      [
        '--kubeconfig',
        kubeconfig,
        '-n',
        'cattle-fleet-system',
        'port-forward',
        'pod/fleet-controller-7d9f8b6c5d-x2x9q',
        ':6060',
        '--address',
        '127.0.0.1',
        '-v=6',
      ],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`kubectl port-forward did not start:\n${out}`));
    }, 20_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /Forwarding from 127\.0\.0\.1:(\d+) -> 6060/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, localPort: Number(m[1]), out: () => out });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kubectl exited ${code}:\n${out}`));
    });
  });
}

describe.skipIf(!hasKubectl)(`kubectl ${kubectlVersion} against the fake API server`, () => {
  beforeAll(async () => {
    cluster = await startFakeCluster('profscope-kubectl-');
    ({ api } = cluster);
    kubeconfig = cluster.writeKubeconfig('config');
  }, 180_000);

  afterAll(async () => {
    await cluster?.close();
  });

  const heapThrough = async (env: NodeJS.ProcessEnv) => {
    const pf = await portForward(env);
    try {
      const gz = await fetchBytes(`http://127.0.0.1:${pf.localPort}/debug/pprof/heap`);
      const profile = Profile.decode(gunzipSync(gz));
      const strings = profile.stringTable.strings;
      const types = profile.sampleType.map((t) => strings[Number(t.type)]);
      const inuse = types.indexOf('inuse_space');
      const total = profile.sample.reduce((n, s) => n + Number(s.value[inuse]), 0);
      return { bytes: gz.length, types, total, samples: profile.sample.length };
    } finally {
      pf.child.kill();
    }
  };

  it('kubectl fetches a heap profile through the fake API server (kubectl default protocol)', async () => {
    const before = api.forwards.length;
    const heap = await heapThrough({});
    console.log(
      `kubectl default: protocols ${JSON.stringify(api.forwards.slice(before))}; heap ${heap.bytes} B, ${heap.samples} samples, inuse_space ${heap.total}`,
    );
    // kubectl 1.31+ first tries SPDY tunnelled in a WebSocket (GET, subprotocol
    // SPDY/3.1+portforward.k8s.io); older ones go straight to the SPDY/3.1 upgrade (POST).
    const minor = Number(/^v1\.(\d+)/.exec(kubectlVersion)?.[1] ?? 0);
    expect(api.forwards.slice(before)).toEqual([minor >= 31 ? 'spdy-over-websocket' : 'spdy']);
    expect(heap.types).toContain('inuse_space');
    expect(heap.total).toBeGreaterThan(1_000_000);
  });

  it('kubectl fetches a heap profile over plain SPDY/3.1 when the WebSocket tunnel is refused', async () => {
    api.faults.refuseSpdyOverWebSocket = true;
    const before = api.forwards.length;
    try {
      const heap = await heapThrough({});
      const used = api.forwards.slice(before);
      console.log(
        `kubectl fallback: protocols ${JSON.stringify(used)}; heap ${heap.bytes} B, inuse_space ${heap.total}`,
      );
      expect(used).toContain('spdy');
      expect(heap.total).toBeGreaterThan(1_000_000);
    } finally {
      api.faults.refuseSpdyOverWebSocket = false;
    }
  });
});
