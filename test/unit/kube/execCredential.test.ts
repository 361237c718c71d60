// Exec credential plugins as kubectl runs them: real shell-script plugins, the fake API server
// checking the token they hand out, and the real kubectl run on the same kubeconfig to check
// KUBERNETES_EXEC_INFO and the messages byte for byte.
import { execFile } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listNamespaces } from '../../../electron/kube/discovery';
import {
  execAuthenticatorOf,
  execInfo,
  parseExecCredential,
  runExecPlugin,
  type ExecPlugin,
} from '../../../electron/kube/execCredential';
import { ensureCredentials, loadKubeconfigs } from '../../../electron/kube/kubeconfig';
import { makeCerts, type TestCerts } from '../../k8s/certs';
import { fleetPods, startFakeApiServer, type FakeApiServer } from '../../k8s/fakeApiServer';

const run = promisify(execFile);
const V1 = 'client.authentication.k8s.io/v1';

let dir: string;
let certs: TestCerts;
let api: FakeApiServer;

/** An executable shell script in `folder`; its path. */
function script(folder: string, name: string, body: string): string {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, name);
  writeFileSync(file, `#!/bin/sh\n${body}`);
  chmodSync(file, 0o755);
  return file;
}

const credential = (token: string, extra = '') =>
  `{"apiVersion":"${V1}","kind":"ExecCredential","status":{"token":"${token}"${extra}}}`;

type ExecSection = Record<string, unknown>;

/** A kubeconfig file for the fake whose one user runs `exec`. */
function kubeconfig(file: string, exec: ExecSection, cluster: Record<string, unknown> = {}) {
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'x',
      clusters: [
        {
          name: 'c',
          cluster: { server: api.url, 'certificate-authority': certs.caFile, ...cluster },
        },
      ],
      users: [{ name: 'u', user: { exec } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
    }),
  );
  return file;
}

/** What kubectl says when its credential step fails (after "getting credentials: "). */
async function kubectlError(file: string): Promise<string> {
  const r = await run('kubectl', ['--kubeconfig', file, 'get', '--raw', '/api/v1/namespaces'], {
    env: { ...process.env, KUBECONFIG: '' },
  }).then(
    () => ({ stderr: '' }),
    (e: { stderr: string }) => e,
  );
  return r.stderr;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'profscope-exec-'));
  certs = makeCerts(dir);
  api = await startFakeApiServer({ certs, pods: fleetPods({ host: '127.0.0.1', port: 1 }) });
});

afterAll(async () => {
  await api?.close();
});

