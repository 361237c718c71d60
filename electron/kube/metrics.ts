// kubectl top's figures: metrics.k8s.io's PodMetrics, where the cluster serves them (metrics-
// server installed, and the user allowed to list podmetrics). Where it does not, the triage
// table simply has no such column: 404 and 403 are answers here, not errors.
import type { KubeConfig } from '@kubernetes/client-node';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
import { ensureCredentials } from './kubeconfig';

export interface PodUsage {
  cpuCores: number;
  memoryBytes: number;
}

const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};
const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A Kubernetes resource.Quantity ("250m", "123456n", "64Mi", "1.5G", "1e3") as a number; NaN if not one. */
export function parseQuantity(q: string): number {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(
    q.trim(),
  );
  if (!m) return NaN;
  const n = Number(m[1]);
  if (m[2]) return n * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? '';
  return n * (BINARY[suffix] ?? DECIMAL[suffix]);
}

interface PodMetricsList {
  items?: {
    metadata?: { name?: string; namespace?: string };
    containers?: { usage?: { cpu?: string; memory?: string } }[];
  }[];
}

/** GET `path` on the context's API server with its credentials and TLS settings. */
async function apiGet(
  kc: KubeConfig,
  path: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ status: number; body: string }> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('the context names no cluster server');
  await ensureCredentials(kc);
  const url = new URL(server.replace(/\/+$/, '') + path);
  const opts: RequestOptions = { method: 'GET', headers: { accept: 'application/json' } };
  await kc.applyToHTTPSOptions(opts);
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'http:' ? httpRequest : httpsRequest)(
      url,
      { ...opts, signal, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Usage per pod ("namespace/name" → cores and bytes, containers summed as kubectl top pod sums
 * them) in `namespace` ('' for all namespaces). Null when the cluster does not serve
 * metrics.k8s.io, the user may not list podmetrics, or the server cannot be asked.
 */
export async function podMetrics(
  kc: KubeConfig,
  namespace: string,
  opts: { selector?: string; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<Map<string, PodUsage> | null> {
  const base = namespace
    ? `/apis/metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(namespace)}/pods`
    : '/apis/metrics.k8s.io/v1beta1/pods';
  const path = opts.selector ? `${base}?labelSelector=${encodeURIComponent(opts.selector)}` : base;
  let res: { status: number; body: string };
  try {
    res = await apiGet(kc, path, opts.timeoutMs ?? 10_000, opts.signal);
  } catch {
    // Metrics are a bonus column: an unreachable server is reported by the pod listing.
    return null;
  }
  if (res.status !== 200) return null;
  let list: PodMetricsList;
  try {
    list = JSON.parse(res.body) as PodMetricsList;
  } catch {
    return null;
  }
  const out = new Map<string, PodUsage>();
  for (const item of list.items ?? []) {
    const name = item.metadata?.name;
    const ns = item.metadata?.namespace ?? namespace;
    if (!name) continue;
    let cpu = 0;
    let memory = 0;
    for (const c of item.containers ?? []) {
      cpu += parseQuantity(c.usage?.cpu ?? '0');
      memory += parseQuantity(c.usage?.memory ?? '0');
    }
    if (Number.isFinite(cpu) && Number.isFinite(memory))
      out.set(`${ns}/${name}`, { cpuCores: cpu, memoryBytes: memory });
  }
  return out;
}
