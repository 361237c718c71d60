// Namespaces and pods as kubectl picks them, on a cluster with namespace-scoped RBAC (the
// fake API server's real 403 texts), and on one that does not serve the cluster-wide pod list.
import type { V1Pod } from '@kubernetes/client-node';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contextNamespace,
  listNamespaces,
  listPods,
  readPod,
  workloadOf,
} from '../../../electron/kube/discovery';
import { describeOp, rbacRule, redactUrls, stripUserinfo } from '../../../electron/kube/errors';
import { loadKubeconfigs } from '../../../electron/kube/kubeconfig';
import { makeCerts, type TestCerts } from '../../k8s/certs';
import { fleetPods, startFakeApiServer, type FakeApiServer } from '../../k8s/fakeApiServer';

let dir: string;
let certs: TestCerts;
let api: FakeApiServer;
const DEV = 'system:serviceaccount:cattle-fleet-system:dev';

function kubeconfig(
  name: string,
  token: string,
  namespace: string | undefined,
  server = api.url,
): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'x',
      clusters: [{ name: 'c', cluster: { server, 'certificate-authority': certs.caFile } }],
      users: [{ name: 'u', user: { token } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace } }],
    }),
  );
  return file;
}

const kcFor = (file: string) => loadKubeconfigs({ env: { KUBECONFIG: file } }).forContext('x');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'profscope-discovery-'));
  certs = makeCerts(dir);
  api = await startFakeApiServer({
    certs,
    pods: fleetPods({ host: '127.0.0.1', port: 1 }),
    users: [
      {
        token: 'dev-token',
        name: DEV,
        rules: [
          { namespaces: ['cattle-fleet-system'], resources: ['pods'], verbs: ['get', 'list'] },
        ],
      },
    ],
  });
});

afterAll(async () => {
  await api?.close();
});

