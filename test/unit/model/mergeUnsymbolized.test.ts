// Issue 16, item 3: merging unsymbolized profiles as `go tool pprof a b` does. pprof keeps one
// mapping per binary by its build ID, else its path (profile.Merge's mapping key: size rounded
// to 4 KiB, file offset, build ID or file), moves addresses with a binary loaded elsewhere, and
// names an address-only frame by its binary's base name while keeping binaries of one base name
// at different paths apart: two "[app]" rows. The profile is a real unsymbolized C++ CPU
// profile (pprof's testdata cppbench.cpu, converted by `go tool pprof -proto`), its main
// binary moved, renamed or given a build ID.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  Function as PFunction,
  Line,
  Location,
  Mapping,
  Profile as PProfile,
  Sample,
  StringTable,
  ValueType,
} from 'pprof-format';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTop } from '../../../electron/cli/commands';
import { decodeProfile, mergeProfiles } from '../../../renderer/model/index';
import { withoutTime } from '../cli/reportText';
import { fixture } from './helpers';

const hasGo = spawnSync('go', ['version']).status === 0;
const MAIN = 'cppbench_server_main';
const ELSEWHERE = `/other/place/${MAIN}`;
/** How far the "shifted" copy's main binary was loaded from the original's. */
const SHIFT = 0x200000;

/** The real profile with its main binary's mapping (mapping 1) changed by `edit`. */
function variant(edit: (p: PProfile) => void): Uint8Array {
  const raw = gunzipSync(fixture('unsymbolized', 'cppbench.cpu.pb.gz'));
  const p = PProfile.decode(new Uint8Array(raw));
  edit(p);
  return new Uint8Array(gzipSync(p.encode()));
}

const VARIANTS = {
  original: variant(() => undefined),
  moved: variant((p) => {
    p.mapping[0].filename = p.stringTable.dedup(ELSEWHERE);
  }),
  withBuildId: variant((p) => {
    p.mapping[0].buildId = p.stringTable.dedup('0123abcd');
  }),
  movedWithBuildId: variant((p) => {
    p.mapping[0].filename = p.stringTable.dedup(ELSEWHERE);
    p.mapping[0].buildId = p.stringTable.dedup('0123abcd');
  }),
  shifted: variant((p) => {
    const m = p.mapping[0];
    m.memoryStart = Number(m.memoryStart) + SHIFT;
    m.memoryLimit = Number(m.memoryLimit) + SHIFT;
    for (const l of p.location)
      if (Number(l.mappingId) === Number(m.id)) l.address = Number(l.address) + SHIFT;
  }),
};
type Variant = keyof typeof VARIANTS;

async function merged(...names: Variant[]) {
  return mergeProfiles(await Promise.all(names.map((n) => decodeProfile(VARIANTS[n]))));
}

describe('merging unsymbolized profiles', () => {
  let dir = '';
  beforeAll(() => {
    process.env.TZ = 'UTC';
    dir = mkdtempSync(join(tmpdir(), 'profscope-unsymbolized-'));
    for (const [name, b] of Object.entries(VARIANTS)) writeFileSync(join(dir, `${name}.pb.gz`), b);
  });

  it('one mapping per build ID, else per path; a moved binary is one mapping', async () => {
    const files = async (...names: Variant[]) => {
      const p = await merged(...names);
      return [...p.mappings.file].map((f) => p.str(f));
    };
    const libs = ['/lib/libpthread-2.15.so', '/lib/libc-2.15.so'];
    expect(await files('original', 'moved')).toEqual([MAIN, ...libs, ELSEWHERE]);
    expect(await files('withBuildId', 'movedWithBuildId')).toEqual([MAIN, ...libs]);
    expect(await files('original', 'shifted')).toEqual([MAIN, ...libs]);
    // The shifted copy's addresses are moved back into the first copy's mapping.
    const p = await merged('original', 'shifted');
    const original = await decodeProfile(VARIANTS.original);
    expect(p.locations.id.length).toBe(original.locations.id.length);
  });

  const CASES: [Variant[], string[]][] = [
    [['original', 'moved'], []],
    [
      ['moved', 'original'],
      ['-addresses', '-nodefraction=0'],
    ],
    [['withBuildId', 'movedWithBuildId'], []],
    [['original', 'shifted'], []],
    [['original', 'shifted'], ['-addresses']],
  ];
  it.each(CASES)(
    '%s %s: profscope top prints what go tool pprof -top prints',
    async (names, flags) => {
      if (!hasGo) {
        console.warn('SKIPPED: `go` is not on PATH');
        return;
      }
      const paths = names.map((n) => join(dir, `${n}.pb.gz`));
      const go = spawnSync('go', ['tool', 'pprof', '-top', ...flags, ...paths], {
        encoding: 'utf8',
      });
      expect(go.status, go.stderr).toBe(0);
      let out = '';
      expect(await runTop([...paths, ...flags], (s) => (out += s))).toBe(0);
      expect(withoutTime(out)).toBe(withoutTime(go.stdout));
    },
  );

  it('two binaries of one name at different paths are two rows', async () => {
    let out = '';
    const paths = (['original', 'moved'] as const).map((n) => join(dir, `${n}.pb.gz`));
    expect(await runTop(paths, (s) => (out += s))).toBe(0);
    expect(out.split('\n').filter((l) => l.endsWith(`[${MAIN}]`))).toHaveLength(2);
  });

  // pprof's nodeInfo keeps a frame's binary and its function's start line whenever the frame
  // has no function name, which at -files none has: one file in two binaries is two rows.
  it('-files: one file of two binaries, or of two functions, is one row each, as in pprof', async () => {
    if (!hasGo) {
      console.warn('SKIPPED: `go` is not on PATH');
      return;
    }
    const st = new StringTable();
    const mapping = (id: number, file: string) =>
      new Mapping({
        id,
        memoryStart: id * 0x10000,
        memoryLimit: id * 0x10000 + 0x1000,
        filename: st.dedup(file),
        hasFunctions: true,
      });
    const fn = (id: number, name: string, startLine: number) =>
      new PFunction({
        id,
        name: st.dedup(name),
        systemName: st.dedup(name),
        filename: st.dedup('same.go'),
        startLine,
      });
    const loc = (id: number, mappingId: number, functionId: number) =>
      new Location({
        id,
        mappingId,
        address: mappingId * 0x10000 + id * 0x10,
        line: [new Line({ functionId, line: 10 + id })],
      });
    const p = new PProfile({
      sampleType: [new ValueType({ type: st.dedup('samples'), unit: st.dedup('count') })],
      mapping: [mapping(1, '/bin/a'), mapping(2, '/bin/b')],
      function: [fn(1, 'x', 3), fn(2, 'y', 9)],
      location: [loc(1, 1, 1), loc(2, 2, 2), loc(3, 1, 2)],
      sample: [1, 2, 3].map((id) => new Sample({ locationId: [id], value: [id * 2] })),
      stringTable: st,
    });
    const file = join(dir, 'twofiles.pb.gz');
    writeFileSync(file, gzipSync(p.encode()));
    const go = spawnSync('go', ['tool', 'pprof', '-top', '-files', file], { encoding: 'utf8' });
    expect(go.status, go.stderr).toBe(0);
    let out = '';
    expect(await runTop([file, '-files'], (s) => (out += s))).toBe(0);
    expect(withoutTime(out)).toBe(withoutTime(go.stdout));
    expect(out.split('\n').filter((l) => l.endsWith(' same.go'))).toHaveLength(3);
  });
});
