// Live attach end to end at the service level: the real Go workload behind the fake API
// server, reached through @kubernetes/client-node's PortForward (WebSocket v4.channel.k8s.io),
// captures decoded with real totals, and the faults a cluster can throw.
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleTypeTotal, waitForCapture } from './fixtures';
import type { CaptureRequest, LibraryEntry, PodTarget } from '../../../electron/contract';
import { createLiveService, type LiveService } from '../../../electron/kube/liveService';
import { parseContinuousName } from '../../../renderer/timeline/continuousNames';
import { startFakeCluster, type FakeCluster } from '../../k8s/cluster';
import { kubeconfigFor, type FakeApiServer } from '../../k8s/fakeApiServer';

let cluster: FakeCluster;
let api: FakeApiServer;
let live: LiveService;
let dataDir: string;

const controller: PodTarget = {
  context: 'fake',
  namespace: 'cattle-fleet-system',
  pod: 'fleet-controller-7d9f8b6c5d-x2x9q',
  container: 'fleet-controller',
  port: 6060,
  pathPrefix: '/debug/pprof',
};

function capture(
  target: PodTarget,
  kind: CaptureRequest['kind'],
  seconds = 1,
  delta = false,
): Promise<string> {
  return live.startCapture({ ...target, kind, seconds, delta });
}

/** Files under the library that are not finished captures: temp files must never stay. */
function strayFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && e.name.startsWith('.tmp-')) out.push(join(e.parentPath, e.name));
  }
  return out;
}

async function snapshot(): Promise<string[]> {
  return (await live.listLibrary()).map((e) => e.path).sort();
}

beforeAll(async () => {
  cluster = await startFakeCluster('profscope-live-');
  ({ api } = cluster);
  const { dir, certs } = cluster;
  // Two kubeconfig files, as KUBECONFIG=a:b: the first's current-context must win, the
  // second's duplicate "fake" must be skipped with a warning.
  const script = (name: string, body: string): string => {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}`);
    chmodSync(file, 0o755);
    return file;
  };
  const good = script(
    'plugin-ok.sh',
    `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${api.token}"}}'\n`,
  );
  const bad = script(
    'plugin-fail.sh',
    'echo "error: the refresh token expired; run: cloud-login --renew" >&2\nexit 1\n',
  );
  const a = cluster.writeKubeconfig('a.yaml');
  const b = join(dir, 'b.yaml');
  const parse = (kubeconfig: string) =>
    JSON.parse(kubeconfig) as { clusters: unknown[]; users: unknown[]; contexts: unknown[] };
  const execUser = (name: string, clusterName: string, command: string) =>
    parse(
      kubeconfigFor(api, certs.caFile, {
        context: `fake-exec-${name}`,
        cluster: clusterName,
        user: `exec-${name}`,
        exec: { command },
      }),
    );
  const second = execUser('ok', 'c2', good);
  const third = execUser('fail', 'c3', bad);
  const dup = parse(kubeconfigFor({ url: 'https://127.0.0.1:1', token: 'x' }, certs.caFile));
  second.clusters.push(...third.clusters, ...dup.clusters);
  second.users.push(...third.users, ...dup.users);
  second.contexts.push(...third.contexts, ...dup.contexts);
  writeFileSync(b, JSON.stringify(second));
  dataDir = join(dir, 'data');
  live = createLiveService({
    dataDir,
    appVersion: '0.0.0-test',
    kubeconfig: { env: { KUBECONFIG: `${a}:${b}` } },
  });
}, 180_000);

afterAll(async () => {
  await live?.shutdown();
  await cluster?.close();
});