describe('exec credential plugins, as kubectl runs them', () => {
  it('resolves a relative command against the folder of the kubeconfig that defined the user, whatever the cwd', async () => {
    const conf = join(dir, 'relative');
    script(join(conf, 'bin'), 'plugin.sh', `echo '${credential(api.token)}'\n`);
    const file = kubeconfig(join(conf, 'config'), {
      apiVersion: V1,
      command: './bin/plugin.sh',
      interactiveMode: 'Never',
    });
    // A second file, read first, for the context: the user's file is what counts.
    const ctxFile = join(dir, 'ctx-only.yaml');
    writeFileSync(
      ctxFile,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'x',
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace: 'default' } }],
      }),
    );
    const before = process.cwd();
    const elsewhere = mkdtempSync(join(tmpdir(), 'profscope-cwd-'));
    process.chdir(elsewhere);
    try {
      const loaded = loadKubeconfigs({ env: { KUBECONFIG: `${ctxFile}:${file}` } });
      expect(loaded.info.contexts[0].auth).toBe('exec: ./bin/plugin.sh');
      const kc = loaded.forContext('x');
      const list = await listNamespaces(kc);
      expect(list.listable).toBe(true);
      expect(list.namespaces).toContain('cattle-fleet-system');
      // Cached: one run for several requests.
      await listNamespaces(kc);
      expect(execAuthenticatorOf(kc)?.runs).toBe(1);
      // The same file read by kubectl from the same elsewhere.
      const out = await run(
        'kubectl',
        ['--kubeconfig', file, 'get', '--raw', '/api/v1/namespaces'],
        {
          cwd: elsewhere,
        },
      );
      expect(out.stdout).toContain('cattle-fleet-system');
    } finally {
      process.chdir(before);
    }
  });

  it('sets KUBERNETES_EXEC_INFO byte for byte as kubectl does, with exec.env on top of the environment', async () => {
    const conf = join(dir, 'info');
    const plugin = script(
      conf,
      'plugin.sh',
      `d=$(dirname "$0")\nprintf '%s' "$KUBERNETES_EXEC_INFO" > "$d/info.$TAG"\nprintf '%s/%s' "$FOO" "$KEEP" > "$d/env.$TAG"\necho '${credential(api.token)}'\n`,
    );
    const withCluster = kubeconfig(
      join(conf, 'with-cluster.yaml'),
      {
        apiVersion: V1,
        command: plugin,
        env: [{ name: 'FOO', value: 'from-kubeconfig' }],
        interactiveMode: 'IfAvailable',
        provideClusterInfo: true,
      },
      {
        'tls-server-name': '127.0.0.1',
        extensions: [
          { name: 'client.authentication.k8s.io/exec', extension: { audience: 'fleet', tries: 3 } },
        ],
      },
    );
    const env = { ...process.env, FOO: 'from-env', KEEP: 'kept', KUBECONFIG: '' };
    await run('kubectl', ['--kubeconfig', withCluster, 'get', '--raw', '/api'], {
      env: { ...env, TAG: 'kubectl' },
    });
    const kc = loadKubeconfigs({
      env: { KUBECONFIG: withCluster },
      exec: { env: { ...env, TAG: 'ours' } },
    }).forContext('x');
    await ensureCredentials(kc);
    const kubectlInfo = readFileSync(join(conf, 'info.kubectl'), 'utf8');
    const ours = readFileSync(join(conf, 'info.ours'), 'utf8');
    console.log(`KUBERNETES_EXEC_INFO from kubectl: ${kubectlInfo.slice(0, 160)}…`);
    expect(ours).toBe(kubectlInfo);
    expect(JSON.parse(ours)).toEqual({
      kind: 'ExecCredential',
      apiVersion: V1,
      spec: {
        cluster: {
          server: api.url,
          'tls-server-name': '127.0.0.1',
          'certificate-authority-data': Buffer.from(certs.caPem).toString('base64'),
          config: { audience: 'fleet', tries: 3 },
        },
        interactive: false,
      },
    });
    expect(readFileSync(join(conf, 'env.ours'), 'utf8')).toBe('from-kubeconfig/kept');
    expect(readFileSync(join(conf, 'env.kubectl'), 'utf8')).toBe('from-kubeconfig/kept');

    // v1beta1 without interactiveMode (defaulted to IfAvailable) and without cluster info.
    const beta = kubeconfig(join(conf, 'beta.yaml'), {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: script(
        conf,
        'beta.sh',
        `d=$(dirname "$0")\nprintf '%s' "$KUBERNETES_EXEC_INFO" > "$d/beta.$TAG"\necho '${credential(api.token).replace(V1, 'client.authentication.k8s.io/v1beta1')}'\n`,
      ),
    });
    await run('kubectl', ['--kubeconfig', beta, 'get', '--raw', '/api'], {
      env: { ...env, TAG: 'kubectl' },
    });
    await ensureCredentials(
      loadKubeconfigs({
        env: { KUBECONFIG: beta },
        exec: { env: { ...env, TAG: 'ours' } },
      }).forContext('x'),
    );
    expect(readFileSync(join(conf, 'beta.ours'), 'utf8')).toBe(
      readFileSync(join(conf, 'beta.kubectl'), 'utf8'),
    );
    expect(execInfo('client.authentication.k8s.io/v1beta1', null)).toBe(
      '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":false}}\n',
    );
  });

  it('shows installHint as client-go formats it when the command is not found', async () => {
    const file = kubeconfig(join(dir, 'missing.yaml'), {
      apiVersion: V1,
      command: 'profscope-no-such-plugin',
      installHint: 'Install it with: apt-get install profscope-no-such-plugin',
      interactiveMode: 'Never',
    });
    const kc = loadKubeconfigs({ env: { KUBECONFIG: file } }).forContext('x');
    const err = await ensureCredentials(kc).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(
      /^credential plugin "profscope-no-such-plugin" for user "u" failed: exec: executable profscope-no-such-plugin not found\n\nIt looks like you are trying to use a client-go credential plugin that is not installed\./,
    );
    expect(
      err?.message.endsWith('\n\nInstall it with: apt-get install profscope-no-such-plugin'),
    ).toBe(true);
    const said = await kubectlError(file);
    const kubectlText = said.slice(said.indexOf('exec: executable')).trimEnd();
    expect(err?.message).toContain(kubectlText);
  });

  it('kills a plugin that hangs, children too, and says it hung', async () => {
    const conf = join(dir, 'hang');
    const plugin = script(
      conf,
      'hang.sh',
      `echo $$ > "$(dirname "$0")/pids"\nsleep 30 &\necho $! >> "$(dirname "$0")/pids"\nwait\n`,
    );
    const t0 = Date.now();
    const err = await runExecPlugin(
      {
        user: 'u',
        exec: { apiVersion: V1, command: plugin, interactiveMode: 'Never' },
        cluster: null,
      },
      { timeoutMs: 400 },
    ).then(
      () => null,
      (e: Error) => e,
    );
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(err?.message).toMatch(/did not finish within 0\.4 s and was killed: it hung/);
    await new Promise((r) => setTimeout(r, 200));
    for (const pid of readFileSync(join(conf, 'pids'), 'utf8').trim().split('\n').map(Number)) {
      // Gone, or a zombie waiting for its reaper: either way no longer running.
      const state = existsSync(`/proc/${pid}/status`)
        ? (/State:\s+(\S)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '')
        : 'gone';
      expect(['gone', 'Z'], `pid ${pid}`).toContain(state);
    }
  });

  it('never echoes the plugin’s stdout into a message; stderr is shown, trimmed', async () => {
    const secret = 'sk-SECRET-4f9a1c';
    const conf = join(dir, 'secret');
    const plugin = (name: string, body: string): ExecPlugin => ({
      user: 'u',
      exec: { apiVersion: V1, command: script(conf, name, body), interactiveMode: 'Never' },
      cluster: null,
    });
    const cases: [ExecPlugin, RegExp][] = [
      [plugin('notjson.sh', `echo '${secret} is not json'\n`), /decoding stdout: .* is not JSON/],
      [
        plugin(
          'fails.sh',
          `echo '${credential(secret)}'\necho '  token endpoint said no  ' >&2\nexit 3\n`,
        ),
        /^token endpoint said no \(exec: executable .*fails\.sh failed with exit code 3\)$/,
      ],
      [
        plugin('version.sh', `echo '${credential(secret).replace(V1, `v9-${secret}`)}'\n`),
        /^exec plugin is configured to use API version client\.authentication\.k8s\.io\/v1, plugin returned version another one$/,
      ],
      [
        plugin(
          'kind.sh',
          `echo '{"apiVersion":"${V1}","kind":"${secret}","status":{"token":"${secret}"}}'\n`,
        ),
        /not an ExecCredential/,
      ],
      [
        plugin(
          'notoken.sh',
          `echo '{"apiVersion":"${V1}","kind":"ExecCredential","status":{"other":"${secret}"}}'\n`,
        ),
        /^exec plugin didn't return a token or cert\/key pair$/,
      ],
      [
        plugin(
          'nostatus.sh',
          `echo '{"apiVersion":"${V1}","kind":"ExecCredential","spec":{"x":"${secret}"}}'\n`,
        ),
        /^exec plugin didn't return a status field$/,
      ],
      [
        plugin(
          'certonly.sh',
          `echo '{"apiVersion":"${V1}","kind":"ExecCredential","status":{"clientCertificateData":"${secret}"}}'\n`,
        ),
        /^exec plugin returned only certificate or key, not both$/,
      ],
      [
        plugin(
          'badcert.sh',
          `echo '{"apiVersion":"${V1}","kind":"ExecCredential","status":{"clientCertificateData":"${secret}","clientKeyData":"${secret}"}}'\n`,
        ),
        /^failed parsing client key\/certificate: /,
      ],
    ];
    for (const [p, re] of cases) {
      const err = await runExecPlugin(p).then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.message, p.exec.command).toMatch(re);
      expect(err?.message).not.toContain(secret);
    }
  });

  it('refuses interactiveMode Always, and checks the exec section as kubectl validates it', async () => {
    const cmd = script(join(dir, 'modes'), 'ok.sh', `echo '${credential('t')}'\n`);
    const err = (exec: ExecPlugin['exec']) =>
      runExecPlugin({ user: 'u', exec, cluster: null }).then(
        () => '',
        (e: Error) => e.message,
      );
    expect(await err({ apiVersion: V1, command: cmd, interactiveMode: 'Always' })).toMatch(
      /^exec plugin cannot support interactive mode: standard input is not a terminal/,
    );
    // kubectl's own words for the same kubeconfigs.
    expect(await err({ apiVersion: V1, command: cmd })).toBe(
      'interactiveMode must be specified for u to use exec authentication plugin',
    );
    expect(await err({ apiVersion: V1, command: cmd, interactiveMode: 'Sometimes' })).toBe(
      'invalid interactiveMode for u: "Sometimes"',
    );
    expect(
      await err({
        apiVersion: 'client.authentication.k8s.io/v2',
        command: cmd,
        interactiveMode: 'Never',
      }),
    ).toBe('exec plugin: invalid apiVersion "client.authentication.k8s.io/v2"');
    const file = kubeconfig(join(dir, 'always.yaml'), {
      apiVersion: V1,
      command: cmd,
      interactiveMode: 'Always',
    });
    expect(await kubectlError(file)).toContain(
      'exec plugin cannot support interactive mode: standard input is not a terminal',
    );
    expect(await err({ apiVersion: V1, command: cmd, interactiveMode: 'Never' })).toBe('');
  });

  it('caches until status.expirationTimestamp, and runs the plugin again after a 401', async () => {
    const conf = join(dir, 'expiry');
    // First run: an expired-looking token the server refuses; later runs: the real one.
    const plugin = script(
      conf,
      'count.sh',
      `d=$(dirname "$0")\nn=$(cat "$d/n" 2>/dev/null || echo 0)\nn=$((n+1))\necho $n > "$d/n"\nexp=$(date -u -d '+2 seconds' +%Y-%m-%dT%H:%M:%SZ)\nif [ $n -eq 1 ]; then t=stale; else t='${api.token}'; fi\necho "{\\"apiVersion\\":\\"${V1}\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"$t\\",\\"expirationTimestamp\\":\\"$exp\\"}}"\n`,
    );
    const file = kubeconfig(join(conf, 'config'), {
      apiVersion: V1,
      command: plugin,
      interactiveMode: 'Never',
    });
    const kc = loadKubeconfigs({
      env: { KUBECONFIG: file },
      exec: { env: process.env },
    }).forContext('x');
    const auth = execAuthenticatorOf(kc);
    // 401 with "stale": the plugin runs again and the request is retried once.
    expect((await listNamespaces(kc)).listable).toBe(true);
    expect(auth?.runs).toBe(2);
    await listNamespaces(kc);
    expect(auth?.runs).toBe(2);
    await new Promise((r) => setTimeout(r, 2600));
    await listNamespaces(kc);
    expect(auth?.runs).toBe(3);
    expect(readFileSync(join(conf, 'n'), 'utf8').trim()).toBe('3');
  });

  it('accepts a client certificate and key that belong together', () => {
    const stdout = Buffer.from(
      JSON.stringify({
        apiVersion: V1,
        kind: 'ExecCredential',
        status: {
          clientCertificateData: certs.certPem,
          clientKeyData: certs.keyPem,
          expirationTimestamp: '2030-01-01T00:00:00Z',
        },
      }),
    );
    expect(parseExecCredential(stdout, V1)).toEqual({
      token: null,
      certData: certs.certPem,
      keyData: certs.keyPem,
      expiresAt: Date.UTC(2030, 0, 1),
    });
    const wrongKey = readFileSync(join(dir, 'ca.key'), 'utf8');
    const bad = Buffer.from(
      JSON.stringify({
        apiVersion: V1,
        kind: 'ExecCredential',
        status: { clientCertificateData: certs.certPem, clientKeyData: wrongKey },
      }),
    );
    expect(() => parseExecCredential(bad, V1)).toThrow(/failed parsing client key\/certificate/);
  });
});
