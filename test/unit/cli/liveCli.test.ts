// `profscope capture` and `profscope triage` against the fake clusters: kubectl's defaults
// (current context, its namespace), a relative exec plugin, namespace-scoped RBAC, and the
// culprit told from its victim by where their CPU goes.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LiveUsageError,
  runCapture,
  runTriageCommand,
  type LiveCliEnv,
} from '../../../electron/cli/liveCommands';
import type { triageJson } from '../../../electron/cli/triageReport';
import { decodeProfile } from '../../../renderer/model/index';
import { startMultiCluster, type MultiCluster } from '../../k8s/multiCluster';

let mc: MultiCluster;
let dataDir: string;

beforeAll(async () => {
  mc = await startMultiCluster('profscope-cli-live-', { agentsPerCluster: 3 });
  dataDir = mkdtempSync(join(tmpdir(), 'profscope-cli-data-'));
}, 180_000);

afterAll(async () => {
  await mc?.close();
});

function cli(): LiveCliEnv & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (s) => (out += s),
    err: (s) => (err += s),
    kubeconfig: { env: { KUBECONFIG: mc.kubeconfig } },
    dataDir,
    appVersion: 'test',
    stdout: () => out,
    stderr: () => err,
  };
}

type TriageJson = ReturnType<typeof triageJson>;

describe('profscope capture', () => {
  it('captures a heap profile from a pod in the current context’s namespace, named as Fleet names it', async () => {
    const env = cli();
    const out = mkdtempSync(join(tmpdir(), 'profscope-cli-out-'));
    // No --context, no -n: kubectl's defaults (local, cattle-fleet-system).
    await runCapture([mc.victim.pod, '--kind', 'heap', '-o', out], env);
    const path = env.stdout().trim();
    expect(path.startsWith(out)).toBe(true);
    expect(path).toMatch(
      /\/\d{4}-\d\d-\d\d_\d\d_\d\d_?\d*\.pprof\.fleetcontroller\.samples\.heap\.pb\.gz$/,
    );
    expect(existsSync(`${path}.json`)).toBe(true);
    const profile = await decodeProfile(readFileSync(path));
    expect(profile.summary().totals.some((t) => t > 0)).toBe(true);
  });

  it('captures every pod a selector matches through the relative exec plugin', async () => {
    const env = cli();
    const out = mkdtempSync(join(tmpdir(), 'profscope-cli-out-'));
    await runCapture(
      ['--context', 'downstream-1', '-l', 'app=fleet-agent', '--kind', 'goroutine', '-o', out],
      env,
    );
    const paths = env.stdout().trim().split('\n');
    expect(paths).toHaveLength(3);
    for (const p of paths) expect(p).toMatch(/\.pprof\.fleetagent\.samples\.goroutine\.pb\.gz$/);
  });

  it('captures from a URL as go tool pprof takes one', async () => {
    const env = cli();
    const out = mkdtempSync(join(tmpdir(), 'profscope-cli-out-'));
    const { host, port } = mc.victim.pprof;
    await runCapture([`http://${host}:${port}`, '--kind', 'goroutine', '-o', out], env);
    const profile = await decodeProfile(readFileSync(env.stdout().trim()));
    expect(profile.summary().totals[0]).toBeGreaterThan(0);
  });

  it('says what RBAC refused, and usage errors are usage errors', async () => {
    const env = cli();
    await expect(runCapture(['-A'], env)).rejects.toThrow(LiveUsageError);
    await expect(runCapture(['--kind', 'nope', 'x'], env)).rejects.toThrow(/unknown kind "nope"/);
    await expect(
      runCapture(['-n', 'kube-system', 'some-pod', '--kind', 'heap'], env),
    ).rejects.toThrow(/cannot get resource "pods" in API group "" in the namespace "kube-system"/);
  });
});

describe('profscope triage', () => {
  it('captures every pod of two clusters and tells the culprit from its victim', async () => {
    const env = cli();
    await runTriageCommand(
      [
        '--context',
        'local',
        '--context',
        'downstream-1',
        '--kinds',
        'cpu,goroutine',
        '--seconds',
        '4',
        '--json',
      ],
      env,
    );
    const json = JSON.parse(env.stdout()) as TriageJson;
    const names = json.pods.map((p) => `${p.context}/${p.pod}`).sort();
    const expected = mc.pods
      .filter((p) => p.namespace === 'cattle-fleet-system' && p.context !== 'gone')
      .filter((p) => p.context === 'local' || p.context === 'downstream-1')
      .map((p) => `${p.context}/${p.pod}`)
      .sort();
    expect(names).toEqual(expected);
    const byPod = (name: string) => json.pods.find((p) => p.pod === name)!;
    const victim = byPod(mc.victim.pod);
    const culprit = byPod(mc.culprit.pod);
    // The victim serves what the culprit asks for: each one's CPU is on its own side of the
    // requests (both also spend much in GC and allocation, which is not what tells them apart).
    const share = (p: typeof victim, rule: string) =>
      p.summary?.breakdown?.find((b) => b.rule === rule)?.value ?? 0;
    expect(share(victim, 'Serving requests')).toBeGreaterThan(3 * share(victim, 'Making requests'));
    expect(share(culprit, 'Making requests')).toBeGreaterThan(
      3 * share(culprit, 'Serving requests'),
    );
    expect(culprit.captures.cpu?.file && existsSync(culprit.captures.cpu.file)).toBe(true);
    expect(culprit.captures.cpu?.unit).toBe('nanoseconds');
    // The culprit's CPU stands out among the agents.
    expect(culprit.flags.join(' ')).toMatch(/CPU/);
    expect(json.scopeErrors).toEqual([]);
  }, 120_000);

  it('prints a table; an unreachable context is reported while the others complete', async () => {
    const gone = await startMultiCluster('profscope-cli-gone-', { unreachableContext: true });
    try {
      const env = cli();
      env.kubeconfig = { env: { KUBECONFIG: gone.kubeconfig } };
      await runTriageCommand(['--all-contexts', '--kinds', 'heap'], env);
      const text = env.stdout();
      expect(text).toMatch(/^CONTEXT\s+NAMESPACE\s+POD\s+NODE\s+RESTARTS/);
      for (const p of gone.pods.filter((q) => q.namespace === 'cattle-fleet-system'))
        expect(text).toContain(p.pod);
      expect(text).toMatch(/error: context gone.*(cannot reach|ECONNREFUSED)/);
    } finally {
      await gone.close();
    }
  }, 120_000);
});
