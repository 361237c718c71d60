import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runConvert, runMerge, runTop } from '../../../electron/cli/commands';
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
