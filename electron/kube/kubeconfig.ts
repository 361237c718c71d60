// Kubeconfig loading as kubectl does it: KUBECONFIG lists several files (path delimiter),
// else ~/.kube/config. The first file to set current-context wins; a cluster, user or context
// name seen again in a later file is skipped (the first wins) and that is said in a warning.
// client-node's own loadFromDefault differs on both points (the last current-context wins,
// duplicates throw), so the files are parsed one by one and merged here.
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { ApiError, type KubeContextInfo, type KubeContexts } from '../contract';

export interface KubeconfigSource {
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/** The files kubectl would read, in order. Missing KUBECONFIG entries are skipped, as kubectl does. */
export function kubeconfigFiles(src: KubeconfigSource = {}): string[] {
  const env = src.env ?? process.env;
  const list = env.KUBECONFIG;
  if (list && list.length > 0) {
    const seen = new Set<string>();
    const files: string[] = [];
    for (const f of list.split(delimiter)) {
      if (!f) continue;
      const full = resolve(f);
      if (!seen.has(full)) {
        seen.add(full);
        files.push(full);
      }
    }
    return files;
  }
  return [join(src.home ?? homedir(), '.kube', 'config')];
}

export interface LoadedKubeconfig {
  info: KubeContexts;
  /** A KubeConfig holding just this context, its cluster and its user, current. */
  forContext(name: string): KubeConfig;
}

function authKind(user: User | undefined): string {
  if (!user) return 'none';
  const exec = user.exec as { command?: unknown } | undefined;
  if (exec && typeof exec.command === 'string') return `exec: ${exec.command}`;
  const provider = user.authProvider as { name?: unknown } | undefined;
  if (provider && typeof provider.name === 'string')
    return provider.name === 'oidc' ? 'oidc' : provider.name;
  if (user.token) return 'token';
  if (user.certData || user.certFile) return 'client-certificate';
  if (user.username) return 'basic';
  return 'none';
}

export function loadKubeconfigs(src: KubeconfigSource = {}): LoadedKubeconfig {
  const files = kubeconfigFiles(src);
  const warnings: string[] = [];
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, { ctx: Context; file: string }>();
  let current: string | null = null;
  const read: string[] = [];

  for (const file of files) {
    if (!existsSync(file)) {
      if (src.env?.KUBECONFIG ?? process.env.KUBECONFIG)
        warnings.push(`${file}: not found, skipped`);
      continue;
    }
    const kc = new KubeConfig();
    try {
      // loadFromFile makes certificate and key paths absolute against the file's folder.
      kc.loadFromFile(file);
    } catch (err) {
      warnings.push(`${file}: ${err instanceof Error ? err.message : String(err)}; skipped`);
      continue;
    }
    read.push(file);
    if (current === null && kc.currentContext) current = kc.currentContext;
    const merge = <T extends { name: string }>(
      kind: string,
      into: Map<string, T>,
      items: T[],
      wrap?: (t: T) => T,
    ) => {
      for (const item of items) {
        if (into.has(item.name)) {
          warnings.push(
            `${kind} "${item.name}" in ${file} is also defined earlier; the first one is used (as kubectl does)`,
          );
        } else into.set(item.name, wrap ? wrap(item) : item);
      }
    };
    merge('cluster', clusters, kc.getClusters());
    merge('user', users, kc.getUsers());
    for (const ctx of kc.getContexts()) {
      if (contexts.has(ctx.name)) {
        warnings.push(
          `context "${ctx.name}" in ${file} is also defined earlier; the first one is used (as kubectl does)`,
        );
      } else contexts.set(ctx.name, { ctx, file });
    }
  }

  const list: KubeContextInfo[] = [...contexts.values()].map(({ ctx, file }) => {
    const cluster = clusters.get(ctx.cluster);
    return {
      name: ctx.name,
      cluster: ctx.cluster,
      user: ctx.user,
      namespace: ctx.namespace ?? null,
      server: cluster?.server ?? null,
      auth: authKind(users.get(ctx.user)),
      file,
    };
  });
  if (current !== null && !contexts.has(current)) {
    warnings.push(`current-context "${current}" is not defined in any file`);
  }

  const cache = new Map<string, KubeConfig>();
  return {
    info: { contexts: list, current, files: read, warnings },
    forContext(name: string): KubeConfig {
      const hit = cache.get(name);
      if (hit) return hit;
      const entry = contexts.get(name);
      if (!entry) throw new ApiError('not-found', `no kubeconfig context named "${name}"`);
      const cluster = clusters.get(entry.ctx.cluster);
      if (!cluster)
        throw new ApiError(
          'not-found',
          `context "${name}": cluster "${entry.ctx.cluster}" is not defined`,
        );
      const user = users.get(entry.ctx.user);
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [cluster],
        users: user ? [user] : [],
        contexts: [entry.ctx],
        currentContext: name,
      });
      cache.set(name, kc);
      return kc;
    },
  };
}

/**
 * Runs the context's credential step (exec plugin, OIDC refresh) before a request, so a
 * failing plugin is reported as itself, with its own message, rather than as a TLS or 401
 * error later.
 */
export async function ensureCredentials(kc: KubeConfig): Promise<void> {
  try {
    await kc.applyToHTTPSOptions({});
  } catch (err) {
    const user = kc.getCurrentUser();
    const exec = user?.exec as { command?: unknown } | undefined;
    const raw = err instanceof Error ? err.message : String(err);
    const detail = raw.trim() || 'it exited with an error and printed nothing';
    if (exec && typeof exec.command === 'string') {
      throw new ApiError(
        'auth',
        `credential plugin "${exec.command}" for user "${user?.name}" failed: ${detail}`,
      );
    }
    const provider = user?.authProvider as { name?: unknown } | undefined;
    if (provider && typeof provider.name === 'string') {
      throw new ApiError(
        'auth',
        `auth provider "${provider.name}" for user "${user?.name}" failed: ${detail}`,
      );
    }
    throw new ApiError(
      'auth',
      `credentials for user "${user?.name ?? '?'}" could not be loaded: ${detail}`,
    );
  }
}
