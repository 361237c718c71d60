// `profscope traces` prints what `go tool pprof -traces` prints (issue 14's command line),
// line for line, on the Go profiles of every type in test/fixtures.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { withoutTime } from './reportText';
import { runTraces } from '../../../electron/cli/commands';

const hasGo = spawnSync('go', ['version']).status === 0;
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'pprof');

describe('profscope traces', () => {
  beforeAll(() => {
    process.env.TZ = 'UTC';
  });
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.pb.gz'));
  const cases: [string, string[]][] = [
    ...files.map((f): [string, string[]] => [f, []]),
    ['heap.pb.gz', ['-sample_index=alloc_space']],
  ];
  for (const [file, flags] of cases) {
    it(`${file} ${flags.join(' ')}`, async () => {
      if (!hasGo) {
        console.warn('SKIPPED: `go` is not on PATH');
        return;
      }
      const path = join(FIXTURES, file);
      const go = spawnSync('go', ['tool', 'pprof', '-traces', ...flags, path], {
        encoding: 'utf8',
        env: { ...process.env, TZ: 'UTC' },
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(go.status, go.stderr).toBe(0);
      let out = '';
      expect(await runTraces([path, ...flags], (s) => (out += s))).toBe(0);
      expect(withoutTime(out)).toBe(withoutTime(go.stdout));
    });
  }
});
