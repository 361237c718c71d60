// The built CLI as users run it: `kubectl profscope …` through kubectl's plugin mechanism
// (kubectl-profscope on the PATH), and `profscope` refusing an unknown command with its usage
// instead of opening a window.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMultiCluster, type MultiCluster } from '../k8s/multiCluster';

const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const hasKubectl = spawnSync(KUBECTL, ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!hasKubectl) console.warn(`kubectl not found (${KUBECTL}): skipping "kubectl profscope"`);

let mc: MultiCluster;
let binDir: string;
const CLI = resolve('bin/profscope.cjs');

beforeAll(async () => {
  mc = await startMultiCluster('profscope-e2e-plugin-', {});
  binDir = mkdtempSync(join(tmpdir(), 'profscope-plugin-bin-'));
  // What `npm install -g` makes: kubectl-profscope on the PATH.
  symlinkSync(resolve('bin/kubectl-profscope.cjs'), join(binDir, 'kubectl-profscope'));
}, 180_000);

afterAll(async () => {
  await mc?.close();
});

describe('the command line', () => {
  it('kubectl profscope triage -l app=fleet-agent --json', async () => {
    if (!hasKubectl) return;
    // Not spawnSync: the fake API servers live in this process and must keep answering.
    const run = await promisify(execFile)(
      KUBECTL,
      [
        'profscope',
        'triage',
        '--context',
        'downstream-1',
        '-l',
        'app=fleet-agent',
        '--kinds',
        'heap,goroutine',
        '--json',
      ],
      {
        encoding: 'utf8',
        cwd: tmpdir(),
        env: {
          ...process.env,
          PATH: `${binDir}${delimiter}${process.env.PATH}`,
          KUBECONFIG: mc.kubeconfig,
          XDG_DATA_HOME: join(mc.dir, 'data'),
        },
        timeout: 120_000,
      },
    );
    expect(run.stderr).toBe('');
    const json = JSON.parse(run.stdout) as {
      pods: {
        context: string;
        pod: string;
        captures: Record<string, { file: string; total: number }>;
      }[];
    };
    const agents = mc.pods.filter((p) => p.context === 'downstream-1').map((p) => p.pod);
    expect(json.pods.map((p) => p.pod).sort()).toEqual(agents.sort());
    for (const p of json.pods) {
      expect(p.captures.heap.file).toContain(join(mc.dir, 'data', 'profscope', 'library'));
      expect(p.captures.goroutine.total).toBeGreaterThan(0);
    }
  });

  it('an unknown command is an error with the usage, not a window', () => {
    const run = spawnSync(process.execPath, [CLI, 'trriage'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown command "trriage"/);
    expect(run.stderr).toMatch(/profscope triage \[--context NAME/);
    const bad = spawnSync(process.execPath, [CLI, 'triage', '--bogus'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/Unknown option '--bogus'/);
  });
});
