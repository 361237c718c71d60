// Mangled C++ and Rust names (issue 16): `go tool pprof` demangles a function's system name
// by default, without parameters or template arguments; so does profscope. The names are
// real symbols, each with what Go's demangle package (the one pprof uses) makes of it.
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
import { demangle } from '../../../renderer/model/profile/demangle';
import { fixtureText } from '../model/helpers';

const hasGo = spawnSync('go', ['version']).status === 0;

const NAMES: [mangled: string, demangled: string][] = fixtureText('demangle', 'names.tsv')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => {
    const [m, d] = l.split('\t');
    return [m, d];
  });

/** A profile with one function per name, its name and system name the mangled one. */
function profile(): Uint8Array {
  const st = new StringTable();
  const functions = NAMES.map(
    ([m], i) => new PFunction({ id: i + 1, name: st.dedup(m), systemName: st.dedup(m) }),
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

describe('mangled names', () => {
  it('demangles each real name as Go’s demangle package does for pprof', () => {
    expect(NAMES.length).toBeGreaterThan(400);
    const wrong = NAMES.filter(([m, d]) => demangle(m) !== d).map(([m]) => m);
    expect(wrong).toEqual([]);
    // Lambdas, thunks and local names print the enclosing function's parameters.
    expect(NAMES.filter(([, d]) => d.includes('(')).length).toBeGreaterThan(50);
  });

  it('leaves what is not a mangled name (or not one it reads) as it is', () => {
    for (const name of ['main.main', '_Z', '_Zfoo', '_ZN3foo', 'runtime._ExternalCode']) {
      expect(demangle(name)).toBe(name);
    }
  });

  it('profscope top names functions as go tool pprof -top does', async () => {
    if (!hasGo) {
      console.warn('SKIPPED: `go` is not on PATH');
      return;
    }
    const file = join(mkdtempSync(join(tmpdir(), 'profscope-demangle-')), 'mangled.pb.gz');
    writeFileSync(file, profile());
    const flags = ['-nodefraction=0', '-nodecount=1000'];
    const go = spawnSync('go', ['tool', 'pprof', '-top', ...flags, file], { encoding: 'utf8' });
    expect(go.status, go.stderr).toBe(0);
    let out = '';
    expect(await runTop([file, ...flags], (s) => (out += s))).toBe(0);
    expect(rows(out)).toEqual(rows(go.stdout));
    expect(rows(out).length).toBeGreaterThan(300);
    expect(out).toContain(' std::vector::');
  });
});
