// `profscope top` with more of pprof's flags (issue 16, item 5): -cum and -nodefraction, the
// whole report compared with `go tool pprof -top` on real Go profiles.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { withoutTime } from './reportText';
import { runTop } from '../../../electron/cli/commands';

const hasGo = spawnSync('go', ['version']).status === 0;
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'pprof');

const CASES: [string, string[]][] = [
  ['cpu.pb.gz', ['-cum']],
  ['cpu.pb.gz', ['-cum', '-nodecount=7']],
  ['heap.pb.gz', ['-cum', '-nodefraction=0.05']],
  ['cpu.pb.gz', ['-nodefraction=0.1']],
  ['goroutine.pb.gz', ['-nodefraction=0', '-nodecount=12']],
];

describe('profscope top flags', () => {
  beforeAll(() => {
    process.env.TZ = 'UTC';
  });
  for (const [file, flags] of CASES) {
    it(`${file} ${flags.join(' ')} prints what go tool pprof -top prints`, async () => {
      if (!hasGo) {
        console.warn('SKIPPED: `go` is not on PATH');
        return;
      }
      const path = join(FIXTURES, file);
      const go = spawnSync('go', ['tool', 'pprof', '-top', ...flags, path], {
        encoding: 'utf8',
        env: { ...process.env, TZ: 'UTC' },
      });
      expect(go.status, go.stderr).toBe(0);
      let out = '';
      expect(await runTop([path, ...flags], (s) => (out += s))).toBe(0);
      expect(withoutTime(out)).toBe(withoutTime(go.stdout));
    });
  }
});
