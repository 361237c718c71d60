// Exec credential plugins run as kubectl runs them (client-go's plugin/pkg/client/auth/exec),
// instead of client-node's ExecAuth, which differs where users notice: it resolves a relative
// command against the working directory, leaves KUBERNETES_EXEC_INFO unset, ignores
// interactiveMode and installHint, never times out, and puts whatever the plugin printed into
// its errors. The result reaches client-node as a custom Authenticator, so every request (and
// every port-forward WebSocket) carries the current token or client certificate; credentials
// stay in this process.
import type { KubeConfig, User } from '@kubernetes/client-node';
import { spawn } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, extname, isAbsolute, join, normalize, sep } from 'node:path';
import { ApiError } from '../contract';

/** client-node's Authenticator (not exported from its index). */
type Authenticator = Parameters<KubeConfig['addAuthenticator']>[0];
type AuthOptions = Parameters<Authenticator['applyAuthentication']>[1];

const V1 = 'client.authentication.k8s.io/v1';
const V1BETA1 = 'client.authentication.k8s.io/v1beta1';
/** The versions client-go accepts (v1alpha1 was removed in 1.24). */
const API_VERSIONS = [V1BETA1, V1];

const INSTALL_HINT_VERBOSE_HELP = `

It looks like you are trying to use a client-go credential plugin that is not installed.

To learn more about this feature, consult the documentation available at:
      https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins`;

export const DEFAULT_EXEC_TIMEOUT_MS = 30_000;
/** More than any real credential; a plugin printing more is broken. */
const MAX_STDOUT = 1024 * 1024;
const MAX_STDERR_SHOWN = 2000;

/** A user's `exec` section of a kubeconfig, as written there. */
export interface ExecConfig {
  apiVersion?: string;
  command: string;
  args?: string[];
  env?: { name: string; value: string }[] | null;
  installHint?: string;
  provideClusterInfo?: boolean;
  interactiveMode?: string;
}

/**
 * `spec.cluster` of KUBERNETES_EXEC_INFO: client-go's clientauthentication/v1 Cluster, with
 * its JSON names in its field order (omitempty fields left out when empty; `config` is
 * always there, null when the cluster has no client.authentication.k8s.io/exec extension).
 */
export interface ExecCluster {
  server: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'certificate-authority-data'?: string;
  'proxy-url'?: string;
  'disable-compression'?: boolean;
  config: unknown;
}

export interface ExecPlugin {
  /** The kubeconfig user, for messages. */
  user: string;
  /** With a relative command containing a path separator already made absolute. */
  exec: ExecConfig;
  /** The cluster, for provideClusterInfo. */
  cluster: ExecCluster | null;
}

export interface ExecRunOptions {
  /** Kill a plugin that has not finished by then. */
  timeoutMs?: number;
  /** The environment the plugin starts from (and whose PATH finds a bare command). */
  env?: NodeJS.ProcessEnv;
}

export interface ExecCredentials {
  token: string | null;
  /** PEM. */
  certData: string | null;
  keyData: string | null;
  /** ms since the epoch; null: valid until the server says otherwise (401). */
  expiresAt: number | null;
}

/** client-go's clientauthentication default for an unset interactiveMode, else its refusal. */
function interactiveModeOf(plugin: ExecPlugin): string {
  const mode = plugin.exec.interactiveMode ?? '';
  if (mode === '') {
    // clientcmd's v1 defaults: IfAvailable only for v1beta1, for backwards compatibility.
    if (plugin.exec.apiVersion === V1BETA1) return 'IfAvailable';
    throw new Error(
      `interactiveMode must be specified for ${plugin.user} to use exec authentication plugin`,
    );
  }
  if (mode !== 'Never' && mode !== 'IfAvailable' && mode !== 'Always')
    throw new Error(`invalid interactiveMode for ${plugin.user}: "${mode}"`);
  return mode;
}

