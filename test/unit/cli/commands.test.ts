import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConvert, runMerge, runTop } from '../../../electron/cli/commands';
import { setCliPool } from '../../../electron/cli/pool';
import { WorkerPool } from '../../../electron/services/summaries/pool';
import { summaryWorkerBundle } from '../app/summaryWorkerBundle';
import { decodeProfile } from '../../../renderer/model/index';
import { withoutTime } from './reportText';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const pprofDir = join(FIXTURES, 'pprof');

async function run(
  fn: typeof runTop,
  args: string[],
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await fn(
    args,
    (s) => (out += s),
    (s) => (err += s),
  );
  return { code, out, err };
}

describe('profscope top', () => {
  beforeAll(() => {
    process.env.TZ = 'UTC';
  });

  const goldens = readdirSync(pprofDir).filter((f) => f.endsWith('.top.txt'));
  for (const golden of goldens) {
    it(`prints what go tool pprof prints: ${golden}`, async () => {
      const [base, variant] = golden.split('.');
      const args = [join(pprofDir, `${base}.pb.gz`), '--nodecount', '20'];
      if (variant === 'lines') args.push('--lines');
      else if (variant !== 'top') args.push('--sample_index', variant);
      const r = await run(runTop, args);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(withoutTime(r.out)).toBe(withoutTime(readFileSync(join(pprofDir, golden), 'utf8')));
    });
  }

  it('merges several files', async () => {
    const dir = join(FIXTURES, 'continuous');
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.pb.gz'))
      .sort()
      .map((f) => join(dir, f));
    const r = await run(runTop, [...files, '--nodecount=20']);
    expect(r.code).toBe(0);
    expect(withoutTime(r.out)).toBe(
      withoutTime(readFileSync(join(FIXTURES, 'continuous.merged.top.txt'), 'utf8')),
    );
  });

  it('--json prints the table', async () => {
    const r = await run(runTop, [
      join(pprofDir, 'cpu.pb.gz'),
      '--json',
      '--nodecount',
      '5',
      '--focus',
      'sort',
    ]);
    const json = JSON.parse(r.out) as { rows: { name: string }[]; sampleType: { type: string } };
    expect(json.rows.length).toBe(5);
    expect(json.sampleType.type).toBe('cpu');
  });

  it('--base subtracts a profile', async () => {
    const dir = join(FIXTURES, 'continuous');
    const [a, b] = readdirSync(dir)
      .filter((f) => f.endsWith('.pb.gz'))
      .sort();
    const r = await run(runTop, [join(dir, b), '--base', join(dir, a), '--nodecount', '5']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Showing top 5 nodes');
  });

  it('reports decode errors with the file name and exit code 1', async () => {
    const file = join(pprofDir, 'goroutine-debug1.txt');
    const r = await run(runTop, [file]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      `${file}: not a pprof profile: this is the text goroutine dump (?debug=1); capture with ?debug=0 or without debug\n`,
    );
    const missing = await run(runTop, ['/nonexistent.pb.gz']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('/nonexistent.pb.gz');
    const mixed = await run(runTop, [join(pprofDir, 'cpu.pb.gz'), join(pprofDir, 'heap.pb.gz')]);
    expect(mixed.code).toBe(1);
    expect(mixed.err).toContain('incompatible');
  });

  it('rejects bad usage', async () => {
    expect((await run(runTop, [join(pprofDir, 'cpu.pb.gz'), '--bogus'])).code).toBe(2);
    expect(
      (await run(runTop, [join(pprofDir, 'cpu.pb.gz'), '--sample_index', 'nope'])).err,
    ).toContain('samples, cpu');
  });
});

describe('profscope convert and merge', () => {
  const dir = mkdtempSync(join(tmpdir(), 'profscope-cli-'));

  it('converts to every format', async () => {
    const src = join(pprofDir, 'cpu.pb.gz');
    for (const to of ['pprof', 'speedscope', 'collapsed']) {
      const target = join(dir, `cpu.${to}`);
      const r = await run(runConvert, [src, '--to', to, '-o', target]);
      expect(r.code).toBe(0);
      const bytes = readFileSync(target);
      if (to === 'pprof')
        expect((await decodeProfile(bytes)).summary().totals[1]).toBe(14_750_000_000);
      if (to === 'speedscope') {
        const json = JSON.parse(bytes.toString('utf8')) as { profiles: { type: string }[] };
        expect(json.profiles[0].type).toBe('sampled');
      }
      if (to === 'collapsed') expect(bytes.toString('utf8')).toMatch(/^main\.main\.func1;.* \d+$/m);
    }
    expect((await run(runConvert, [src, '--to', 'svg', '-o', join(dir, 'x')])).code).toBe(2);
  });

  it('merges into a pprof file', async () => {
    const cdir = join(FIXTURES, 'continuous');
    const files = readdirSync(cdir)
      .filter((f) => f.endsWith('.pb.gz'))
      .map((f) => join(cdir, f));
    const target = join(dir, 'merged.pb.gz');
    const r = await run(runMerge, [...files, '-o', target]);
    expect(r.code).toBe(0);
    const merged = await decodeProfile(readFileSync(target));
    let total = 0;
    for (const f of files) total += (await decodeProfile(readFileSync(f))).summary().totals[1];
    expect(merged.summary().totals[1]).toBe(total);
  });
});

describe('many files, decoded in the worker pool', () => {
  const hasGo = spawnSync('go', ['version']).status === 0;
  const dir = mkdtempSync(join(tmpdir(), 'profscope-cli-pool-'));
  const folder = (name: string) =>
    readdirSync(join(FIXTURES, name))
      .sort()
      .map((f) => join(FIXTURES, name, f));
  const continuous = folder('continuous');
  const both = [...continuous, ...folder('continuous-workload')];
  let pool: WorkerPool;

  beforeAll(async () => {
    process.env.TZ = 'UTC';
    // Three workers: the 14 files go in uneven shards (5, 5, 4).
    pool = new WorkerPool({ script: await summaryWorkerBundle(), size: 3 });
  });
  afterAll(async () => {
    setCliPool(null);
    await pool.close();
  });

  const digest = (b: Buffer) =>
    `${b.length} bytes, sha256 ${createHash('sha256').update(b).digest('hex')}`;

  /** `fn args` in the pool, then on this thread alone. */
  async function pooledAndNot(fn: typeof runTop, args: string[]) {
    setCliPool(pool);
    const pooled = await run(fn, args);
    setCliPool(new WorkerPool({ script: null }));
    const alone = await run(fn, args);
    setCliPool(pool);
    return { pooled, alone };
  }

  for (const flags of [[], ['-nodecount=100000', '-nodefraction=0']]) {
    it(`top ${[...flags, 'continuous/*'].join(' ')} prints what go tool pprof -top prints`, async () => {
      if (!hasGo) {
        console.warn('SKIPPED: `go` is not on PATH');
        return;
      }
      setCliPool(pool);
      const go = spawnSync('go', ['tool', 'pprof', '-top', ...flags, ...continuous], {
        encoding: 'utf8',
        env: { ...process.env, TZ: 'UTC' },
      });
      expect(go.status, go.stderr).toBe(0);
      const r = await run(runTop, [...continuous, ...flags]);
      expect(r.err).toBe('');
      expect(pool.workers).toBeGreaterThan(1);
      expect(withoutTime(r.out)).toBe(withoutTime(go.stdout));
    });
  }

  it('merge, convert and top give what a merge on this thread gives, byte for byte', async () => {
    const outputs = async (tag: string) => {
      const pprof = join(dir, `${tag}.pb.gz`);
      expect((await run(runMerge, [...both, '-o', pprof])).code).toBe(0);
      // Digests: a failing comparison of megabytes would take vitest minutes to print.
      const texts = [digest(readFileSync(pprof))];
      for (const to of ['speedscope', 'collapsed']) {
        const target = join(dir, `${tag}.${to}`);
        expect((await run(runConvert, [...both, '--to', to, '-o', target])).code).toBe(0);
        texts.push(digest(readFileSync(target)));
      }
      texts.push((await run(runTop, [...both, '--lines', '--nodecount=50'])).out);
      return texts;
    };
    setCliPool(pool);
    const pooled = await outputs('pooled');
    setCliPool(new WorkerPool({ script: null }));
    const alone = await outputs('alone');
    setCliPool(pool);
    expect(pooled).toEqual(alone);
  });

  it('fails as a merge on this thread fails: the first bad file, differing types', async () => {
    const corrupt = join(dir, 'corrupt.pb.gz');
    writeFileSync(corrupt, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]));
    const cases = [
      [...both.slice(0, 9), corrupt, ...both.slice(9), '/nonexistent.pb.gz'],
      [...both.slice(0, 3), '/nonexistent.pb.gz', ...both.slice(3), corrupt],
      [...both.slice(0, 12), join(pprofDir, 'heap.pb.gz'), ...both.slice(12)],
      [join(pprofDir, 'heap.pb.gz'), ...both],
    ];
    for (const files of cases) {
      const { pooled, alone } = await pooledAndNot(runTop, files);
      expect(pooled.code).toBe(1);
      expect(pooled).toEqual(alone);
    }
  });
});
