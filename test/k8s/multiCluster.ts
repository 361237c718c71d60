// Fleet's layout over several fake clusters, one kubeconfig for all of them, and a real culprit:
//   - context `local`: the Rancher cluster, with metrics.k8s.io; fleet-controller (the VICTIM:
//     a process serving an API that an agent floods) in cattle-fleet-system and a fleet-agent
//     in cattle-fleet-local-system;
//   - contexts `downstream-N`: separate API servers without metrics.k8s.io, their user
//     authenticated by an exec plugin given by a relative path, each with fleet-agent pods in
//     cattle-fleet-system; one agent of downstream-1 is the CULPRIT process flooding the victim;
//   - optionally `gone`: a server nobody answers on.
// Every user may only work in cattle-fleet-system and cattle-fleet-local-system (Role-like
// rules): no listing namespaces or pods at the cluster scope. Pods' port 6060 is their
// process's pprof port; quiet agents share a few idle processes.
import { chmodSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCerts, type TestCerts } from './certs';
import {
  closedPort,
  startFakeApiServer,
  type FakeApiServer,
  type FakePod,
  type FakeUser,
} from './fakeApiServer';
import { buildWorkload, startWorkload, type RunningWorkload } from './workload';

export type PodRole = 'victim' | 'culprit' | 'idle';

export interface ClusterPod {
  context: string;
  namespace: string;
  pod: string;
  role: PodRole;
  /** The process behind the pod. */
  pid: number;
  /** Where the pod's port 6060 really goes: plain HTTP pprof for tests that skip the cluster. */
  pprof: { host: string; port: number };
}

export interface MultiCluster {
  dir: string;
  /** One kubeconfig file with every context; current context `local`. */
  kubeconfig: string;
  /** `local`, `downstream-1`…, then `gone` when asked for. */
  contexts: string[];
  /** The reachable clusters. */
  clusters: { context: string; api: FakeApiServer; metrics: boolean; certs: TestCerts }[];
  victim: ClusterPod;
  culprit: ClusterPod;
  /** Every pod of every cluster. */
  pods: ClusterPod[];
  /** The user name every context authenticates as (in 403 messages). */
  userName: string;
  /** Where the exec plugin wrote the KUBERNETES_EXEC_INFO it was last run with for `context`. */
  execInfoFile(context: string): string;
  close(): Promise<void>;
}

export const FLEET_NAMESPACES = ['cattle-fleet-system', 'cattle-fleet-local-system'];
const USER_NAME = 'system:serviceaccount:cattle-fleet-system:dev';
const PLUGIN = 'fake-credential.sh';
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** Stable Kubernetes-looking random names (the hash and suffix alphabet of ReplicaSets). */
function safeString(seed: string, n: number): string {
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  let out = '';
  for (let i = 0; i < n; i++) {
    h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0;
    h = (h + 0x9e3779b9) >>> 0;
    out += SAFE[h % SAFE.length];
  }
  return out;
}

/** A Role granting pods, pods/portforward and pod metrics in Fleet's namespaces only. */
function fleetUser(token: string): FakeUser {
  return {
    token,
    name: USER_NAME,
    rules: [
      { namespaces: FLEET_NAMESPACES, resources: ['pods'], verbs: ['get', 'list'] },
      { namespaces: FLEET_NAMESPACES, resources: ['pods/portforward'], verbs: ['create'] },
      {
        namespaces: FLEET_NAMESPACES,
        apiGroups: ['metrics.k8s.io'],
        resources: ['pods'],
        verbs: ['get', 'list'],
      },
    ],
  };
}

interface PodPlan {
  namespace: string;
  deployment: string;
  role: PodRole;
  process: RunningWorkload;
}

