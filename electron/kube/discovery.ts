// Namespaces, pods and the pprof endpoints each container probably serves. The namespace is
// picked as kubectl picks it, and a refused cluster-wide list falls back to it, saying so.
import {
  ApiException,
  CoreV1Api,
  type KubeConfig,
  type V1Container,
  type V1Pod,
} from '@kubernetes/client-node';
import type { ContainerInfo, NamespaceList, PodInfo, PodList, PprofCandidate } from '../contract';
import { kubeError, type KubeOp } from './errors';
import { credentialsRejected } from './execCredential';
import { ensureCredentials } from './kubeconfig';

/** Container port names that mean "debug endpoints here". */
const DEBUG_PORT_NAMES = /^(pprof|debug|http-debug|debug-http|pprof-http|profiling)$/i;
/** Go's convention for net/http/pprof (Fleet's controller and agents listen there without declaring it). */
export const GO_PPROF_PORT = 6060;
export const DEFAULT_PPROF_PATH = '/debug/pprof';
/** Annotations a pod can carry to say where pprof is. */
export const ANNOTATION_PORT = 'profscope.io/port';
export const ANNOTATION_PATH = 'profscope.io/path';
export const ANNOTATION_CONTAINER = 'profscope.io/container';

function serverOf(kc: KubeConfig): string | undefined {
  return kc.getCurrentCluster()?.server;
}

/** The context's namespace, else "default": kubectl's choice when no -n is given. */
export function contextNamespace(kc: KubeConfig): string {
  return kc.getContextObject(kc.getCurrentContext())?.namespace || 'default';
}

/**
 * One API call with the context's credentials. A 401 drops an exec plugin's cached
 * credentials (client-go's refresh on 401); the call is tried once more with fresh ones.
 */
export async function kubeCall<T>(kc: KubeConfig, op: KubeOp, call: () => Promise<T>): Promise<T> {
  await ensureCredentials(kc);
  try {
    return await call();
  } catch (err) {
    if (err instanceof ApiException && err.code === 401 && credentialsRejected(kc)) {
      try {
        await ensureCredentials(kc);
        return await call();
      } catch (again) {
        throw kubeError(again, op, serverOf(kc));
      }
    }
    throw kubeError(err, op, serverOf(kc));
  }
}

/** A refusal that a narrower request may get round: 403 (RBAC) or 404 (not served). */
function refused(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'forbidden' || code === 'not-found';
}

export async function listNamespaces(kc: KubeConfig): Promise<NamespaceList> {
  const own = contextNamespace(kc);
  const op: KubeOp = { verb: 'list', resource: 'namespaces', namespace: null };
  try {
    const list = await kubeCall(kc, op, () => kc.makeApiClient(CoreV1Api).listNamespace());
    const namespaces = list.items
      .map((n) => n.metadata?.name ?? '')
      .filter(Boolean)
      .sort();
    return { namespaces, listable: true, contextNamespace: own, notice: null };
  } catch (err) {
    // Many users may list pods in their namespace but not namespaces: offer the context's
    // one, and say why the list is not there.
    if (!refused(err)) throw err;
    return {
      namespaces: [own],
      listable: false,
      contextNamespace: own,
      notice: `${(err as Error).message}; type a namespace, or use the context's namespace "${own}".`,
    };
  }
}

function sortPods(pods: PodInfo[]): PodInfo[] {
  return pods.sort(
    (a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
  );
}

/**
 * Pods of `namespace` ('' for all namespaces) matching `selector` (kubectl's label selector
 * syntax, '' for all). A refused (403) or unserved (404) all-namespaces list falls back to
 * the context's namespace, as a restricted user's kubectl would be told to use `-n`.
 */
export async function listPods(
  kc: KubeConfig,
  namespace: string,
  selector: string,
): Promise<PodList> {
  const labelSelector = selector.trim() || undefined;
  const inNamespace = async (ns: string) => {
    const op: KubeOp = { verb: 'list', resource: 'pods', namespace: ns };
    const list = await kubeCall(kc, op, () =>
      kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: ns, labelSelector }),
    );
    return sortPods(list.items.map(podInfo));
  };
  if (namespace) return { pods: await inNamespace(namespace), namespace, notice: null };
  const op: KubeOp = { verb: 'list', resource: 'pods', namespace: null };
  try {
    const list = await kubeCall(kc, op, () =>
      kc.makeApiClient(CoreV1Api).listPodForAllNamespaces({ labelSelector }),
    );
    return { pods: sortPods(list.items.map(podInfo)), namespace: '', notice: null };
  } catch (err) {
    if (!refused(err)) throw err;
    const own = contextNamespace(kc);
    return {
      pods: await inNamespace(own),
      namespace: own,
      notice: `${(err as Error).message}; showing namespace "${own}" instead.`,
    };
  }
}

