// Issue 16, item 7: on corrupt profiles profscope refuses what `go tool pprof` refuses (with a
// typed error) and reads what it reads, as it reads it. Each file is hand-built protobuf; what
// pprof does with it is recorded here from Go 1.19's pprof and checked against the real one
// when `go` is there, and where both read a file their -top reports must be the same.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTop } from '../../../electron/cli/commands';
import { decodeProfile, ProfileError } from '../../../renderer/model/index';
import type { ProfileErrorCode } from '../../../renderer/model/index';
import { withoutTime } from '../cli/reportText';
import { bytes, concat, uint } from '../../hostile/protobuf';

const hasGo = spawnSync('go', ['version']).status === 0;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
type Part = Uint8Array | number[];

const STRINGS = ['', 'samples', 'count', 'main.f', 'main.g', 'f.go', '/bin/app'];
const S = (s: string): number => STRINGS.indexOf(s);
/** Index of the first string appended after STRINGS. */
const EXTRA = STRINGS.length;

/** The parts of a small valid profile (main.g calls main.f) that a case replaces. */
interface Parts {
  head?: Part[];
  sampleType?: Part[];
  sample2?: Part[];
  mapping?: Part[];
  locationF?: Part[];
  lineF?: Part[];
  functionF?: Part[];
  functionG?: Part[];
  extraStrings?: Part[];
  tail?: Part[];
}

const functionF = [uint(1, 1), uint(2, S('main.f')), uint(3, S('main.f')), uint(4, S('f.go'))];
const lineF = [uint(1, 1), uint(2, 10)];
const mapping = [uint(1, 1), uint(2, 0x1000), uint(3, 0x2000), uint(5, S('/bin/app')), uint(7, 1)];

function profile(p: Parts = {}): Uint8Array {
  return concat(
    ...(p.head ?? []),
    bytes(1, ...(p.sampleType ?? [uint(1, S('samples')), uint(2, S('count'))])),
    bytes(2, bytes(1, [1, 2]), bytes(2, [5])),
    bytes(2, ...(p.sample2 ?? [bytes(1, [2]), bytes(2, [3])])),
    bytes(3, ...(p.mapping ?? mapping)),
    bytes(
      4,
      ...(p.locationF ?? [
        uint(1, 1),
        uint(2, 1),
        uint(3, 0x1010),
        bytes(4, ...(p.lineF ?? lineF)),
      ]),
    ),
    bytes(4, uint(1, 2), uint(2, 1), uint(3, 0x1020), bytes(4, uint(1, 2), uint(2, 20))),
    bytes(5, ...(p.functionF ?? functionF)),
    bytes(5, ...(p.functionG ?? [uint(1, 2), uint(2, S('main.g')), uint(3, S('main.g'))])),
    ...STRINGS.map((s) => bytes(6, enc(s))),
    ...(p.extraStrings ?? []),
    ...(p.tail ?? []),
  );
}

/** A fixed64 (wire type 1) field: the wrong wire type for every pprof number. */
const fixed64 = (field: number, v: number): number[] => [field * 8 + 1, v, 0, 0, 0, 0, 0, 0, 0];

/** [what, file, what Go 1.19's pprof does with it, the code profscope refuses it with]. */
type Case = [string, Uint8Array, 'reads' | 'refuses', ProfileErrorCode?];

