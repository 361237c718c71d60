// Filters promise Go's regexp: the same matches as Go's regexp.MatchString (checked against a
// real Go program) and Go's linear time, where JavaScript's RegExp backtracks for minutes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { compileGoRegexp, goRegexpError } from '../../../renderer/model/goRegexp';

const hasGo = spawnSync('go', ['version']).status === 0;

const CASES: [string, string][] = [
  ['^(.|.)*xyz$', 'k8s.io/client-go/tools/cache.(*Reflector).ListAndWatch.func1.2'],
  ['\\Qmain.(*T)\\E', 'main.(*T).Run'],
  ['(?P<pkg>net/http)\\.', 'net/http.(*conn).serve'],
  ['(?i)RUNTIME\\.MALLOCGC', 'runtime.mallocgc'],
  ['(?U)a+', 'aaa'],
  ['\\pL+\\.\\pN', 'runtime.1'],
  ['[[:upper:]]', 'main.Foo'],
  ['^sort\\.', 'sort.Sort'],
  ['^sort\\.', 'xsort.Sort'],
  ['a{2,3}b', 'caab'],
  ['\\bhttp\\b', 'net/http.Get'],
  ['encoding/(json|xml)', 'encoding/json.Marshal'],
  ['x*', ''],
];

describe('compileGoRegexp', () => {
  it('matches what Go’s regexp.MatchString matches', () => {
    if (!hasGo) {
      console.warn('SKIPPED: `go` is not on PATH, so Go regexp semantics were not compared');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'profscope-goregexp-'));
    writeFileSync(
      join(dir, 'main.go'),
      `package main
import ("encoding/json"; "fmt"; "os"; "regexp")
func main() {
  var cases [][2]string
  json.NewDecoder(os.Stdin).Decode(&cases)
  for _, c := range cases {
    re, err := regexp.Compile(c[0])
    if err != nil { fmt.Println("invalid"); continue }
    fmt.Println(re.MatchString(c[1]))
  }
}
`,
    );
    const go = spawnSync('go', ['run', 'main.go'], {
      cwd: dir,
      input: JSON.stringify(CASES),
      encoding: 'utf8',
      env: { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', GO111MODULE: 'off' },
    });
    expect(go.stderr).toBe('');
    const want = go.stdout.trim().split('\n');
    const got = CASES.map(([re, s]) => {
      const c = compileGoRegexp(re);
      return c ? String(c.test(s)) : 'invalid';
    });
    expect(got).toEqual(want);
  });

  it('says why a pattern is refused, in Go’s words', () => {
    expect(goRegexpError('sort.(')).toBe('missing closing ): `sort.(`');
    expect(goRegexpError('sort.')).toBe('');
  });

  it('refuses what Go refuses (backreferences, lookahead)', () => {
    expect(compileGoRegexp('(a)\\1')).toBeNull();
    expect(compileGoRegexp('a(?=b)')).toBeNull();
    expect(compileGoRegexp('(')).toBeNull();
  });

  it('takes linear time on a pattern that backtracks in JavaScript', () => {
    // In a child process with a deadline: a backtracking engine would hang this test, not fail it.
    const dir = mkdtempSync(join(tmpdir(), 'profscope-goregexp-'));
    const bundle = join(dir, 'goRegexp.cjs');
    buildSync({
      entryPoints: [join(__dirname, '../../../renderer/model/goRegexp.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      logLevel: 'silent',
    });
    const script = `const re = require(${JSON.stringify(bundle)}).compileGoRegexp('^(.|.)*xyz$');
      process.stdout.write(String(re.test('a'.repeat(5000))));`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(run.signal).toBeNull();
    expect(run.stdout).toBe('false');
  });
});
