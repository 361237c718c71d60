// Namespaces, pods and the pprof endpoints each container probably serves.
import { CoreV1Api, type KubeConfig, type V1Container, type V1Pod } from '@kubernetes/client-node';
import type { ContainerInfo, PodInfo, PprofCandidate } from '../contract';
import { kubeError } from './errors';
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

export async function listNamespaces(kc: KubeConfig): Promise<string[]> {
  await ensureCredentials(kc);
  try {
    const list = await kc.makeApiClient(CoreV1Api).listNamespace();
    return list.items
      .map((n) => n.metadata?.name ?? '')
      .filter(Boolean)
      .sort();
  } catch (err) {
    const e = kubeError(err, 'namespaces', 'list namespaces', serverOf(kc));
    // Many users may list pods in their namespace but not namespaces: offer the context's one.
    if (e.code === 'forbidden') {
      const ns = kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
      return [ns];
    }
    throw e;
  }
}

export async function listPods(kc: KubeConfig, namespace: string): Promise<PodInfo[]> {
  await ensureCredentials(kc);
  const api = kc.makeApiClient(CoreV1Api);
  try {
    const list = namespace
      ? await api.listNamespacedPod({ namespace })
      : await api.listPodForAllNamespaces();
    return list.items
      .map(podInfo)
      .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  } catch (err) {
    throw kubeError(
      err,
      `namespace ${namespace}`,
      `list pods in ${namespace || 'all namespaces'}`,
      serverOf(kc),
    );
  }
}

export async function readPod(kc: KubeConfig, namespace: string, name: string): Promise<V1Pod> {
  await ensureCredentials(kc);
  try {
    return await kc.makeApiClient(CoreV1Api).readNamespacedPod({ namespace, name });
  } catch (err) {
    throw kubeError(err, `pod ${namespace}/${name}`, `get pod ${namespace}/${name}`, serverOf(kc));
  }
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
  };
}