describe('namespace and pods as kubectl picks them', () => {
  it('takes the context’s namespace, else default', () => {
    expect(contextNamespace(kcFor(kubeconfig('a.yaml', api.token, 'cattle-fleet-system')))).toBe(
      'cattle-fleet-system',
    );
    expect(contextNamespace(kcFor(kubeconfig('b.yaml', api.token, undefined)))).toBe('default');
  });

  it('lists everything for a user allowed to, with a label selector and workloads', async () => {
    const kc = kcFor(kubeconfig('admin.yaml', api.token, 'cattle-fleet-system'));
    expect(await listNamespaces(kc)).toMatchObject({
      listable: true,
      contextNamespace: 'cattle-fleet-system',
      notice: null,
    });
    const all = await listPods(kc, '', '');
    expect(all.namespace).toBe('');
    expect(all.pods.length).toBe(5);
    const agents = await listPods(kc, '', 'app=fleet-agent');
    expect(agents.pods.map((p) => p.name)).toEqual(['fleet-agent-0']);
    expect(api.requests.at(-1)).toContain('labelSelector=app%3Dfleet-agent');
    const ctl = all.pods.find((p) => p.name.startsWith('fleet-controller-'));
    expect(ctl?.workload).toBe('fleet-controller');
    // Bad selector: the API server's 400, said as such.
    await expect(listPods(kc, 'default', 'app in (x')).rejects.toThrow(
      /the API server refused to list pods in namespace "default" \(400 Bad Request\)/,
    );
  });

  it('namespace-scoped RBAC: namespaces not listable, all-namespaces falls back to the context’s, said plainly', async () => {
    const kc = kcFor(kubeconfig('dev.yaml', 'dev-token', 'cattle-fleet-system'));
    const ns = await listNamespaces(kc);
    expect(ns).toMatchObject({
      namespaces: ['cattle-fleet-system'],
      listable: false,
      contextNamespace: 'cattle-fleet-system',
    });
    expect(ns.notice).toBe(
      `not allowed to list namespaces at the cluster scope (403 Forbidden): namespaces is forbidden: User "${DEV}" cannot list resource "namespaces" in API group "" at the cluster scope. ` +
        'A ClusterRole rule {apiGroups: [""], resources: ["namespaces"], verbs: ["list"]} bound cluster-wide (ClusterRoleBinding) would allow it; ' +
        'type a namespace, or use the context\'s namespace "cattle-fleet-system".',
    );
    const pods = await listPods(kc, '', '');
    expect(pods.namespace).toBe('cattle-fleet-system');
    expect(pods.pods.map((p) => p.name)).toEqual(['fleet-controller-7d9f8b6c5d-x2x9q']);
    expect(pods.notice).toBe(
      `not allowed to list pods at the cluster scope (403 Forbidden): pods is forbidden: User "${DEV}" cannot list resource "pods" in API group "" at the cluster scope. ` +
        'A ClusterRole rule {apiGroups: [""], resources: ["pods"], verbs: ["list"]} bound cluster-wide (ClusterRoleBinding) would allow it; showing namespace "cattle-fleet-system" instead.',
    );
    // Another namespace: refused, with the RoleBinding that would allow it.
    const err = await listPods(kc, 'default', '').then(
      () => null,
      (e: Error & { code?: string }) => e,
    );
    expect(err?.code).toBe('forbidden');
    expect(err?.message).toBe(
      `not allowed to list pods in namespace "default" (403 Forbidden): pods is forbidden: User "${DEV}" cannot list resource "pods" in API group "" in the namespace "default". ` +
        'A Role or ClusterRole rule {apiGroups: [""], resources: ["pods"], verbs: ["list"]} bound in namespace "default" (RoleBinding) would allow it',
    );
    await expect(readPod(kc, 'cattle-fleet-system', 'gone-pod')).rejects.toThrow(
      /^pods "gone-pod" in namespace "cattle-fleet-system" not found \(404\)/,
    );
  });

  it('a 404 on the cluster-wide list means it is not served: falls back, no "namespace  not found"', async () => {
    const pod = {
      metadata: { name: 'solo', namespace: 'team-a', labels: { app: 'solo' } },
      spec: { containers: [{ name: 'solo' }] },
      status: { phase: 'Running' },
    };
    const server: Server = createServer({ cert: certs.certPem, key: certs.keyPem }, (req, res) => {
      const path = new URL(req.url ?? '/', 'https://x').pathname;
      res.setHeader('content-type', 'application/json');
      if (path === '/api/v1/namespaces/team-a/pods') {
        res.end(JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [pod] }));
        return;
      }
      res.statusCode = 404;
      res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          message: 'the server could not find the requested resource',
          reason: 'NotFound',
          code: 404,
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as AddressInfo).port;
      const file = kubeconfig('notserved.yaml', 't', 'team-a', `https://127.0.0.1:${port}`);
      const list = await listPods(kcFor(file), '', '');
      expect(list.pods.map((p) => p.name)).toEqual(['solo']);
      expect(list.namespace).toBe('team-a');
      expect(list.notice).toBe(
        'cannot list pods at the cluster scope: the API server does not serve that list (404 Not Found): the server could not find the requested resource; showing namespace "team-a" instead.',
      );
      expect(list.notice).not.toMatch(/namespace {2}not found/);
      expect(await listNamespaces(kcFor(file))).toMatchObject({
        namespaces: ['team-a'],
        listable: false,
      });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('never shows a server URL’s user:password@', async () => {
    const file = kubeconfig('userinfo.yaml', 't', 'default', 'https://alice:hunter2@127.0.0.1:1');
    const info = loadKubeconfigs({ env: { KUBECONFIG: file } }).info;
    expect(info.contexts[0].server).toBe('https://127.0.0.1:1');
    const err = await listPods(kcFor(file), 'default', '').then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(
      /cannot reach the API server https:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/,
    );
    expect(err?.message).not.toContain('hunter2');
    expect(stripUserinfo('http://u:p@h:1/x?y=z@')).toBe('http://h:1/x?y=z@');
    expect(redactUrls('GET https://u:p@h/a failed; see http://v@w/b')).toBe(
      'GET https://h/a failed; see http://w/b',
    );
  });
});

describe('workloads and RBAC wording', () => {
  const pod = (owner: { kind: string; name: string } | null, labels: Record<string, string> = {}) =>
    ({
      metadata: {
        name: 'p',
        labels,
        ownerReferences: owner
          ? [{ ...owner, apiVersion: 'apps/v1', uid: 'u', controller: true }]
          : undefined,
      },
      spec: { containers: [{ name: 'first' }, { name: 'second' }] },
    }) as V1Pod;

  it('names the owner workload', () => {
    expect(
      workloadOf(
        pod({ kind: 'ReplicaSet', name: 'fleet-agent-5d8f9' }, { 'pod-template-hash': '5d8f9' }),
      ),
    ).toBe('fleet-agent');
    expect(workloadOf(pod({ kind: 'ReplicaSet', name: 'web-7c6d8b9f4' }))).toBe('web');
    expect(workloadOf(pod({ kind: 'DaemonSet', name: 'node-exporter' }))).toBe('node-exporter');
    expect(workloadOf(pod({ kind: 'StatefulSet', name: 'db' }))).toBe('db');
    expect(workloadOf(pod({ kind: 'Job', name: 'backup-28990' }))).toBe('backup-28990');
    // A static pod's owner is its Node: that is no workload.
    expect(workloadOf(pod({ kind: 'Node', name: 'node-1' }))).toBe('first');
    expect(workloadOf(pod(null))).toBe('first');
  });

  it('says the rule and binding that would allow a request', () => {
    expect(
      describeOp({
        verb: 'create',
        resource: 'pods',
        subresource: 'portforward',
        namespace: 'ns',
        name: 'p',
      }),
    ).toBe('create pods/portforward "p" in namespace "ns"');
    expect(
      rbacRule({ verb: 'list', resource: 'podmetrics', group: 'metrics.k8s.io', namespace: null }),
    ).toBe(
      'A ClusterRole rule {apiGroups: ["metrics.k8s.io"], resources: ["podmetrics"], verbs: ["list"]} bound cluster-wide (ClusterRoleBinding) would allow it',
    );
  });
});
