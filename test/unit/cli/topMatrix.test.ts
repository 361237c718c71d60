// `profscope top` against `go tool pprof -top` over every Go fixture type and one continuous
// profile, with each flag set that makes sense (issue 16, item 5): the whole report must be the
// same, header and "Active filters:" included. The go processes run two at a time while the
// comparisons proceed.
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { withoutTime } from './reportText';
import { runTop } from '../../../electron/cli/commands';

const hasGo = spawnSync('go', ['version']).status === 0;
const ROOT = join(__dirname, '..', '..', 'fixtures');

interface Fixture {
  path: string;
  /** A profile of the same type for -base / -diff_base. */
  base: string;
  /** Label keys for -tagroot / -tagleaf (ones the file lacks give pprof's empty frame). */
  label: string;
  other: string;
}

const pprofFixture = (type: string, label = 'controller', other = 'bytes'): Fixture => ({
  path: join(ROOT, 'pprof', `${type}.pb.gz`),
  base: join(ROOT, 'workload-out', `${type}.pb.gz`),
  label,
  other,
});

const CONTINUOUS = 'pprof.fleetcontroller.samples.cpu.pb.gz';
const FIXTURES: Fixture[] = [
  pprofFixture('cpu'),
  pprofFixture('heap', 'bytes', 'controller'),
  pprofFixture('allocs', 'bytes', 'controller'),
  pprofFixture('goroutine'),
  pprofFixture('block'),
  pprofFixture('mutex'),
  pprofFixture('threadcreate'),
  {
    path: join(ROOT, 'continuous', `2026-11-24_13_50_29.${CONTINUOUS}`),
    base: join(ROOT, 'continuous', `2026-11-24_13_50_55.${CONTINUOUS}`),
    label: 'controller',
    other: 'stage',
  },
];

const FLAG_SETS: ((f: Fixture) => string[])[] = [
  () => [],
  () => ['-noinlines'],
  () => ['-noinlines', '-lines'],
  () => ['-noinlines', '-addresses', '-nodecount=20'],
  () => ['-filefunctions'],
  () => ['-filefunctions', '-noinlines', '-cum'],
  () => ['-show_from=main\\.'],
  () => ['-show_from=runtime\\.', '-cum', '-nodecount=15'],
  () => ['-show_from=flate|json|sync', '-noinlines'],
  () => ['-show_from=flate|json', '-lines', '-nodecount=25'],
  () => ['-show_from=workload', '-addresses', '-nodecount=15'],
  () => ['-show_from=.', '-noinlines', '-nodecount=15'],
  () => ['-hide=main\\.', '-show_from=main\\.'],
  () => ['-show=main\\.|sync', '-show_from=main\\.'],
  (f) => [`-tagroot=${f.label}`],
  (f) => [`-tagleaf=${f.label}`, '-nodecount=12'],
  (f) => [`-tagroot=${f.label},${f.other}`, `-tagleaf=${f.other}`, '-cum', '-nodecount=12'],
  (f) => [`-tagroot=${f.label}`, '-focus=bundle|^$', '-files'],
  (f) => [`-tagroot=${f.label}`, '-ignore=cluster'],
  (f) => [`-tagroot=${f.label}`, `-hide=^${f.label}$`],
  (f) => [`-tagleaf=${f.label}`, '-filefunctions', '-nodecount=10'],
  (f) => [`-tagleaf=${f.label}`, '-show_from=main\\.', '-lines', '-nodecount=20'],
  () => ['-noinlines', '-focus=main\\.', '-hide=runtime'],
  () => ['-focus=', '-tagshow=', '-noinlines', '-nodecount=5'],
  () => [`-focus=main\\.(${'abcdefghij|'.repeat(8)}main)`, '-nodecount=5'],
  () => ['-tagshow=contr', '-taghide=stage'],
  () => [
    '-focus=main',
    '-ignore=json',
    '-hide=runtime\\.',
    '-show=main|sync|flate',
    '-show_from=main',
    '-tagignore=stage=poll',
    '-tagshow=contr',
    '-taghide=stage',
  ],
  () => ['-trim=false'],
  () => ['-trim=false', '-nodecount=5', '-nodefraction=0.5'],
  () => ['-trim=true', '-cum=false', '-nodecount=10'],
  () => ['-divide_by=1000'],
  () => ['-divide_by=3', '-cum', '-nodecount=10'],
  () => ['-divide_by=0.25', '-nodecount=10'],
  () => ['-divide_by=-2', '-nodecount=10'],
  () => ['-edgefraction=0.5', '-nodecount=10'],
  () => ['-edgefraction=0.05', '-nodefraction=0.01'],
  () => ['-nodefraction=0', '-edgefraction=0', '-noinlines'],
  () => ['-divide_by=1e3', '-lines', '-nodecount=10'],
  (f) => [`-base=${f.base}`],
  (f) => [`-diff_base=${f.base}`],
  (f) => ['-normalize', `-base=${f.base}`],
  (f) => ['-normalize', `-diff_base=${f.base}`, '-nodecount=20'],
  (f) => ['-cum', `-base=${f.base}`, '-noinlines'],
  (f) => [`-diff_base=${f.base}`, '-show_from=main\\.'],
  (f) => ['-normalize', `-base=${f.base}`, '-divide_by=7', `-tagroot=${f.label}`],
  (f) => [
    '-noinlines',
    '-show_from=main\\.',
    `-tagroot=${f.label}`,
    '-divide_by=2',
    '-trim=false',
    '-cum',
  ],
];