function fleetPod(
  context: string,
  index: number,
  clusterIndex: number,
  plan: PodPlan,
  hash: string,
): FakePod {
  const name = `${plan.deployment}-${hash}-${safeString(`${context}/${plan.namespace}/${index}`, 5)}`;
  const container = plan.deployment;
  return {
    namespace: plan.namespace,
    name,
    labels: { app: plan.deployment, 'pod-template-hash': hash },
    node: `${context}-worker-${(index % 3) + 1}`,
    podIP: `10.42.${clusterIndex}.${10 + index}`,
    containers: [
      {
        name: container,
        image: `rancher/${container === 'fleet-controller' ? 'fleet' : 'fleet-agent'}:v0.10.4`,
        restarts: index % 4 === 3 ? 1 : 0,
      },
    ],
    ports: { 6060: { host: plan.process.host, port: plan.process.port } },
    pid: plan.process.pid,
    owner: { kind: 'ReplicaSet', name: `${plan.deployment}-${hash}` },
  };
}

function credentialPlugin(tokens: Record<string, string>): string {
  const cases = Object.entries(tokens)
    .map(([cluster, token]) => `  ${cluster}) token='${token}' ;;`)
    .join('\n');
  return `#!/bin/sh
# A kubectl exec credential plugin: prints an ExecCredential with the token of the cluster
# named by $1, and keeps the KUBERNETES_EXEC_INFO it was given next to itself for tests.
dir=$(dirname "$0")
printf '%s' "$KUBERNETES_EXEC_INFO" > "$dir/exec-info-$1.json"
case "$1" in
${cases}
  *) echo "fake-credential: no token for cluster '$1'" >&2; exit 1 ;;
esac
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}\\n' "$token"
`;
}

