// The multi-cluster fake is real where triage needs it to be: the victim's CPU goes to serving
// the API the culprit floods (net/http server), the culprit's to the HTTP client making the
// requests, metrics.k8s.io reports the processes' real usage, RBAC answers the API server's
// 403s, label selectors parse as apimachinery parses them, and deleted pods are gone.
import { get as httpGet } from 'node:http';
import { request } from 'node:https';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { matches, parseSelector } from '../../k8s/labelSelector';
import { startMultiCluster, type ClusterPod, type MultiCluster } from '../../k8s/multiCluster';

let mc: MultiCluster;

function fetchBytes(url: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    httpGet(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(Buffer.concat(chunks))
          : reject(new Error(`${url}: HTTP ${res.statusCode}`)),
      );
    }).on('error', reject);
  });
}

/** A GET on a cluster as the context's user: status and parsed JSON body. */
function apiGet(context: string, path: string): Promise<{ code: number; body: unknown }> {
  const cluster = mc.clusters.find((c) => c.context === context);
  if (!cluster) throw new Error(`no cluster ${context}`);
  const token = cluster.api.users.find((u) => u.name === mc.userName)?.token ?? '';
  return new Promise((resolve, reject) => {
    const req = request(
      `${cluster.api.url}${path}`,
      { ca: cluster.certs.caPem, agent: false, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Share of the CPU samples whose stack holds a function matching `pattern`. */
function shareUnder(gz: Buffer, pattern: RegExp): { share: number; samples: number } {
  const p = Profile.decode(gunzipSync(gz));
  const strings = p.stringTable.strings;
  const fnName = new Map(p.function.map((f) => [Number(f.id), strings[Number(f.name)]]));
  const locFns = new Map(
    p.location.map((l) => [Number(l.id), l.line.map((ln) => fnName.get(Number(ln.functionId)))]),
  );
  const cpu = p.sampleType.findIndex((t) => strings[Number(t.type)] === 'cpu');
  let total = 0;
  let under = 0;
  for (const s of p.sample) {
    const v = Number(s.value[cpu]);
    total += v;
    if (s.locationId.some((id) => locFns.get(Number(id))?.some((f) => f && pattern.test(f))))
      under += v;
  }
  return { share: total ? under / total : 0, samples: p.sample.length };
}

const cpuProfile = (pod: ClusterPod) =>
  fetchBytes(`http://${pod.pprof.host}:${pod.pprof.port}/debug/pprof/profile?seconds=3`);

const SERVER = /^net\/http\.\(\*conn\)\.serve$/;
const CLIENT = /^net\/http\.\(\*(Transport|persistConn|Client)\)\./;

beforeAll(async () => {
  mc = await startMultiCluster('profscope-multi-', { unreachableContext: true });
}, 180_000);

afterAll(async () => {
  await mc?.close();
});

describe('the culprit and its victim', () => {
  it('lays out Fleet: a controller on local, agents downstream, one culprit in downstream-1', () => {
    expect(mc.contexts).toEqual(['local', 'downstream-1', 'gone']);
    expect(mc.victim).toMatchObject({ context: 'local', namespace: 'cattle-fleet-system' });
    expect(mc.victim.pod).toMatch(/^fleet-controller-[a-z0-9]{10}-[a-z0-9]{5}$/);
    expect(mc.culprit).toMatchObject({ context: 'downstream-1', namespace: 'cattle-fleet-system' });
    expect(mc.culprit.pod).toMatch(/^fleet-agent-/);
    expect(mc.pods.filter((p) => p.context === 'downstream-1')).toHaveLength(2);
    expect(mc.pods.filter((p) => p.role === 'culprit')).toHaveLength(1);
    const local = mc.clusters.find((c) => c.context === 'local')?.api;
    const pod = local?.pods.find((p) => p.name === mc.victim.pod);
    expect(pod?.pid).toBe(mc.victim.pid);
    expect(pod?.ports[6060]).toEqual(mc.victim.pprof);
  });

  it('the victim burns CPU serving requests; the culprit making them', async () => {
    const [victim, culprit] = await Promise.all([cpuProfile(mc.victim), cpuProfile(mc.culprit)]);
    const v = { server: shareUnder(victim, SERVER), client: shareUnder(victim, CLIENT) };
    const c = { server: shareUnder(culprit, SERVER), client: shareUnder(culprit, CLIENT) };
    const json = shareUnder(culprit, /^encoding\/json\.\(\*Decoder\)\.Decode$/);
    console.log(
      `victim: ${v.server.samples} samples, ${(v.server.share * 100).toFixed(0)}% under (*conn).serve; ` +
        `culprit: ${c.client.samples} samples, ${(c.client.share * 100).toFixed(0)}% under Transport/persistConn/Client, ` +
        `${(json.share * 100).toFixed(0)}% decoding JSON`,
    );
    expect(v.server.samples).toBeGreaterThan(20);
    expect(c.client.samples).toBeGreaterThan(5);
    expect(v.server.share).toBeGreaterThan(0.6);
    expect(v.client.share).toBeLessThan(0.05);
    expect(c.client.share).toBeGreaterThan(0.35);
    expect(c.server.share).toBeLessThan(0.2);
  });

  it('metrics.k8s.io on local reports the victim busier than the idle agent', async () => {
    const { code, body } = await apiGet(
      'local',
      '/apis/metrics.k8s.io/v1beta1/namespaces/cattle-fleet-system/pods',
    );
    expect(code).toBe(200);
    const list = body as {
      kind: string;
      items: {
        metadata: { name: string };
        window: string;
        containers: { name: string; usage: { cpu: string; memory: string } }[];
      }[];
    };
    expect(list.kind).toBe('PodMetricsList');
    const victim = list.items.find((i) => i.metadata.name === mc.victim.pod);
    expect(victim?.containers[0].name).toBe('fleet-controller');
    const usage = victim?.containers[0].usage ?? { cpu: '', memory: '' };
    expect(usage.cpu).toMatch(/^\d+n$/);
    expect(usage.memory).toMatch(/^\d+Ki$/);
    const victimCores = parseInt(usage.cpu, 10) / 1e9;
    expect(victimCores).toBeGreaterThan(0.02);
    expect(parseInt(usage.memory, 10)).toBeGreaterThan(1024);
    expect(victim?.window).toMatch(/^\d+(\.\d+)?s$/);

    const agent = mc.pods.find((p) => p.context === 'local' && p.role === 'idle');
    const one = await apiGet(
      'local',
      `/apis/metrics.k8s.io/v1beta1/namespaces/cattle-fleet-local-system/pods/${agent?.pod}`,
    );
    expect(one.code).toBe(200);
    const agentCpu = (one.body as { containers: { usage: { cpu: string } }[] }).containers[0].usage
      .cpu;
    expect(parseInt(agentCpu, 10) / 1e9).toBeLessThan(victimCores);
  });

  it('downstream clusters have no metrics.k8s.io: discovery lists no group, paths are 404', async () => {
    const groups = await apiGet('downstream-1', '/apis');
    expect(groups.body).toMatchObject({ kind: 'APIGroupList', groups: [] });
    const m = await apiGet(
      'downstream-1',
      '/apis/metrics.k8s.io/v1beta1/namespaces/cattle-fleet-system/pods',
    );
    expect(m.code).toBe(404);
    const local = await apiGet('local', '/apis');
    expect(JSON.stringify(local.body)).toContain('"metrics.k8s.io/v1beta1"');
  });
});

describe('RBAC as the API server answers it', () => {
  const user = 'system:serviceaccount:cattle-fleet-system:dev';

  it('pods at the cluster scope: 403 with the real Status', async () => {
    const r = await apiGet('local', '/api/v1/pods?limit=500');
    expect(r.code).toBe(403);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `pods is forbidden: User "${user}" cannot list resource "pods" in API group "" at the cluster scope`,
      reason: 'Forbidden',
      details: { kind: 'pods' },
      code: 403,
    });
  });

  it('namespaces, other namespaces, single pods and pod metrics: the real wording', async () => {
    const msg = async (context: string, path: string) => {
      const r = await apiGet(context, path);
      expect(r.code).toBe(403);
      return (r.body as { message: string; details: object }).message;
    };
    expect(await msg('local', '/api/v1/namespaces')).toBe(
      `namespaces is forbidden: User "${user}" cannot list resource "namespaces" in API group "" at the cluster scope`,
    );
    expect(await msg('downstream-1', '/api/v1/namespaces/kube-system/pods')).toBe(
      `pods is forbidden: User "${user}" cannot list resource "pods" in API group "" in the namespace "kube-system"`,
    );
    expect(await msg('local', '/api/v1/namespaces/default/pods/web')).toBe(
      `pods "web" is forbidden: User "${user}" cannot get resource "pods" in API group "" in the namespace "default"`,
    );
    const metrics = await apiGet('local', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods');
    expect(metrics.body).toMatchObject({
      message: `pods.metrics.k8s.io is forbidden: User "${user}" cannot list resource "pods" in API group "metrics.k8s.io" in the namespace "default"`,
      reason: 'Forbidden',
      details: { group: 'metrics.k8s.io', kind: 'pods' },
      code: 403,
    });
  });

  it('allowed in Fleet namespaces; pods carry owners, nodes and restart counts', async () => {
    const r = await apiGet('downstream-1', '/api/v1/namespaces/cattle-fleet-system/pods');
    expect(r.code).toBe(200);
    const items = (
      r.body as {
        items: {
          metadata: {
            name: string;
            labels: Record<string, string>;
            ownerReferences: { kind: string; name: string; controller: boolean }[];
          };
          spec: { nodeName: string };
          status: { containerStatuses: { restartCount: number }[] };
        }[];
      }
    ).items;
    expect(items.map((i) => i.metadata.name).sort()).toEqual(
      mc.pods
        .filter((p) => p.context === 'downstream-1')
        .map((p) => p.pod)
        .sort(),
    );
    for (const i of items) {
      const hash = i.metadata.labels['pod-template-hash'];
      expect(i.metadata.ownerReferences).toEqual([
        expect.objectContaining({
          kind: 'ReplicaSet',
          name: `fleet-agent-${hash}`,
          controller: true,
        }),
      ]);
      expect(i.metadata.name.startsWith(`fleet-agent-${hash}-`)).toBe(true);
      expect(typeof i.status.containerStatuses[0].restartCount).toBe('number');
    }
    expect(new Set(items.map((i) => i.spec.nodeName)).size).toBe(2);
  });
});

describe('label selectors', () => {
  const labels = { app: 'fleet-agent', tier: 'agent', replicas: '3' };
  const cases: [string, boolean][] = [
    ['app=fleet-agent', true],
    ['app==fleet-agent', true],
    ['app!=fleet-agent', false],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['app in (fleet-agent, fleet-controller)', true],
    ['app notin (fleet-agent)', false],
    ['missing notin (x)', true],
    ['app=fleet-agent,tier=agent', true],
    ['app=fleet-agent,tier=web', false],
    ['replicas>2', true],
    ['replicas<2', false],
    ['', true],
  ];
  it.each(cases)('%s matches: %s', (selector, want) => {
    expect(matches(parseSelector(selector), labels)).toBe(want);
  });

  it.each([
    ['app in fleet-agent', "unable to parse requirement: found 'fleet-agent' expected: '('"],
    ['app=a=b', "found '=', expected: ',' or 'end of string'"],
    ['app=,', "found '', expected: identifier after ','"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['app in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['=x', "found '=', expected: !, identifier, or 'end of string'"],
    ['app in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ['a/b/c', 'unable to parse requirement: key: Invalid value: "a/b/c"'],
  ])('%s is refused: %s', (selector, message) => {
    expect(() => parseSelector(selector)).toThrow(message);
  });

  it('the server filters lists by labelSelector and answers 400 to a malformed one', async () => {
    const path = (sel: string) =>
      `/api/v1/namespaces/cattle-fleet-system/pods?labelSelector=${encodeURIComponent(sel)}`;
    const names = async (sel: string) =>
      (
        (await apiGet('local', path(sel))).body as { items: { metadata: { name: string } }[] }
      ).items.map((i) => i.metadata.name);
    expect(await names('app=fleet-controller')).toEqual([mc.victim.pod]);
    expect(await names('app in (fleet-agent)')).toEqual([]);
    expect(await names('app notin (fleet-agent),pod-template-hash')).toEqual([mc.victim.pod]);
    const bad = await apiGet('local', path('app in fleet-controller'));
    expect(bad.code).toBe(400);
    expect(bad.body).toMatchObject({
      reason: 'BadRequest',
      message: "unable to parse requirement: found 'fleet-controller' expected: '('",
    });
  });
});

describe('faults', () => {
  it('a deleted pod is 404 to gets and port-forwards', async () => {
    const cluster = mc.clusters.find((c) => c.context === 'downstream-1');
    const pod = mc.pods.find((p) => p.context === 'downstream-1' && p.role === 'idle');
    if (!cluster || !pod) throw new Error('no idle downstream pod');
    expect(cluster.api.deletePod(pod.namespace, pod.pod)).toBe(true);
    const r = await apiGet('downstream-1', `/api/v1/namespaces/${pod.namespace}/pods/${pod.pod}`);
    expect(r.code).toBe(404);
    expect(r.body).toMatchObject({ message: `pods "${pod.pod}" not found`, reason: 'NotFound' });
    const token = cluster.api.users.find((u) => u.name === mc.userName)?.token ?? '';
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(
        `${cluster.api.url.replace('https', 'wss')}/api/v1/namespaces/${pod.namespace}/pods/${pod.pod}/portforward?ports=6060`,
        ['v4.channel.k8s.io'],
        { ca: cluster.certs.caPem, headers: { authorization: `Bearer ${token}` } },
      );
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => reject(new Error('port-forward to a deleted pod opened')));
      ws.on('error', reject);
    });
    expect(status).toBe(404);
  });

  it('a stopped cluster refuses connections', async () => {
    const cluster = mc.clusters.find((c) => c.context === 'downstream-1');
    await cluster?.api.stop();
    await expect(apiGet('downstream-1', '/api')).rejects.toThrow(/ECONNREFUSED/);
  });
});