/** The KUBERNETES_EXEC_INFO value, byte for byte as client-go encodes it (with its newline). */
export function execInfo(apiVersion: string, cluster: ExecCluster | null): string {
  // Key order matters to plugins that compare or hash it: TypeMeta, then spec.cluster before
  // spec.interactive, as the Go structs declare them.
  const spec = cluster ? { cluster, interactive: false } : { interactive: false };
  return `${JSON.stringify({ kind: 'ExecCredential', apiVersion, spec })}\n`;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Go's exec.LookPath: a command with a separator is used as it is; a bare name is searched
 * on PATH, skipping entries that are not absolute (Go 1.19+ refuses results relative to the
 * working directory, ErrDot). Null when nothing runnable is found.
 */
export function lookPath(command: string, env: NodeJS.ProcessEnv): string | null {
  const win = process.platform === 'win32';
  const exts = win ? (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean) : [''];
  const runnable = (p: string): string | null => {
    const tries = win && extname(p) === '' ? exts.map((e) => p + e) : [p];
    for (const t of tries) {
      if (!isFile(t)) continue;
      if (win) return t;
      try {
        accessSync(t, constants.X_OK);
        return t;
      } catch {
        // Found but not executable: Go keeps looking further down PATH.
      }
    }
    return null;
  };
  if (command.includes('/') || (win && command.includes('\\'))) return runnable(command);
  const path = env.PATH ?? env.Path ?? '';
  for (const dir of path.split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const hit = runnable(join(dir, command));
    if (hit) return hit;
  }
  return null;
}

function trimStderr(text: string): string {
  const t = text.trim();
  return t.length > MAX_STDERR_SHOWN ? `…${t.slice(-MAX_STDERR_SHOWN)}` : t;
}

interface RawResult {
  stdout: Buffer;
}

/** Runs the command; rejects with client-go's wording. Nothing of stdout is ever put in a message. */
function runCommand(
  cmd: string,
  plugin: ExecPlugin,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<RawResult> {
  return new Promise<RawResult>((resolve, reject) => {
    const resolved = lookPath(cmd, env);
    if (!resolved) {
      let msg = `exec: executable ${cmd} not found${INSTALL_HINT_VERBOSE_HELP}`;
      if (plugin.exec.installHint) msg += `\n\n${plugin.exec.installHint}`;
      reject(new Error(msg));
      return;
    }
    // Its own process group, so a hung shell script's children die with it and cannot hold
    // the pipes open after the timeout.
    const child = spawn(resolved, plugin.exec.args ?? [], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    const out: Buffer[] = [];
    let outSize = 0;
    let err = '';
    let settled = false;
    const finish = (e: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (e) reject(e);
      else resolve({ stdout: Buffer.concat(out) });
    };
    const kill = () => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32')
          process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      child.stdout.destroy();
      child.stderr.destroy();
    };
    const timer = setTimeout(() => {
      kill();
      finish(
        new Error(
          `exec: executable ${cmd} did not finish within ${Math.round(timeoutMs / 100) / 10} s and was killed: it hung (a plugin waiting for a login or other input cannot get it here; run it once in a terminal, e.g. kubectl get ns)${
            err.trim() ? `; it said: ${trimStderr(err)}` : ''
          }`,
        ),
      );
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      outSize += c.length;
      if (outSize > MAX_STDOUT) {
        kill();
        finish(new Error(`exec: executable ${cmd} wrote more than ${MAX_STDOUT} bytes to stdout`));
      } else out.push(c);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => {
      if (err.length < 64 * 1024) err += c;
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') {
        let msg = `exec: executable ${cmd} not found${INSTALL_HINT_VERBOSE_HELP}`;
        if (plugin.exec.installHint) msg += `\n\n${plugin.exec.installHint}`;
        finish(new Error(msg));
      } else finish(new Error(`exec: ${e.message}`));
    });
    child.on('close', (code: number | null) => {
      if (code === 0) {
        finish(null);
        return;
      }
      // Go's ProcessState.ExitCode() is -1 for a process ended by a signal.
      const said = trimStderr(err);
      const base = `exec: executable ${cmd} failed with exit code ${code ?? -1}`;
      finish(new Error(said ? `${said} (${base})` : base));
    });
  });
}

/** A version we know the name of, so nothing else the plugin printed ends up in a message. */
function knownVersion(v: unknown): string {
  return typeof v === 'string' &&
    ['client.authentication.k8s.io/v1alpha1', ...API_VERSIONS].includes(v)
    ? v
    : 'another one';
}

/** Checks the ExecCredential as client-go's decoder and refreshCredsLocked do. */
export function parseExecCredential(stdout: Buffer, apiVersion: string): ExecCredentials {
  let obj: unknown;
  try {
    obj = JSON.parse(stdout.toString('utf8'));
  } catch {
    throw new Error(`decoding stdout: the plugin's output (${stdout.length} bytes) is not JSON`);
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
    throw new Error("decoding stdout: the plugin's output is not a JSON object");
  const o = obj as Record<string, unknown>;
  if (o.kind !== 'ExecCredential')
    throw new Error(
      'decoding stdout: the plugin\'s output is not an ExecCredential (wrong or missing "kind")',
    );
  if (o.apiVersion !== apiVersion) {
    throw new Error(
      `exec plugin is configured to use API version ${apiVersion}, plugin returned version ${knownVersion(o.apiVersion)}`,
    );
  }
  const status = o.status;
  if (status === undefined || status === null)
    throw new Error("exec plugin didn't return a status field");
  if (typeof status !== 'object' || Array.isArray(status))
    throw new Error('decoding stdout: "status" is not an object');
  const s = status as Record<string, unknown>;
  const str = (k: string): string => {
    const v = s[k];
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') throw new Error(`decoding stdout: status.${k} is not a string`);
    return v;
  };
  const token = str('token');
  const cert = str('clientCertificateData');
  const key = str('clientKeyData');
  const exp = str('expirationTimestamp');
  if (!token && !cert && !key)
    throw new Error("exec plugin didn't return a token or cert/key pair");
  if (!cert !== !key) throw new Error('exec plugin returned only certificate or key, not both');
  if (cert) {
    try {
      const x509 = new X509Certificate(cert);
      if (!x509.checkPrivateKey(createPrivateKey(key)))
        throw new Error('private key does not match public key');
    } catch (e) {
      throw new Error(
        `failed parsing client key/certificate: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
    }
  }
  let expiresAt: number | null = null;
  if (exp) {
    expiresAt = Date.parse(exp);
    if (!/^\d{4}-\d\d-\d\dT/.test(exp) || Number.isNaN(expiresAt))
      throw new Error('decoding stdout: status.expirationTimestamp is not an RFC 3339 time');
  }
  return { token: token || null, certData: cert || null, keyData: key || null, expiresAt };
}

/** Runs the plugin once, as client-go's refreshCredsLocked does. Errors are plain Errors in client-go's words. */
export async function runExecPlugin(
  plugin: ExecPlugin,
  opts: ExecRunOptions = {},
): Promise<ExecCredentials> {
  const { exec } = plugin;
  if (!exec.command)
    throw new Error(
      `command must be specified for ${plugin.user} to use exec authentication plugin`,
    );
  const apiVersion = exec.apiVersion ?? '';
  if (!apiVersion)
    throw new Error(
      `apiVersion must be specified for ${plugin.user} to use exec authentication plugin`,
    );
  if (!API_VERSIONS.includes(apiVersion))
    throw new Error(`exec plugin: invalid apiVersion "${apiVersion}"`);
  const mode = interactiveModeOf(plugin);
  // We never have a terminal to hand a plugin; client-go says so in these words.
  if (mode === 'Always')
    throw new Error(
      'exec plugin cannot support interactive mode: standard input is not a terminal (Profscope runs credential plugins without one: log in with the plugin in a terminal first)',
    );
  const env: NodeJS.ProcessEnv = { ...(opts.env ?? process.env) };
  for (const e of exec.env ?? []) {
    if (!e?.name)
      throw new Error(
        `env variable name must be specified for ${plugin.user} to use exec authentication plugin`,
      );
    env[e.name] = e.value ?? '';
  }
  env.KUBERNETES_EXEC_INFO = execInfo(apiVersion, exec.provideClusterInfo ? plugin.cluster : null);
  // client-go cleans the command (filepath.Clean) before running it and naming it.
  const cmd =
    exec.command.includes(sep) || exec.command.includes('/')
      ? normalize(exec.command)
      : exec.command;
  const { stdout } = await runCommand(cmd, plugin, env, opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS);
  return parseExecCredential(stdout, apiVersion);
}

/**
 * One plugin configuration's credentials, cached until status.expirationTimestamp and shared
 * by concurrent requests (one run at a time, as client-go's mutex makes it), dropped on 401.
 */
export class ExecAuthenticator implements Authenticator {
  private cached: ExecCredentials | null = null;
  private running: Promise<ExecCredentials> | null = null;
  /** How many times the plugin ran (tests, and a sign of a plugin re-run on every request). */
  runs = 0;

  constructor(
    readonly plugin: ExecPlugin,
    private readonly opts: ExecRunOptions = {},
  ) {}

  /** client-node asks this of the current user: ours is the user whose exec was taken out. */
  isAuthProvider(user: User): boolean {
    return user.name === this.plugin.user && !user.exec;
  }

  async credentials(): Promise<ExecCredentials> {
    const c = this.cached;
    if (c && (c.expiresAt === null || Date.now() <= c.expiresAt)) return c;
    if (this.running) return this.running;
    const run = (async () => {
      this.runs++;
      try {
        const creds = await runExecPlugin(this.plugin, this.opts);
        this.cached = creds;
        return creds;
      } catch (e) {
        throw new ApiError(
          'auth',
          `credential plugin "${this.plugin.exec.command}" for user "${this.plugin.user}" failed: ${
            e instanceof Error ? e.message : String(e)
          }`,
        );
      } finally {
        this.running = null;
      }
    })();
    this.running = run;
    return run;
  }

  async applyAuthentication(_user: User, opts: AuthOptions): Promise<void> {
    const c = await this.credentials();
    if (c.certData && c.keyData) {
      opts.cert = c.certData;
      opts.key = c.keyData;
    }
    if (c.token) opts.headers = { ...opts.headers, Authorization: `Bearer ${c.token}` };
  }

  /** The server answered 401: the next request runs the plugin again (client-go's maybeRefreshCreds). */
  invalidate(): boolean {
    const had = this.cached !== null;
    this.cached = null;
    return had;
  }
}

/** Kept across kubeconfig reloads, as client-go's global cache keyed by config and cluster. */
const authenticators = new Map<string, ExecAuthenticator>();
const byKubeConfig = new WeakMap<KubeConfig, ExecAuthenticator>();

export function execAuthenticatorFor(
  plugin: ExecPlugin,
  opts: ExecRunOptions = {},
): ExecAuthenticator {
  const key = JSON.stringify([plugin.user, plugin.exec, plugin.cluster, opts.timeoutMs ?? null]);
  let a = authenticators.get(key);
  // Tests pass their own environment: never share a cached credential across those.
  if (!a || opts.env) {
    a = new ExecAuthenticator(plugin, opts);
    if (!opts.env) authenticators.set(key, a);
  }
  return a;
}

/** Remembers which authenticator a KubeConfig uses, for credentialsRejected. */
export function attachExecAuthenticator(kc: KubeConfig, a: ExecAuthenticator): void {
  kc.addAuthenticator(a);
  byKubeConfig.set(kc, a);
}

export function execAuthenticatorOf(kc: KubeConfig): ExecAuthenticator | null {
  return byKubeConfig.get(kc) ?? null;
}

/**
 * A request through `kc` got 401: drop its plugin's cached credentials. True when there were
 * some, so one retry with fresh ones makes sense.
 */
export function credentialsRejected(kc: KubeConfig): boolean {
  return byKubeConfig.get(kc)?.invalidate() ?? false;
}