const CASES: Case[] = [
  ['a valid profile', profile(), 'reads'],
  // pprof's decoders have no entry for field 0: it is skipped like any unknown field.
  ['field 0 first in the file', profile({ head: [uint(0, 5)] }), 'reads'],
  [
    'field 0, length-delimited, at the top level',
    profile({ tail: [bytes(0, [1, 2, 3])] }),
    'reads',
  ],
  [
    'field 0 in a sample',
    profile({ sample2: [uint(0, 7), bytes(1, [2]), bytes(2, [3])] }),
    'reads',
  ],
  ['field 0 in a function', profile({ functionF: [uint(0, 7), ...functionF] }), 'reads'],
  ['field 0 in a line', profile({ lineF: [uint(0, 1), ...lineF] }), 'reads'],
  ['field 0 in a mapping', profile({ mapping: [fixed64(0, 9), ...mapping] }), 'reads'],
  [
    'field 0 in a sample type',
    profile({ sampleType: [uint(0, 9), uint(1, S('samples')), uint(2, S('count'))] }),
    'reads',
  ],
  ['nothing but zeros (field 0 over and over)', new Uint8Array(600), 'refuses', 'not-pprof'],
  [
    'an unknown field in a function',
    profile({ functionF: [...functionF, bytes(9, [1])] }),
    'reads',
  ],
  // A known field with another wire type: pprof's checkType says "type mismatch".
  [
    'a function name length-delimited',
    profile({ functionF: [uint(1, 1), bytes(2, [3]), uint(3, S('main.f'))] }),
    'refuses',
    'malformed',
  ],
  [
    'a location address as fixed64',
    profile({ locationF: [uint(1, 1), uint(2, 1), fixed64(3, 0x10), bytes(4, ...lineF)] }),
    'refuses',
    'malformed',
  ],
  [
    'a sample value as fixed64',
    profile({ sample2: [bytes(1, [2]), fixed64(2, 3)] }),
    'refuses',
    'malformed',
  ],
  [
    "a line's function id length-delimited",
    profile({ lineF: [bytes(1, [1]), uint(2, 10)] }),
    'refuses',
    'malformed',
  ],
  [
    "a location's line as a varint",
    profile({ locationF: [uint(1, 1), uint(2, 1), uint(3, 0x1010), uint(4, 1)] }),
    'refuses',
    'malformed',
  ],
  [
    'a mapping start as fixed64',
    profile({ mapping: [uint(1, 1), fixed64(2, 0x10), uint(5, S('/bin/app'))] }),
    'refuses',
    'malformed',
  ],
  [
    'a label key length-delimited',
    profile({ sample2: [bytes(1, [2]), bytes(2, [3]), bytes(3, bytes(1, [1]), uint(2, 5))] }),
    'refuses',
    'malformed',
  ],
  [
    'a sample type as fixed64',
    profile({ sampleType: [fixed64(1, 1), uint(2, 2)] }),
    'refuses',
    'malformed',
  ],
  ['a time_nanos length-delimited', profile({ tail: [bytes(9, [1])] }), 'refuses', 'malformed'],
  // pprof's CheckValid.
  [
    'a line pointing at a missing function id',
    profile({ lineF: [uint(1, 99), uint(2, 10)] }),
    'refuses',
    'bad-index',
  ],
  ['a line without a function id', profile({ lineF: [uint(2, 10)] }), 'refuses', 'bad-index'],
  [
    'a location pointing at a missing mapping id',
    profile({ locationF: [uint(1, 1), uint(2, 7), uint(3, 0x1010), bytes(4, ...lineF)] }),
    'reads',
  ],
  [
    'two functions with one id',
    profile({ functionG: [uint(1, 1), uint(2, S('main.g')), uint(3, S('main.g'))] }),
    'refuses',
    'malformed',
  ],
  ['a mapping with id 0', profile({ mapping: mapping.slice(1) }), 'refuses', 'malformed'],
  // pprof's getString: every profile reads string 0 at least (drop_frames when unset).
  [
    'no string table',
    concat(
      bytes(1, uint(1, 0), uint(2, 0)),
      bytes(2, bytes(1, [1]), bytes(2, [5])),
      bytes(4, uint(1, 1)),
    ),
    'refuses',
    'malformed',
  ],
  // Two profiles end to end (pprof's errConcatProfile: a second time_nanos after a nonzero one).
  [
    'two profiles concatenated',
    concat(profile({ tail: [uint(9, 1000)] }), profile({ tail: [uint(9, 2000)] })),
    'refuses',
    'malformed',
  ],
  // drop_frames main.f prunes main.f; pprof prunes nothing when a regexp does not compile, and
  // Go's regexps refuse invalid UTF-8.
  [
    'drop_frames',
    profile({ extraStrings: [bytes(6, enc('main\\.f'))], tail: [uint(7, EXTRA)] }),
    'reads',
  ],
  [
    'drop_frames with invalid UTF-8',
    profile({ extraStrings: [bytes(6, enc('main\\.f|'), [0xff])], tail: [uint(7, EXTRA)] }),
    'reads',
  ],
  [
    'keep_frames that is not a regexp',
    profile({
      extraStrings: [bytes(6, enc('main\\.f')), bytes(6, enc('('))],
      tail: [uint(7, EXTRA), uint(8, EXTRA + 1)],
    }),
    'reads',
  ],
  [
    'keep_frames with invalid UTF-8',
    profile({
      extraStrings: [bytes(6, enc('main\\.f')), bytes(6, [0xc3, 0x28])],
      tail: [uint(7, EXTRA), uint(8, EXTRA + 1)],
    }),
    'reads',
  ],
];

async function profscopeVerdict(b: Uint8Array): Promise<'reads' | ProfileErrorCode> {
  try {
    await decodeProfile(b);
    return 'reads';
  } catch (e) {
    if (e instanceof ProfileError) return e.code;
    throw e;
  }
}

describe('corrupt profiles: profscope agrees with go tool pprof', () => {
  let dir = '';
  beforeAll(() => {
    process.env.TZ = 'UTC';
    dir = mkdtempSync(join(tmpdir(), 'profscope-corrupt-'));
  });

  it.each(CASES)('%s: profscope does what pprof does', async (_what, b, pprof, code) => {
    expect(await profscopeVerdict(b)).toBe(pprof === 'reads' ? 'reads' : code);
  });

  it('drop_frames prunes main.f only when both regexps compile', async () => {
    const names = async (what: string): Promise<string[]> => {
      const file = join(dir, 'names.pb');
      writeFileSync(file, CASES.find((c) => c[0] === what)?.[1] ?? new Uint8Array());
      let out = '';
      expect(await runTop([file], (s) => (out += s))).toBe(0);
      return out.split('\n').flatMap((l) => /\s(main\.\w+)$/.exec(l)?.[1] ?? []);
    };
    expect(await names('drop_frames')).toEqual(['main.g']);
    for (const unpruned of [
      'drop_frames with invalid UTF-8',
      'keep_frames that is not a regexp',
      'keep_frames with invalid UTF-8',
    ])
      expect(await names(unpruned)).toEqual(['main.f', 'main.g']);
  });

  it.each(CASES)('%s: go tool pprof -top, and profscope top', async (what, b, pprof) => {
    if (!hasGo) {
      console.warn('SKIPPED: `go` is not on PATH');
      return;
    }
    const file = join(dir, `${what.replace(/\W+/g, '_')}.pb`);
    writeFileSync(file, b);
    const go = spawnSync('go', ['tool', 'pprof', '-top', file], { encoding: 'utf8' });
    let out = '';
    let err = '';
    const status = await runTop(
      [file],
      (s) => (out += s),
      (s) => (err += s),
    );
    if (pprof === 'refuses') {
      expect(go.status, go.stdout).not.toBe(0);
      expect(status).toBe(1);
      expect(err).toMatch(new RegExp(`^${file.replace(/\W/g, '\\$&')}: `));
      return;
    }
    expect(go.status, go.stderr).toBe(0);
    expect(status, err).toBe(0);
    expect(withoutTime(out)).toBe(withoutTime(go.stdout));
  });
});
