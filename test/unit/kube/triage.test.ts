// Triage end to end at the service level: several fake clusters (namespace-scoped RBAC, an
// exec plugin by relative path, metrics.k8s.io on one of them, one context unreachable) in
// front of real Go processes, one of which floods another with HTTP requests. The triage must
// list every pod, tell the culprit (making requests) from its victim (serving them), flag the
// culprit against its group, survive a pod deleted under it, and reopen from its folder.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  BreakdownRule,
  TriagePod,
  TriageRequest,
  TriageStatus,
} from '../../../electron/contract';
import { loadKubeconfigs } from '../../../electron/kube/kubeconfig';
import { createLiveService, type LiveService } from '../../../electron/kube/liveService';
import { parseQuantity, podMetrics } from '../../../electron/kube/metrics';
import {
  DEFAULT_BREAKDOWN_RULES,
  changeSince,
  outliers,
  podKey,
} from '../../../renderer/model/index';
import { startMultiCluster, type ClusterPod, type MultiCluster } from '../../k8s/multiCluster';

let mc: MultiCluster;
let live: LiveService;
let dataDir: string;

beforeAll(async () => {
  mc = await startMultiCluster('profscope-triage-', {
    downstreams: 2,
    agentsPerCluster: 3,
    unreachableContext: true,
  });
  dataDir = join(mc.dir, 'data');
  live = createLiveService({
    dataDir,
    appVersion: '0.0.0-test',
    kubeconfig: { env: { ...process.env, KUBECONFIG: mc.kubeconfig } },
  });
}, 180_000);

afterAll(async () => {
  await live?.shutdown();
  await mc?.close();
});

/** Fleet's preset: the controller and local agent in `local`, agents everywhere else. */
function fleetRequest(kinds: TriageRequest['kinds'], seconds: number): TriageRequest {
  return {
    scopes: [
      { context: 'local', namespace: null, selector: '', names: [] },
      {
        context: 'local',
        namespace: 'cattle-fleet-local-system',
        selector: 'app=fleet-agent',
        names: [],
      },
      ...mc.contexts
        .filter((c) => c !== 'local')
        .map((context) => ({ context, namespace: null, selector: 'app=fleet-agent', names: [] })),
    ],
    kinds,
    seconds,
    port: null,
    pathPrefix: null,
    rules: DEFAULT_BREAKDOWN_RULES,
  };
}

