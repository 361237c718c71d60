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
import { Profile as PProfile } from 'pprof-format';
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
});