export async function startMultiCluster(
  tmpPrefix: string,
  opts: {
    /** Downstream clusters (default 1). */
    downstreams?: number;
    /** fleet-agent pods in each downstream cluster (default 2). */
    agentsPerCluster?: number;
    /** fleet-agent pods in local's cattle-fleet-local-system (default 1, as Fleet has). */
    localAgents?: number;
    /** Add a context `gone` whose server is a closed port. */
    unreachableContext?: boolean;
  } = {},
): Promise<MultiCluster> {
  const downstreams = opts.downstreams ?? 1;
  const agentsPerCluster = opts.agentsPerCluster ?? 2;
  const localAgents = opts.localAgents ?? 1;
  if (downstreams < 1 || agentsPerCluster < 1)
    throw new Error('startMultiCluster: the culprit needs downstream-1 with an agent');
  const dir = mkdtempSync(join(tmpdir(), tmpPrefix));
  const processes: RunningWorkload[] = [];
  const apis: FakeApiServer[] = [];
  const close = async () => {
    await Promise.all(apis.map((a) => a.close()));
    await Promise.all(processes.map((p) => p.close()));
  };
  try {
    const bin = await buildWorkload();
    const start = async (args: string[]) => {
      const p = await startWorkload(bin, ['-serve', '127.0.0.1:0', ...args]);
      processes.push(p);
      return p;
    };
    const victim = await start(['-role', 'victim']);
    const floodUrl = `http://127.0.0.1:${victim.port}/apis/fleet/bundles?labelSelector=env%3Dfleet&limit=5`;
    // Quiet agents share processes: a handful is enough however many pods there are.
    const idleCount = localAgents + downstreams * agentsPerCluster - 1;
    const [culprit, ...idle] = await Promise.all([
      start(['-role', 'culprit', '-flood', floodUrl, '-flood-workers', '3']),
      ...Array.from({ length: Math.min(3, Math.ceil(idleCount / 8)) }, () =>
        start(['-role', 'idle']),
      ),
    ]);
    let nextIdle = 0;
    const idleProcess = () => idle[nextIdle++ % idle.length];

    type Plan = { context: string; metrics: boolean; plans: PodPlan[] };
    const layout: Plan[] = [
      {
        context: 'local',
        metrics: true,
        plans: [
          {
            namespace: 'cattle-fleet-system',
            deployment: 'fleet-controller',
            role: 'victim',
            process: victim,
          },
          ...Array.from({ length: localAgents }, () => ({
            namespace: 'cattle-fleet-local-system',
            deployment: 'fleet-agent',
            role: 'idle' as const,
            process: idleProcess(),
          })),
        ],
      },
    ];
    // Not the first agent listed: finding it must not be a matter of order.
    const culpritIndex = Math.floor(agentsPerCluster / 2);
    for (let d = 1; d <= downstreams; d++) {
      layout.push({
        context: `downstream-${d}`,
        metrics: false,
        plans: Array.from({ length: agentsPerCluster }, (_, i) => {
          const isCulprit = d === 1 && i === culpritIndex;
          return {
            namespace: 'cattle-fleet-system',
            deployment: 'fleet-agent',
            role: isCulprit ? 'culprit' : 'idle',
            process: isCulprit ? culprit : idleProcess(),
          };
        }),
      });
    }

    const podsOf: ClusterPod[][] = [];
    const clusters: MultiCluster['clusters'] = [];
    const tokens: Record<string, string> = {};
    const kubeClusters: object[] = [];
    const kubeUsers: object[] = [];
    const kubeContexts: object[] = [];
    await Promise.all(
      layout.map(async ({ context, metrics, plans }, clusterIndex) => {
        const certsDir = join(dir, context);
        mkdirSync(certsDir);
        const certs = makeCerts(certsDir);
        const token = `${context}-${safeString(`${dir}/${context}`, 24)}`;
        const fakePods = plans.map((plan, i) => {
          const hash = safeString(`${context}/${plan.namespace}/${plan.deployment}`, 10);
          return fleetPod(context, i, clusterIndex, plan, hash);
        });
        const api = await startFakeApiServer({
          certs,
          pods: fakePods,
          users: [fleetUser(token)],
          metrics,
          namespaces: [...FLEET_NAMESPACES, 'default', 'kube-system'],
        });
        apis.push(api);
        clusters[clusterIndex] = { context, api, metrics, certs };
        podsOf[clusterIndex] = fakePods.map((p, i) => {
          const { process, role } = plans[i];
          return {
            context,
            namespace: p.namespace,
            pod: p.name,
            role,
            pid: process.pid,
            pprof: { host: process.host, port: process.port },
          };
        });
        tokens[context] = token;
        kubeClusters[clusterIndex] = {
          name: context,
          cluster: { server: api.url, 'certificate-authority': certs.caFile },
        };
        kubeUsers[clusterIndex] = {
          name: `${context}-user`,
          user:
            context === 'local'
              ? { token }
              : {
                  exec: {
                    apiVersion: 'client.authentication.k8s.io/v1',
                    command: `./${PLUGIN}`,
                    args: [context],
                    interactiveMode: 'Never',
                    provideClusterInfo: false,
                  },
                },
        };
        kubeContexts[clusterIndex] = {
          name: context,
          context: { cluster: context, user: `${context}-user`, namespace: 'cattle-fleet-system' },
        };
      }),
    );
    const pods = podsOf.flat();
    const contexts = layout.map((l) => l.context);
    if (opts.unreachableContext) {
      contexts.push('gone');
      kubeClusters.push({
        name: 'gone',
        cluster: {
          server: `https://127.0.0.1:${await closedPort()}`,
          'certificate-authority': clusters[0].certs.caFile,
        },
      });
      kubeUsers.push({ name: 'gone-user', user: { token: 'gone-token' } });
      kubeContexts.push({
        name: 'gone',
        context: { cluster: 'gone', user: 'gone-user', namespace: 'cattle-fleet-system' },
      });
    }
    const plugin = join(dir, PLUGIN);
    writeFileSync(plugin, credentialPlugin(tokens));
    chmodSync(plugin, 0o755);
    const kubeconfig = join(dir, 'config');
    writeFileSync(
      kubeconfig,
      JSON.stringify(
        {
          apiVersion: 'v1',
          kind: 'Config',
          'current-context': 'local',
          clusters: kubeClusters,
          users: kubeUsers,
          contexts: kubeContexts,
        },
        null,
        2,
      ),
    );
    const byRole = (role: PodRole) => {
      const p = pods.find((x) => x.role === role);
      if (!p) throw new Error(`no ${role} pod`);
      return p;
    };
    return {
      dir,
      kubeconfig,
      contexts,
      clusters,
      victim: byRole('victim'),
      culprit: byRole('culprit'),
      pods,
      userName: USER_NAME,
      execInfoFile: (context) => join(dir, `exec-info-${context}.json`),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