export async function readPod(kc: KubeConfig, namespace: string, name: string): Promise<V1Pod> {
  return kubeCall(kc, { verb: 'get', resource: 'pods', namespace, name }, () =>
    kc.makeApiClient(CoreV1Api).readNamespacedPod({ namespace, name }),
  );
}

/**
 * The workload a pod belongs to: its controller's name, with a ReplicaSet taken back to its
 * Deployment (the ReplicaSet is named <deployment>-<pod-template-hash>); else, for bare and
 * static pods, its first container's name.
 */
export function workloadOf(pod: V1Pod): string {
  const owners = pod.metadata?.ownerReferences ?? [];
  const owner = owners.find((o) => o.controller) ?? owners[0];
  if (owner) {
    if (owner.kind === 'ReplicaSet') {
      const hash = pod.metadata?.labels?.['pod-template-hash'];
      if (hash && owner.name.endsWith(`-${hash}`)) return owner.name.slice(0, -(hash.length + 1));
      // No label to go by: the hash is the last dash-separated part, from
      // rand.SafeEncodeString's alphabet (no vowels, no 0, 1 or 3).
      const m = /^(.+)-[bcdfghjklmnpqrstvwxz2456789]{1,10}$/.exec(owner.name);
      return m ? m[1] : owner.name;
    }
    if (['DaemonSet', 'StatefulSet', 'Job', 'ReplicationController'].includes(owner.kind))
      return owner.name;
  }
  return pod.spec?.containers?.[0]?.name ?? pod.metadata?.name ?? '';
}

function podStatus(pod: V1Pod): string {
  if (pod.metadata?.deletionTimestamp) return 'Terminating';
  for (const cs of pod.status?.containerStatuses ?? []) {
    const reason = cs.state?.waiting?.reason ?? cs.state?.terminated?.reason;
    if (reason) return reason;
  }
  return pod.status?.reason ?? pod.status?.phase ?? 'Unknown';
}

export function candidatesFor(
  pod: V1Pod,
  container: V1Container,
  first: boolean,
): PprofCandidate[] {
  const out: PprofCandidate[] = [];
  const add = (c: PprofCandidate) => {
    if (!out.some((o) => o.port === c.port && o.pathPrefix === c.pathPrefix)) out.push(c);
  };
  const ann = pod.metadata?.annotations ?? {};
  const annPort = Number(ann[ANNOTATION_PORT]);
  const annContainer = ann[ANNOTATION_CONTAINER];
  if (
    Number.isInteger(annPort) &&
    annPort > 0 &&
    annPort < 65536 &&
    (annContainer ? annContainer === container.name : first)
  ) {
    const path =
      ann[ANNOTATION_PATH] && ann[ANNOTATION_PATH].startsWith('/')
        ? ann[ANNOTATION_PATH].replace(/\/+$/, '')
        : DEFAULT_PPROF_PATH;
    add({
      port: annPort,
      pathPrefix: path,
      source: 'annotation',
      label: `${ANNOTATION_PORT}=${annPort}`,
    });
  }
  for (const p of container.ports ?? []) {
    if (p.name && DEBUG_PORT_NAMES.test(p.name) && (p.protocol ?? 'TCP') === 'TCP') {
      add({
        port: p.containerPort,
        pathPrefix: DEFAULT_PPROF_PATH,
        source: 'port-name',
        label: `port "${p.name}" (${p.containerPort})`,
      });
    }
  }
  add({
    port: GO_PPROF_PORT,
    pathPrefix: DEFAULT_PPROF_PATH,
    source: 'go-default',
    label: `Go's localhost:${GO_PPROF_PORT}`,
  });
  return out;
}

export function podInfo(pod: V1Pod): PodInfo {
  const statuses = pod.status?.containerStatuses ?? [];
  const containers: ContainerInfo[] = (pod.spec?.containers ?? []).map((c, i) => {
    const st = statuses.find((s) => s.name === c.name);
    return {
      name: c.name,
      image: c.image ?? '',
      ready: st?.ready ?? false,
      restarts: st?.restartCount ?? 0,
      candidates: candidatesFor(pod, c, i === 0),
    };
  });
  const created = pod.metadata?.creationTimestamp;
  return {
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    status: podStatus(pod),
    ready: `${statuses.filter((s) => s.ready).length}/${containers.length}`,
    restarts: statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0),
    node: pod.spec?.nodeName ?? null,
    createdAt: created ? new Date(created).getTime() : null,
    labels: pod.metadata?.labels ?? {},
    containers,
    workload: workloadOf(pod),
  };
}