const pprofFile = (type: string): string => join(ROOT, 'pprof', `${type}.pb.gz`);
const continuousFile = (i: number): string =>
  FIXTURES[FIXTURES.length - 1].path.replace('13_50_29', ['13_50_34', '13_50_40'][i]);

/** Cases for one file type (other sample types) or several files. */
const EXTRA: { paths: string[]; flags: string[] }[] = [
  {
    paths: [pprofFile('heap')],
    flags: ['-sample_index=alloc_space', '-noinlines', '-show_from=main'],
  },
  { paths: [pprofFile('heap')], flags: ['-sample_index=inuse_objects', '-tagleaf=bytes', '-cum'] },
  { paths: [pprofFile('allocs')], flags: ['-sample_index=alloc_objects', '-tagroot=bytes'] },
  { paths: [pprofFile('block')], flags: ['-sample_index=contentions', '-divide_by=10'] },
  { paths: [pprofFile('mutex')], flags: ['-sample_index=contentions', '-noinlines'] },
  { paths: [pprofFile('cpu')], flags: ['-sample_index=samples', '-divide_by=100'] },
  {
    paths: [FIXTURES[FIXTURES.length - 1].path, continuousFile(0), continuousFile(1)],
    flags: ['-tagroot=controller', '-noinlines', '-nodecount=20'],
  },
  {
    paths: [FIXTURES[FIXTURES.length - 1].path, continuousFile(0)],
    flags: ['-show_from=main', '-cum', `-diff_base=${continuousFile(1)}`],
  },
];

const CASES = [
  ...FIXTURES.flatMap((f) => FLAG_SETS.map((set) => ({ paths: [f.path], flags: set(f) }))),
  ...EXTRA,
];

interface GoRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** `go tool pprof -top` of every case, at most two at a time, started once for all tests. */
function runGoCases(): Promise<GoRun>[] {
  const runs: Promise<GoRun>[] = [];
  const lanes: Promise<unknown>[] = [Promise.resolve(), Promise.resolve()];
  CASES.forEach(({ paths, flags }, i) => {
    const lane = i % lanes.length;
    const run = lanes[lane].then(
      () =>
        new Promise<GoRun>((resolve) => {
          execFile(
            'go',
            ['tool', 'pprof', '-top', ...flags, ...paths],
            { env: { ...process.env, TZ: 'UTC' }, maxBuffer: 64 * 1024 * 1024 },
            (error, stdout, stderr) => {
              const code = error && typeof error.code === 'number' ? error.code : error ? 1 : 0;
              resolve({ status: code, stdout, stderr });
            },
          );
        }),
    );
    lanes[lane] = run;
    runs.push(run);
  });
  return runs;
}

describe('profscope top flag matrix', () => {
  let goRuns: Promise<GoRun>[] = [];
  beforeAll(() => {
    process.env.TZ = 'UTC';
    if (hasGo) goRuns = runGoCases();
  });
  CASES.forEach(({ paths, flags }, i) => {
    const name = [...flags, ...paths].join(' ').replaceAll(`${ROOT}/`, '');
    it(name.replace(/\d{4}-\d\d-\d\d_(\d\d_\d\d_\d\d)\.pprof[.\w]*/g, '$1'), async () => {
      if (!hasGo) {
        console.warn('SKIPPED: `go` is not on PATH');
        return;
      }
      let out = '';
      let err = '';
      const status = await runTop(
        [...paths, ...flags],
        (s) => (out += s),
        (s) => (err += s),
      );
      const go = await goRuns[i];
      expect(go.status, go.stderr).toBe(0);
      expect(status, err).toBe(0);
      expect(withoutTime(out)).toBe(withoutTime(go.stdout));
    });
  });
});