async function waitDone(id: string, onPoll?: (s: TriageStatus) => void): Promise<TriageStatus> {
  for (;;) {
    const s = await live.triageStatus(id);
    onPoll?.(s);
    if (s.state === 'done' || s.state === 'cancelled') return s;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function find(status: TriageStatus, p: ClusterPod): TriagePod {
  const got = status.pods.find(
    (x) => x.context === p.context && x.namespace === p.namespace && x.pod === p.pod,
  );
  if (!got) throw new Error(`${p.context}/${p.namespace}/${p.pod} not in the triage`);
  return got;
}

/** Shares of the breakdown, by rule name. */
function shares(p: TriagePod): Record<string, number> {
  const b = p.summary?.breakdown ?? [];
  const total = b.reduce((n, x) => n + x.value, 0);
  return Object.fromEntries(b.map((x) => [x.rule, total > 0 ? x.value / total : 0]));
}

let first: TriageStatus;
let deleted: ClusterPod;

describe('triage across clusters', () => {
  it('captures every pod of every reachable context, and tells the culprit from its victim', async () => {
    // An idle agent of the last downstream cluster is deleted as soon as the triage runs:
    // its captures come late in the queue, so they meet a pod that is gone.
    deleted = mc.pods.filter((p) => p.context === 'downstream-2' && p.role === 'idle')[0];
    const id = await live.startTriage(fleetRequest(['cpu', 'heap', 'goroutine'], 4));
    let sawRunning = false;
    let maxRunning = 0;
    first = await waitDone(id, (s) => {
      if (s.state === 'running' && !sawRunning) {
        sawRunning = true;
        const api = mc.clusters.find((c) => c.context === deleted.context)?.api;
        expect(api?.deletePod(deleted.namespace, deleted.pod)).toBe(true);
      }
      const running = s.pods.flatMap((p) =>
        Object.values(p.captures).filter((c) => c?.state === 'running'),
      ).length;
      maxRunning = Math.max(maxRunning, running);
      for (const p of s.pods) {
        const perPod = Object.values(p.captures).filter((c) => c?.state === 'running').length;
        expect(perPod).toBeLessThanOrEqual(2);
      }
    });
    expect(first.state).toBe('done');
    expect(maxRunning).toBeGreaterThan(1);
    expect(maxRunning).toBeLessThanOrEqual(6);

    // Every pod of every reachable cluster, once; the unreachable one said, not fatal.
    expect(first.pods.map(podKey).sort()).toEqual(mc.pods.map(podKey).sort());
    expect(first.scopeErrors).toHaveLength(1);
    expect(first.scopeErrors[0]).toMatchObject({
      context: 'gone',
      namespace: 'cattle-fleet-system',
    });
    expect(first.scopeErrors[0].message).toMatch(/cannot reach the API server|ECONNREFUSED/);

    // The deleted pod's captures fail; every other capture of every other pod is done.
    const gone = find(first, deleted);
    expect(Object.values(gone.captures).some((c) => c?.state === 'error')).toBe(true);
    expect(
      Object.values(gone.captures)
        .map((c) => c?.error ?? '')
        .join('\n'),
    ).toMatch(/404|not found/i);
    for (const p of first.pods.filter((x) => x !== gone)) {
      for (const [kind, c] of Object.entries(p.captures)) {
        expect(c?.state, `${podKey(p)} ${kind}: ${c?.error}`).toBe('done');
        expect(c?.file && existsSync(c.file)).toBe(true);
        expect(c?.file?.startsWith(first.dir)).toBe(true);
        expect(c?.total).toBeGreaterThan(0);
        expect(c?.finishedAt).toBeGreaterThanOrEqual(first.startedAt);
      }
      expect(p.captures.cpu?.unit).toBe('nanoseconds');
      expect(p.captures.heap?.unit).toBe('bytes');
      expect(p.captures.goroutine?.unit).toBe('count');
      expect(p.summary?.cpuCores).toBeGreaterThan(0);
      expect(p.summary?.heapInuseBytes).toBeGreaterThan(0);
      expect(p.summary?.goroutines).toBe(p.captures.goroutine?.total);
      expect(p.group).toBe(
        p.pod.startsWith('fleet-controller') ? 'fleet-controller' : 'fleet-agent',
      );
    }

    const victim = find(first, mc.victim);
    const culprit = find(first, mc.culprit);
    const v = shares(victim);
    const c = shares(culprit);
    const detail = JSON.stringify({ victim: v, culprit: c });
    // The culprit spends its CPU making requests, hardly any serving them; the victim the
    // reverse, its serving and encoding (the JSON answers) far above any request making.
    expect(c['Making requests'], detail).toBeGreaterThan(0.15);
    expect(c['Making requests'], detail).toBeGreaterThan(3 * c['Serving requests']);
    expect(v['Serving requests'] + v['Encoding'], detail).toBeGreaterThan(0.3);
    expect(v['Serving requests'] + v['Encoding'], detail).toBeGreaterThan(5 * v['Making requests']);
    const ranked = (s: Record<string, number>, among: string[]) =>
      among.slice().sort((a, b) => s[b] - s[a])[0];
    const traffic = ['Serving requests', 'Making requests'];
    expect(ranked(c, traffic)).toBe('Making requests');
    expect(ranked(v, traffic)).toBe('Serving requests');

    // The culprit's CPU is far above its group's (the agents') median; the victim is alone in
    // its group and is not judged.
    const flagged = outliers(first.pods);
    expect(
      flagged.filter((o) => o.metric === 'cpuCores' && o.direction === 'high').map((o) => o.pod),
    ).toEqual([mc.culprit.pod]);
    expect(flagged.some((o) => o.pod === mc.victim.pod)).toBe(false);

    // kubectl top's figures where metrics.k8s.io is served (local), none elsewhere.
    for (const p of first.pods.filter((x) => x !== gone)) {
      if (p.context === 'local') {
        expect(p.metrics?.memoryBytes, podKey(p)).toBeGreaterThan(1024 * 1024);
        expect(p.metrics?.cpuCores, podKey(p)).toBeGreaterThanOrEqual(0);
      } else expect(p.metrics).toBeNull();
    }
    expect(victim.metrics?.cpuCores).toBeGreaterThan(0.05);
    expect(first.previous).toBeNull();
  }, 180_000);

  it('metrics.k8s.io figures agree with kubectl top pod', async () => {
    const kc = loadKubeconfigs({ env: { KUBECONFIG: mc.kubeconfig } }).forContext('local');
    const ours = await podMetrics(kc, 'cattle-fleet-system');
    // Asynchronously: the fake API servers answer from this very process.
    const { stdout: top } = await promisify(execFile)(
      'kubectl',
      ['top', 'pod', '--context', 'local', '-n', 'cattle-fleet-system', '--no-headers'],
      { encoding: 'utf8', env: { ...process.env, KUBECONFIG: mc.kubeconfig } },
    );
    // NAME  CPU(cores)  MEMORY(bytes), e.g. "fleet-controller-…   412m   38Mi"
    const [name, cpu, memory] = top.trim().split(/\s+/);
    expect(name).toBe(mc.victim.pod);
    const usage = ours?.get(`cattle-fleet-system/${name}`);
    expect(usage).toBeDefined();
    // Both read live figures a moment apart: memory within a few MiB, CPU in the same range.
    expect(Math.abs((usage?.memoryBytes ?? 0) - parseQuantity(memory))).toBeLessThan(
      8 * 1024 * 1024,
    );
    expect(Math.abs((usage?.cpuCores ?? 0) - parseQuantity(cpu))).toBeLessThan(0.3);
    // Downstream clusters serve no metrics.k8s.io: no figures, no error.
    const downstream = loadKubeconfigs({ env: { KUBECONFIG: mc.kubeconfig } }).forContext(
      'downstream-1',
    );
    expect(await podMetrics(downstream, 'cattle-fleet-system')).toBeNull();
    // A namespace the user may not read: 403, no figures, no error.
    expect(await podMetrics(kc, 'kube-system')).toBeNull();
  }, 60_000);

  it('is saved as one library entry, and reopens offline with breakdowns by new rules', async () => {
    const summary = JSON.parse(readFileSync(join(first.dir, 'summary.json'), 'utf8')) as {
      pods: TriagePod[];
    };
    // Paths in summary.json are relative: the folder can move.
    const cpuFile = summary.pods.find((p) => p.pod === mc.culprit.pod)?.captures.cpu?.file;
    expect(cpuFile).toMatch(
      /^downstream-1\/cattle-fleet-system\/fleet-agent-[^/]+\/\d{4}-\d\d-\d\d_\d\d_\d\d_\d\d\.pprof\.fleetagent\.samples\.cpu\.pb\.gz$/,
    );
    expect(existsSync(`${join(first.dir, cpuFile ?? '')}.json`)).toBe(true);

    const entries = await live.listLibrary();
    const triages = entries.filter((e) => e.triage);
    expect(triages).toHaveLength(1);
    expect(triages[0]).toMatchObject({
      path: first.dir,
      isTrace: false,
      meta: null,
      triage: {
        pods: mc.pods.length,
        contexts: ['downstream-1', 'downstream-2', 'local'],
        start: new Date(first.startedAt).toISOString(),
      },
    });
    expect(triages[0].size).toBeGreaterThan(10_000);
    // The captures inside are not listed one by one.
    expect(entries.filter((e) => e.path.startsWith(`${first.dir}/`))).toEqual([]);

    const reopened = await live.openTriage(first.dir, DEFAULT_BREAKDOWN_RULES);
    expect(reopened.pods.map((p) => [podKey(p), p.summary])).toEqual(
      first.pods.map((p) => [podKey(p), p.summary]),
    );
    expect(reopened.pods.map((p) => p.captures)).toEqual(first.pods.map((p) => p.captures));
    expect(reopened.scopeErrors).toEqual(first.scopeErrors);
    expect(reopened.state).toBe('done');

    // Other rules: one catch-all rule takes every nanosecond of every CPU profile.
    const all: BreakdownRule[] = [{ name: 'everything', pattern: '.' }];
    const byAll = await live.openTriage(first.dir, all);
    for (const p of byAll.pods.filter((x) => x.captures.cpu?.state === 'done')) {
      expect(p.summary?.breakdown).toEqual([
        { rule: 'everything', value: p.captures.cpu?.total },
        { rule: 'other', value: 0 },
      ]);
    }
    expect(byAll.request.rules).toEqual(all);
    await expect(live.openTriage(first.dir, [{ name: 'bad', pattern: '(' }])).rejects.toThrow(
      /bad/,
    );
    // Only triages in the library open: a summary elsewhere could name any file to read.
    await expect(live.openTriage(mc.dir, DEFAULT_BREAKDOWN_RULES)).rejects.toThrow(
      /not a triage in the library/,
    );
    // No rules: the ones it was captured with.
    const asSaved = await live.openTriage(first.dir, []);
    expect(asSaved.request.rules).toEqual(first.request.rules);
  }, 60_000);

  it('a second triage over the same scopes shows the change since the first', async () => {
    const id = await live.startTriage(fleetRequest(['goroutine'], 1));
    const second = await waitDone(id);
    expect(second.state).toBe('done');
    expect(second.dir).not.toBe(first.dir);
    expect(second.previous?.dir).toBe(first.dir);
    expect(second.previous?.startedAt).toBe(first.startedAt);
    // The deleted pod is no longer listed.
    expect(second.pods.map(podKey)).not.toContain(podKey(deleted));
    const changes = changeSince(second.previous?.pods ?? [], second.pods);
    expect(changes.every((c) => c.matchedBy === 'pod')).toBe(true);
    expect(changes.every((c) => c.delta.goroutines !== null)).toBe(true);
    // Other scopes: no previous.
    const other = await live.startTriage({
      ...fleetRequest(['goroutine'], 1),
      scopes: [{ context: 'local', namespace: null, selector: '', names: [mc.victim.pod] }],
    });
    const third = await waitDone(other);
    expect(third.pods.map((p) => p.pod)).toEqual([mc.victim.pod]);
    expect(third.previous).toBeNull();
    expect((await live.listLibrary()).filter((e) => e.triage)).toHaveLength(3);
  }, 60_000);

  it('cancel stops every capture', async () => {
    const id = await live.startTriage(fleetRequest(['cpu', 'goroutine'], 30));
    await waitDone(id, (s) => {
      if (s.pods.some((p) => p.captures.cpu?.state === 'running')) void live.cancelTriage(id);
    }).then((s) => {
      expect(s.state).toBe('cancelled');
      const states = s.pods.flatMap((p) => Object.values(p.captures).map((c) => c?.state));
      expect(states).toContain('cancelled');
      expect(states).not.toContain('running');
      expect(states).not.toContain('pending');
      expect(s.finishedAt).not.toBeNull();
      expect((s.finishedAt ?? 0) - s.startedAt).toBeLessThan(20_000);
    });
  }, 60_000);

  it('deletes a triage folder only inside the library, by its real path', async () => {
    const before = (await live.listLibrary()).filter((e) => e.triage).length;
    // A folder outside the library that looks like a triage, reached through a symlink inside.
    const outside = join(mc.dir, 'outside');
    mkdirSync(join(outside, 'triage-x'), { recursive: true });
    writeFileSync(
      join(outside, 'triage-x', 'summary.json'),
      readFileSync(join(first.dir, 'summary.json')),
    );
    const link = join(dataDir, 'library', 'elsewhere');
    symlinkSync(outside, link);
    await expect(live.deleteCapture(join(link, 'triage-x'))).rejects.toThrow(
      /not a saved triage in the library/,
    );
    await expect(live.deleteCapture(join(outside, 'triage-x'))).rejects.toThrow(
      /not a saved triage in the library/,
    );
    // A folder in the library that is not a triage stays too.
    await expect(live.deleteCapture(join(dataDir, 'library'))).rejects.toThrow();
    expect(existsSync(join(outside, 'triage-x', 'summary.json'))).toBe(true);
    unlinkSync(link);

    await live.deleteCapture(first.dir);
    expect(existsSync(first.dir)).toBe(false);
    expect((await live.listLibrary()).filter((e) => e.triage)).toHaveLength(before - 1);
  }, 30_000);
});