describe('live attach through @kubernetes/client-node and the fake API server', () => {
  it('merges KUBECONFIG files as kubectl does: first current-context, first duplicate wins, said', async () => {
    const info = await live.kubeContexts();
    expect(info.contexts.map((c) => c.name)).toEqual(['fake', 'fake-exec-ok', 'fake-exec-fail']);
    expect(info.current).toBe('fake');
    expect(info.contexts.find((c) => c.name === 'fake')?.server).toBe(api.url);
    expect(info.contexts.find((c) => c.name === 'fake-exec-ok')?.auth).toMatch(
      /^exec: .*plugin-ok\.sh$/,
    );
    expect(info.warnings.join('\n')).toMatch(
      /context "fake" in .*b\.yaml is also defined earlier; the first one is used/,
    );
    expect(info.warnings.join('\n')).toMatch(/cluster "fake-cluster"/);
    // Nothing secret crosses the contract.
    expect(JSON.stringify(info)).not.toContain(api.token);
  });

  it('lists namespaces and pods with status, restarts, node, age, labels and pprof candidates', async () => {
    expect(await live.kubeNamespaces('fake')).toEqual({
      namespaces: ['cattle-fleet-local-system', 'cattle-fleet-system', 'default', 'kube-system'],
      listable: true,
      contextNamespace: 'default',
      notice: null,
    });
    const listed = await live.kubePods('fake', '', '');
    expect(listed).toMatchObject({ namespace: '', notice: null });
    const all = listed.pods;
    expect(all).toHaveLength(5);
    const ctl = all.find((p) => p.name === controller.pod);
    expect(ctl).toMatchObject({
      namespace: 'cattle-fleet-system',
      status: 'Running',
      ready: '2/2',
      restarts: 1,
      node: 'node-1',
    });
    expect(ctl?.labels.app).toBe('fleet-controller');
    expect(Date.now() - (ctl?.createdAt ?? 0)).toBeGreaterThan(3600_000);
    expect(ctl?.containers[0].candidates).toEqual([
      {
        port: 6060,
        pathPrefix: '/debug/pprof',
        source: 'go-default',
        label: "Go's localhost:6060",
      },
    ]);
    expect(ctl?.workload).toBe('fleet-controller');
    const web = (await live.kubePods('fake', 'default', '')).pods.find((p) =>
      p.name.startsWith('web-'),
    );
    expect(web?.containers[0].candidates.map((c) => [c.source, c.port])).toEqual([
      ['annotation', 9090],
      ['port-name', 8081],
      ['go-default', 6060],
    ]);
    expect(all.find((p) => p.namespace === 'kube-system')?.status).toBe('CrashLoopBackOff');
  });

  it('reads the pod’s /debug/pprof/ index through a forward on 127.0.0.1', async () => {
    const index = await live.pprofIndex(controller);
    expect(index.map((e) => e.name)).toEqual(
      expect.arrayContaining([
        'allocs',
        'block',
        'goroutine',
        'heap',
        'mutex',
        'profile',
        'threadcreate',
        'trace',
      ]),
    );
    expect(index.find((e) => e.name === 'goroutine')?.count).toBeGreaterThan(20);
    const fwd = (await live.listForwards()).find((f) => f.pod === controller.pod);
    expect(fwd?.localPort).toBeGreaterThan(0);
    expect(api.forwards.at(-1)).toBe('websocket v4.channel.k8s.io');
  });

  it('captures a 2-second CPU profile with progress, saved atomically with its sidecar, totals > 0', async () => {
    const t0 = Date.now();
    const progress: number[] = [];
    const s = await waitForCapture(live, await capture(controller, 'cpu', 2), (st) =>
      progress.push(st.progress),
    );
    const elapsed = Date.now() - t0;
    expect(s.error).toBeNull();
    expect(s.state).toBe('done');
    expect(progress.some((p) => p > 0.2 && p < 1)).toBe(true);
    const entry = s.entry as LibraryEntry;
    expect(
      entry.path.startsWith(
        join(dataDir, 'library', 'fake', 'cattle-fleet-system', controller.pod),
      ),
    ).toBe(true);
    expect(entry.name).toMatch(/^\d{4}-\d{2}-\d{2}_\d{2}_\d{2}_\d{2}\.cpu\.pb\.gz$/);
    const bytes = readFileSync(entry.path);
    const cpuNs = sampleTypeTotal(bytes, 'cpu');
    console.log(
      `cpu 2 s: ${bytes.length} B, ${(cpuNs / 1e9).toFixed(2)} s of CPU, capture took ${elapsed} ms`,
    );
    expect(cpuNs).toBeGreaterThan(0.2e9);
    const side = JSON.parse(readFileSync(`${entry.path}.json`, 'utf8')) as Record<string, unknown>;
    expect(side).toMatchObject({
      context: 'fake',
      namespace: 'cattle-fleet-system',
      pod: controller.pod,
      container: 'fleet-controller',
      port: 6060,
      kind: 'cpu',
      appVersion: '0.0.0-test',
    });
    expect(side.durationSec as number).toBeGreaterThanOrEqual(2);
    expect(strayFiles(dataDir)).toEqual([]);
  });

  it('captures heap (through an exec credential plugin), a delta of allocs, goroutines and a trace', async () => {
    const viaExec = { ...controller, context: 'fake-exec-ok' };
    const heap = await waitForCapture(live, await capture(viaExec, 'heap'));
    expect(heap.error).toBeNull();
    const inuse = sampleTypeTotal(readFileSync((heap.entry as LibraryEntry).path), 'inuse_space');
    console.log(`heap: inuse_space ${inuse} B`);
    expect(inuse).toBeGreaterThan(1_000_000);
    expect((heap.entry as LibraryEntry).path).toContain(join('library', 'fake-exec-ok'));

    const delta = await waitForCapture(live, await capture(controller, 'allocs', 1, true));
    expect(delta.error).toBeNull();
    expect(delta.entry?.name).toMatch(/\.allocs-delta1s\.pb\.gz$/);
    expect(
      sampleTypeTotal(readFileSync((delta.entry as LibraryEntry).path), 'alloc_space'),
    ).toBeGreaterThan(0);

    const gr = await waitForCapture(live, await capture(controller, 'goroutine'));
    expect(
      sampleTypeTotal(readFileSync((gr.entry as LibraryEntry).path), 'goroutine'),
    ).toBeGreaterThan(20);

    const trace = await waitForCapture(live, await capture(controller, 'trace', 1));
    expect(trace.error).toBeNull();
    expect(trace.entry?.isTrace).toBe(true);
    expect(trace.entry?.name).toMatch(/\.trace\.out$/);
    expect(
      readFileSync((trace.entry as LibraryEntry).path)
        .subarray(0, 8)
        .toString('latin1'),
    ).toMatch(/^go 1\./);
  });

  it('cancels a CPU capture: nothing is saved', async () => {
    const before = await snapshot();
    const id = await capture(controller, 'cpu', 5);
    await new Promise((r) => setTimeout(r, 600));
    await live.cancelCapture(id);
    const s = await waitForCapture(live, id);
    expect(s.state).toBe('cancelled');
    expect(await snapshot()).toEqual(before);
    expect(strayFiles(dataDir)).toEqual([]);
  });

  it('fault: the pod’s port is not listening — the kubelet’s error-channel message, library unchanged', async () => {
    const before = await snapshot();
    const s = await waitForCapture(
      live,
      await capture(
        { ...controller, pod: 'no-pprof-6b8d9-zzzzz', namespace: 'default', container: 'app' },
        'heap',
      ),
    );
    expect(s.state).toBe('error');
    expect(s.error).toMatch(
      /port-forward error from the cluster: error forwarding port 6060 .*connection refused/,
    );
    expect(await snapshot()).toEqual(before);
  });

  it('fault: the WebSocket dropped mid-capture — a clear error, the process survives, library unchanged', async () => {
    const before = await snapshot();
    api.faults.dropWebSocketAfterMs = 800;
    try {
      const s = await waitForCapture(live, await capture(controller, 'cpu', 3));
      expect(s.state).toBe('error');
      expect(s.error).toMatch(/closed by the API server \(code 1006\)/);
      expect(s.elapsedMs).toBeLessThan(2500);
    } finally {
      api.faults.dropWebSocketAfterMs = null;
    }
    expect(await snapshot()).toEqual(before);
    expect(strayFiles(dataDir)).toEqual([]);
    // The same forward still works afterwards.
    expect((await live.listForwards()).find((f) => f.pod === controller.pod)?.lastError).toMatch(
      /closed by the API server/,
    );
    const ok = await waitForCapture(live, await capture(controller, 'goroutine'));
    expect(ok.state).toBe('done');
    // A connection that went through clears the forward's old error.
    const fwd = (await live.listForwards()).find((f) => f.pod === controller.pod);
    expect(fwd).toMatchObject({ state: 'open', lastError: null });
  });

  it('fault: 403 on pods/portforward — says RBAC and pods/portforward, library unchanged', async () => {
    const before = await snapshot();
    api.faults.forbidPortForward = true;
    try {
      const s = await waitForCapture(live, await capture(controller, 'heap'));
      expect(s.state).toBe('error');
      expect(s.error).toMatch(
        /not allowed to create pods\/portforward "fleet-controller-[^"]+" in namespace "cattle-fleet-system" \(403 Forbidden\)/,
      );
      expect(s.error).toContain('cannot create resource "pods/portforward"');
      expect(s.error).toContain(
        'A Role or ClusterRole rule {apiGroups: [""], resources: ["pods/portforward"], verbs: ["create"]} bound in namespace "cattle-fleet-system" (RoleBinding) would allow it',
      );
    } finally {
      api.faults.forbidPortForward = false;
    }
    expect(await snapshot()).toEqual(before);
  });

  it('fault: pod gone — 404 turned into a readable error', async () => {
    const s = await waitForCapture(
      live,
      await capture({ ...controller, pod: 'fleet-controller-gone' }, 'heap'),
    );
    expect(s.error).toMatch(/pod cattle-fleet-system\/fleet-controller-gone is gone \(404\)/);
  });

  it('fault: an exec credential plugin that exits 1 — its own message', async () => {
    const before = await snapshot();
    await expect(live.kubePods('fake-exec-fail', 'default', '')).rejects.toThrow(
      /credential plugin ".*plugin-fail\.sh" for user "exec-fail" failed: error: the refresh token expired; run: cloud-login --renew/,
    );
    const s = await waitForCapture(
      live,
      await capture({ ...controller, context: 'fake-exec-fail' }, 'heap'),
    );
    expect(s.error).toMatch(/credential plugin .* failed: error: the refresh token expired/);
    expect(await snapshot()).toEqual(before);
  });

  it('continuous capture writes Fleet-named CPU profiles into a per-pod folder', async () => {
    const job = await live.startContinuous({
      targets: [controller],
      periodSec: 1,
      component: 'fleetcontroller',
    });
    await new Promise((r) => setTimeout(r, 3500));
    await live.stopContinuous(job.id);
    const [folder] = job.folders;
    const names = readdirSync(folder).filter((n) => !n.endsWith('.json'));
    expect(names.length).toBeGreaterThanOrEqual(2);
    for (const n of names) {
      expect(parseContinuousName(n)).toMatchObject({ component: 'fleetcontroller', kind: 'cpu' });
      expect(sampleTypeTotal(readFileSync(join(folder, n)), 'cpu')).toBeGreaterThan(0);
    }
    expect((await live.listContinuous())[0]).toMatchObject({ running: false, errors: 0 });
    expect(strayFiles(dataDir)).toEqual([]);
  });

  it('lists, and deletes only inside the library', async () => {
    const list = await live.listLibrary();
    expect(list.length).toBeGreaterThanOrEqual(6);
    expect(
      list[0].meta?.start &&
        list.at(-1)?.meta?.start &&
        list[0].meta.start >= list.at(-1)!.meta!.start,
    ).toBe(true);
    const victim = list.find(
      (e) => e.name.endsWith('.cpu.pb.gz') && !e.path.includes('continuous'),
    ) as LibraryEntry;
    await live.deleteCapture(victim.path);
    expect(existsSync(victim.path)).toBe(false);
    expect(existsSync(`${victim.path}.json`)).toBe(false);
    await expect(live.deleteCapture('/etc/hostname')).rejects.toThrow(
      /not a capture in the library/,
    );
    await expect(live.deleteCapture(join(dataDir, 'library', '..', 'x'))).rejects.toThrow(
      /not a capture in the library/,
    );
  });

  it('stops forwards', async () => {
    const fwds = await live.listForwards();
    expect(fwds.length).toBeGreaterThan(0);
    for (const f of fwds) await live.stopForward(f.id);
    expect(await live.listForwards()).toEqual([]);
  });
});
