// Names as `go tool pprof` shows them by default (issue 16, item 4): demangled C++ loses its
// argument lists and template parameters; Go, Java and names a producer already rewrote stay.
// A profile made with pprof-format, read by `go tool pprof -top` and `profscope top`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  Function as PFunction,
  Line,
  Location,
  Profile as PProfile,
  Sample,
  StringTable,
  ValueType,
} from 'pprof-format';
import { describe, expect, it } from 'vitest';
import { runTop } from '../../../electron/cli/commands';
import { removeMatching } from '../../../renderer/model/profile/cppNames';

const hasGo = spawnSync('go', ['version']).status === 0;

/** [name, system name] of each function; '' where the producer left it unset. */
const NAMES: [string, string][] = [
  ['std::vector<int, std::allocator<int> >::push_back(int const&)', ''],
  ['(anonymous namespace)::Worker::Run() const', ''],
  ['absl::Mutex::Lock()', 'absl::Mutex::Lock()'],
  ['java.util.HashMap.<init>', ''],
  ['main.(*Cache[...]).Get', ''],
  ['main.Sum[...]', ''],
  ['Already::Rewritten', 'Already::Rewritten<T>(x)'],
  ['', 'only::system<int>(char)'],
  ['unbalanced<(', ''],
];

function profile(): Uint8Array {
  const st = new StringTable();
  const functions = NAMES.map(
    ([name, sys], i) =>
      new PFunction({
        id: i + 1,
        name: st.dedup(name),
        systemName: st.dedup(sys === '' && name !== '' ? name : sys),
      }),
  );
  const locations = NAMES.map(
    (_, i) => new Location({ id: i + 1, line: [new Line({ functionId: i + 1 })] }),
  );
  const samples = NAMES.map((_, i) => new Sample({ locationId: [i + 1], value: [i + 1] }));
  return gzipSync(
    new PProfile({
      sampleType: [new ValueType({ type: st.dedup('samples'), unit: st.dedup('count') })],
      sample: samples,
      location: locations,
      function: functions,
      stringTable: st,
    }).encode(),
  );
}

function rows(text: string): string[] {
  const lines = text.split('\n');
  return lines.slice(lines.findIndex((l) => l.trim().startsWith('flat'))).filter((l) => l.trim());
}

describe('C++ names', () => {
  it('removeMatching drops outermost groups and leaves unbalanced names whole', () => {
    expect(removeMatching('a<b<c>>::d<e>()', '<', '>')).toBe('a::d()');
    expect(removeMatching('f(int)(char)', '(', ')')).toBe('f');
    expect(removeMatching('x>y<', '<', '>')).toBe('x>y<');
  });

  it('profscope top names functions as go tool pprof -top does', async () => {
    if (!hasGo) {
      console.warn('SKIPPED: `go` is not on PATH');
      return;
    }
    const file = join(mkdtempSync(join(tmpdir(), 'profscope-cpp-')), 'cpp.pb.gz');
    writeFileSync(file, profile());
    const go = spawnSync('go', ['tool', 'pprof', '-top', file], { encoding: 'utf8' });
    expect(go.status, go.stderr).toBe(0);
    let out = '';
    expect(
      await runTop(
        [file],
        (s) => (out += s),
        () => undefined,
      ),
    ).toBe(0);
    expect(rows(out)).toEqual(rows(go.stdout));
    expect(out).toContain('std::vector::push_back');
  });
});
