// The multi-cluster fake as the real kubectl sees it: a namespace-scoped user (the context's
// namespace is used, cluster-scope lists are forbidden in kubectl's words), downstream clusters
// reached through an exec credential plugin given by a relative path, label selectors,
// `kubectl top` with and without metrics.k8s.io, and an unreachable context.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMultiCluster, type MultiCluster } from '../../k8s/multiCluster';

const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const hasKubectl = spawnSync(KUBECTL, ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!hasKubectl)
  console.warn(`kubectl not found (${KUBECTL}): skipping "kubectl against the multi-cluster fake"`);

let mc: MultiCluster;
let elsewhere: string;

/** kubectl with the fake's kubeconfig and a private discovery cache, run from another folder. */
function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      KUBECTL,
      ['--kubeconfig', mc.kubeconfig, '--cache-dir', join(mc.dir, 'kube-cache'), ...args],
      { cwd: elsewhere, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const names = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(/\s+/)[0]);

describe.skipIf(!hasKubectl)('kubectl against the multi-cluster fake', () => {
  const forbidden = (what: string) =>
    `Error from server (Forbidden): ${what} is forbidden: User "system:serviceaccount:cattle-fleet-system:dev" cannot list resource "${what}" in API group "" at the cluster scope`;

  beforeAll(async () => {
    mc = await startMultiCluster('profscope-kubectl-rbac-', { unreachableContext: true });
    // Not the kubeconfig's folder: kubectl must resolve ./fake-credential.sh against the
    // kubeconfig, not the working directory.
    elsewhere = mkdtempSync(join(tmpdir(), 'profscope-elsewhere-'));
  }, 180_000);

  afterAll(async () => {
    await mc?.close();
  });

  it('get pods without -n lists the context namespace', async () => {
    const r = await kubectl('get', 'pods');
    expect(r.stderr).toBe('');
    expect(names(r.stdout)).toEqual([mc.victim.pod]);
    const local = mc.clusters[0].api;
    expect(local.requests).toContain('GET /api/v1/namespaces/cattle-fleet-system/pods?limit=500');
  });

  it('get pods -o wide prints the server-side Table', async () => {
    const r = await kubectl('--context', 'downstream-1', 'get', 'pods', '-o', 'wide');
    const [header, ...rows] = r.stdout.trim().split('\n');
    expect(header.split(/\s{2,}/)).toEqual([
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
      'IP',
      'NODE',
      'NOMINATED NODE',
      'READINESS GATES',
    ]);
    expect(rows).toHaveLength(2);
    for (const row of rows)
      expect(row).toMatch(
        /^fleet-agent-\S+\s+1\/1\s+Running\s+\d+\s+3h\s+10\.42\.1\.\d+\s+downstream-1-worker-\d/,
      );
  });

  it('get pods -A and get namespaces are forbidden, in kubectl words', async () => {
    const all = await kubectl('get', 'pods', '-A');
    expect(all.code).not.toBe(0);
    expect(all.stderr.trim()).toBe(forbidden('pods'));
    const ns = await kubectl('get', 'namespaces');
    expect(ns.code).not.toBe(0);
    expect(ns.stderr.trim()).toBe(forbidden('namespaces'));
    const other = await kubectl('get', 'pods', '-n', 'kube-system');
    expect(other.stderr.trim()).toBe(
      'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:cattle-fleet-system:dev" cannot list resource "pods" in API group "" in the namespace "kube-system"',
    );
  });

  it('downstream through the relative exec plugin, with KUBERNETES_EXEC_INFO', async () => {
    const r = await kubectl('--context', 'downstream-1', 'get', 'pods', '-l', 'app=fleet-agent');
    expect(r.stderr).toBe('');
    expect(names(r.stdout).sort()).toEqual(
      mc.pods
        .filter((p) => p.context === 'downstream-1')
        .map((p) => p.pod)
        .sort(),
    );
    const info = readFileSync(mc.execInfoFile('downstream-1'), 'utf8');
    console.log(`kubectl's KUBERNETES_EXEC_INFO: ${info}`);
    expect(JSON.parse(info)).toEqual({
      kind: 'ExecCredential',
      apiVersion: 'client.authentication.k8s.io/v1',
      spec: { interactive: false },
    });
  });

  it('set-based selectors, and a malformed one answered 400', async () => {
    const inSet = await kubectl(
      '-n',
      'cattle-fleet-local-system',
      'get',
      'pods',
      '-l',
      'app in (fleet-agent)',
    );
    expect(names(inSet.stdout)).toEqual(
      mc.pods.filter((p) => p.namespace === 'cattle-fleet-local-system').map((p) => p.pod),
    );
    const notIn = await kubectl('get', 'pods', '-l', 'app notin (fleet-agent),!missing');
    expect(names(notIn.stdout)).toEqual([mc.victim.pod]);
    const none = await kubectl('get', 'pods', '-l', 'app in (fleet-agent)');
    expect(none.stderr.trim()).toBe('No resources found in cattle-fleet-system namespace.');
    const bad = await kubectl('get', 'pods', '-l', 'app in fleet-agent');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain(
      'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "app in fleet-agent", field selector "": unable to parse requirement: found \'fleet-agent\' expected: \'(\'',
    );
  });

  it('top pod works where metrics.k8s.io is served, and says so where not', async () => {
    const top = await kubectl('top', 'pod', '-n', 'cattle-fleet-system');
    expect(top.stderr).toBe('');
    const row = top.stdout.split('\n').find((l) => l.startsWith(mc.victim.pod)) ?? '';
    const [, cpu, memory] = row.split(/\s+/);
    console.log(`kubectl top: ${row}`);
    expect(cpu).toMatch(/^\d+m$/);
    expect(parseInt(cpu, 10)).toBeGreaterThan(0);
    expect(memory).toMatch(/^\d+Mi$/);
    const down = await kubectl(
      '--context',
      'downstream-1',
      'top',
      'pod',
      '-n',
      'cattle-fleet-system',
    );
    expect(down.code).not.toBe(0);
    expect(down.stderr.trim()).toBe('error: Metrics API not available');
  });

  it('port-forward as the namespace-scoped user, through the exec plugin', async () => {
    const child = spawn(
      KUBECTL,
      [
        '--kubeconfig',
        mc.kubeconfig,
        '--context',
        'downstream-1',
        'port-forward',
        `pod/${mc.culprit.pod}`,
        ':6060',
      ],
      { cwd: elsewhere, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        const onData = (c: Buffer) => {
          out += c.toString();
          const m = /Forwarding from 127\.0\.0\.1:(\d+) -> 6060/.exec(out);
          if (m) resolve(Number(m[1]));
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('exit', (code) => reject(new Error(`kubectl exited ${code}: ${out}`)));
      });
      const cmdline = await new Promise<string>((resolve, reject) => {
        get(`http://127.0.0.1:${port}/debug/pprof/cmdline`, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(text));
        }).on('error', reject);
      });
      // The pod's port 6060 is the culprit process: its command line says so.
      expect(cmdline.split('\0')).toContain('culprit');
    } finally {
      child.kill();
    }
  });

  it('port-forward outside the Role is forbidden', async () => {
    const r = await kubectl('-n', 'default', 'port-forward', 'pod/web', ':6060');
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe(
      'Error from server (Forbidden): pods "web" is forbidden: User "system:serviceaccount:cattle-fleet-system:dev" cannot get resource "pods" in API group "" in the namespace "default"',
    );
  });

  it('an unreachable context: connection refused', async () => {
    const r = await kubectl('--context', 'gone', 'get', 'pods');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /The connection to the server 127\.0\.0\.1:\d+ was refused - did you specify the right host or port\?/,
    );
  });
});
