// Kubeconfig loading as kubectl does it: KUBECONFIG lists several files (path delimiter),
// else ~/.kube/config. The first file to set current-context wins; a cluster, user or context
// name seen again in a later file is skipped (the first wins) and that is said in a warning.
// client-node's own loadFromDefault differs on both points (the last current-context wins,
// duplicates throw), so the files are parsed one by one and merged here.
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
// client-node's own YAML parser: its typed Cluster drops what KUBERNETES_EXEC_INFO needs
// (the server as written, disable-compression, the exec extension).
import { load as loadYaml } from 'js-yaml';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { ApiError, type KubeContextInfo, type KubeContexts } from '../contract';
import { stripUserinfo } from './errors';
import {
  attachExecAuthenticator,
  execAuthenticatorFor,
  type ExecCluster,
  type ExecConfig,
  type ExecRunOptions,
} from './execCredential';

export interface KubeconfigSource {
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** How exec credential plugins run (tests shorten the timeout, pass their environment). */
  exec?: ExecRunOptions;
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

/** A cluster entry as written in its file (only the fields read here). */
interface RawCluster {
  server?: unknown;
  'disable-compression'?: unknown;
  extensions?: unknown;
}

function rawClusters(file: string): Map<string, RawCluster> {
  const out = new Map<string, RawCluster>();
  try {
    const doc = loadYaml(readFileSync(file, 'utf8')) as { clusters?: unknown } | null;
    if (!doc || !Array.isArray(doc.clusters)) return out;
    for (const c of doc.clusters as { name?: unknown; cluster?: unknown }[]) {
      if (typeof c?.name === 'string' && c.cluster && typeof c.cluster === 'object')
        out.set(c.name, c.cluster);
    }
  } catch {
    // client-node parsed the file already; a second opinion on it is not needed.
  }
  return out;
}

/**
 * client-go's ConfigToExecCluster: what a plugin with provideClusterInfo is told. The CA is
 * read now (certificate-authority-data, else the file), as client-go does when it builds the
 * transport; `config` is the cluster's client.authentication.k8s.io/exec extension.
 */
function execCluster(cluster: Cluster, raw: RawCluster | undefined): ExecCluster {
  // Built field by field in client-go's order: plugins see the same JSON kubectl gives them.
  const ordered: ExecCluster = {
    server: typeof raw?.server === 'string' ? raw.server : cluster.server,
  } as ExecCluster;
  if (cluster.tlsServerName) ordered['tls-server-name'] = cluster.tlsServerName;
  if (cluster.skipTLSVerify) ordered['insecure-skip-tls-verify'] = true;
  let ca: Buffer | null = null;
  if (cluster.caData) ca = Buffer.from(cluster.caData, 'base64');
  else if (cluster.caFile) {
    try {
      ca = readFileSync(cluster.caFile);
    } catch (err) {
      throw new ApiError(
        'auth',
        `failed to load CA bundle for execProvider: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  if (ca && ca.length > 0) ordered['certificate-authority-data'] = ca.toString('base64');
  if (cluster.proxyUrl) ordered['proxy-url'] = cluster.proxyUrl;
  if (raw?.['disable-compression'] === true) ordered['disable-compression'] = true;
  const ext = Array.isArray(raw?.extensions)
    ? (raw.extensions as { name?: unknown; extension?: unknown }[]).find(
        (e) => e?.name === 'client.authentication.k8s.io/exec',
      )
    : undefined;
  ordered.config = ext?.extension ?? null;
  return ordered;
}

/**
 * clientcmd's ResolvePaths for exec: a command holding a path separator that is not absolute
 * is relative to the folder of the kubeconfig file that defined the user; a bare name is left
 * for PATH.
 */
export function resolveExecCommand(command: string, file: string): string {
  if (!command.includes(sep) || isAbsolute(command)) return command;
  return join(dirname(file), command);
}

export function loadKubeconfigs(src: KubeconfigSource = {}): LoadedKubeconfig {
  const files = kubeconfigFiles(src);
  const warnings: string[] = [];
  const clusters = new Map<string, { cluster: Cluster; raw: RawCluster | undefined }>();
  const users = new Map<string, { user: User; file: string }>();
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
    // Every item remembers its file: an exec command is relative to the file of its user.
    const merge = <T extends { name: string }, V>(
      kind: string,
      into: Map<string, V>,
      items: T[],
      wrap: (t: T) => V,
    ) => {
      for (const item of items) {
        if (into.has(item.name)) {
          warnings.push(
            `${kind} "${item.name}" in ${file} is also defined earlier; the first one is used (as kubectl does)`,
          );
        } else into.set(item.name, wrap(item));
      }
    };
    const raws = rawClusters(file);
    merge('cluster', clusters, kc.getClusters(), (cluster) => ({
      cluster,
      raw: raws.get(cluster.name),
    }));
    merge('user', users, kc.getUsers(), (user) => ({ user, file }));
    merge('context', contexts, kc.getContexts(), (ctx) => ({ ctx, file }));
  }

  const list: KubeContextInfo[] = [...contexts.values()].map(({ ctx, file }) => {
    const cluster = clusters.get(ctx.cluster)?.cluster;
    return {
      name: ctx.name,
      cluster: ctx.cluster,
      user: ctx.user,
      namespace: ctx.namespace ?? null,
      // user:password@ in a server URL is a credential: it never reaches the window.
      server: cluster ? stripUserinfo(cluster.server) : null,
      auth: authKind(users.get(ctx.user)?.user),
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
      const c = clusters.get(entry.ctx.cluster);
      if (!c)
        throw new ApiError(
          'not-found',
          `context "${name}": cluster "${entry.ctx.cluster}" is not defined`,
        );
      const u = users.get(entry.ctx.user);
      const kc = new KubeConfig();
      const plugin = u ? execPluginOf(u.user, u.file, c.cluster, c.raw) : null;
      kc.loadFromOptions({
        clusters: [c.cluster],
        // Our runner replaces client-node's ExecAuth: the user it sees has no exec.
        users: u ? [plugin ? withoutExec(u.user) : u.user] : [],
        contexts: [entry.ctx],
        currentContext: name,
      });
      if (plugin) attachExecAuthenticator(kc, execAuthenticatorFor(plugin, src.exec));
      cache.set(name, kc);
      return kc;
    },
  };
}

function withoutExec(user: User): User {
  const copy: { -readonly [K in keyof User]: User[K] } = { ...user };
  delete copy.exec;
  return copy;
}

/**
 * The exec plugin to run for `user`, or null when there is none or client-go would not run it
 * (a token, basic auth or client certificate already given takes precedence over exec).
 */
function execPluginOf(user: User, file: string, cluster: Cluster, raw: RawCluster | undefined) {
  const exec = user.exec as ExecConfig | undefined;
  if (!exec || typeof exec !== 'object') return null;
  if (user.token || user.username || user.certData || user.certFile) return null;
  const command = typeof exec.command === 'string' ? resolveExecCommand(exec.command, file) : '';
  return {
    user: user.name,
    exec: { ...exec, command },
    cluster: exec.provideClusterInfo ? execCluster(cluster, raw) : null,
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
    // Our exec runner's errors are already phrased.
    if (err instanceof ApiError) throw err;
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
