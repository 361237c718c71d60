// The hostile corpus: files a stranger could hand the viewer, each made by a deterministic
// generator (the big ones are a few MB of gzip that inflate to a GiB, so they are generated, not
// committed). Cached under $TMPDIR/profscope-hostile as test/bench/generate.ts caches its
// profiles: across benchmark runs, and within one test run.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '../bench/prng';
import { bytes, concat, filled, gzip, gzipRepeated, str, uint, varint } from './protobuf';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

export interface HostileCase {
  /** The file's name: errors must name it. */
  name: string;
  what: string;
  /** What opening it must give: an error matching this, or 'view' (a profile that opens). */
  expect: RegExp | 'view';
  /** Inflates to a GiB or more: the memory bounds are about these. */
  bomb?: boolean;
  make: () => Uint8Array;
}

/** string_table "" "samples" "count", one sample type: the start of a plausible profile. */
const HEAD = concat(
  str(6, ''),
  str(6, 'samples'),
  str(6, 'count'),
  bytes(1, uint(1, 1), uint(2, 2)),
);

/** A function, a location calling it and one sample on it: with HEAD, a complete profile. */
function oneFrame(): Uint8Array {
  return concat(
    str(6, 'main.main'),
    bytes(5, uint(1, 1), uint(2, 3), uint(3, 3)),
    bytes(4, uint(1, 1), bytes(4, uint(1, 1), uint(2, 7))),
    bytes(2, bytes(1, varint(1)), bytes(2, varint(5))),
  );
}

const PAYLOADS = [
  '<script>window.__pwned=1</script>',
  '"><img src=x onerror="window.__pwned=1">',
  'javascript:window.__pwned=1',
  '\u0000\u0007\u001b[31mred\u001b[0m\u001b]0;title\u0007\r\n\u202e\ufeff',
  '{{constructor.constructor("window.__pwned=1")()}}',
  '</style></svg><svg onload="window.__pwned=1">',
];

/** A valid profile whose every string (types, units, functions, files, labels, comments) is a payload. */
function scriptStrings(): Uint8Array {
  const strings = [''];
  const s = (v: string): number => (strings.push(v), strings.length - 1);
  const parts: (Uint8Array | number[])[] = [];
  const p = PAYLOADS;
  parts.push(bytes(1, uint(1, s(p[0])), uint(2, s('count'))));
  parts.push(bytes(1, uint(1, s(p[1])), uint(2, s('nanoseconds'))));
  parts.push(
    bytes(3, uint(1, 1), uint(2, 0x1000), uint(3, 0x2000), uint(5, s(p[2])), uint(6, s(p[3]))),
  );
  for (let f = 1; f <= p.length; f++) {
    const name = s(`${p[f - 1]}.func${f}`);
    parts.push(
      bytes(5, uint(1, f), uint(2, name), uint(3, name), uint(4, s(p[(f + 2) % p.length]))),
    );
    parts.push(
      bytes(4, uint(1, f), uint(2, 1), uint(3, 0x1000 + f), bytes(4, uint(1, f), uint(2, f))),
    );
  }
  for (let i = 0; i < p.length; i++) {
    const stack = Array.from({ length: i + 1 }, (_, k) => varint(k + 1)).flat();
    parts.push(
      bytes(
        2,
        bytes(1, stack),
        bytes(2, varint(i + 1), varint((i + 1) * 10_000_000)),
        bytes(3, uint(1, s(p[i])), uint(2, s(p[(i + 1) % p.length]))),
        bytes(3, uint(1, s(`${p[i]}bytes`)), uint(3, 42), uint(4, s(p[(i + 4) % p.length]))),
      ),
    );
  }
  parts.push(bytes(11, uint(1, s(p[4])), uint(2, s(p[5]))), uint(12, 10_000_000));
  parts.push(uint(13, s(p[3])), uint(13, s(p[0])));
  return gzip(concat(...strings.map((v) => str(6, v)), ...parts));
}

/** Locations 1..n, each a line of one function; one sample whose stack is `ids`. */
function deepStack(n: number, ids: (i: number) => number, depth: number): Uint8Array {
  // Written byte by byte: a million small arrays take seconds to make and join.
  const out: number[] = [];
  const put = (v: number): void => {
    for (; v >= 0x80; v = Math.floor(v / 128)) out.push((v % 128) | 0x80);
    out.push(v);
  };
  const size = (v: number): number => (v < 0x80 ? 1 : 1 + size(Math.floor(v / 128)));
  for (let id = 1; id <= n; id++) {
    const line = 2 + 1 + size(id);
    out.push(0x22);
    put(1 + size(id) + 2 + line);
    out.push(0x08);
    put(id);
    out.push(0x22, line, 0x08, 0x01, 0x10);
    put(id);
  }
  let stackBytes = 0;
  for (let i = 0; i < depth; i++) stackBytes += size(ids(i));
  const sample = [0x0a, ...varint(stackBytes)];
  const sampleLength = sample.length + stackBytes + 3;
  out.push(0x12);
  put(sampleLength);
  out.push(...sample);
  for (let i = 0; i < depth; i++) put(ids(i));
  out.push(0x12, 0x01, 0x03);
  // Level 1: level 9 takes seconds over these near-repeats for a few per cent.
  return gzip(
    concat(HEAD, str(6, 'main.f'), bytes(5, uint(1, 1), uint(2, 3)), Uint8Array.from(out)),
    1,
  );
}

/** A valid profile with extreme numbers: int64's ends for values, address space's for mappings. */
function extremes(mappings: boolean): Uint8Array {
  const max = (1n << 64n) - 1n;
  const parts: (Uint8Array | number[])[] = [HEAD, str(6, 'main.extreme'), str(6, '/bin/absurd')];
  parts.push(bytes(5, uint(1, 1), uint(2, 3)));
  if (mappings) {
    // Start past limit, a limit at the top of the address space, offsets and ids of 2^64 - 1.
    parts.push(bytes(3, uint(1, 1), uint(2, max), uint(3, 0), uint(4, max), uint(5, 4)));
    parts.push(bytes(3, uint(1, max), uint(2, 0), uint(3, max), uint(4, max - 1n)));
    parts.push(bytes(4, uint(1, 1), uint(2, 1), uint(3, max), bytes(4, uint(1, 1), uint(2, -1))));
    parts.push(
      bytes(4, uint(1, max), uint(2, max), uint(3, 1), bytes(4, uint(1, 1), uint(2, max))),
    );
    parts.push(bytes(2, bytes(1, varint(1), varint(max)), bytes(2, varint(7))));
  } else {
    parts.push(bytes(4, uint(1, 1), bytes(4, uint(1, 1), uint(2, 1))));
    for (const v of [-(1n << 63n), (1n << 63n) - 1n, -1n, 2n ** 53n + 1n, 0n]) {
      parts.push(bytes(2, bytes(1, varint(1)), bytes(2, varint(v))));
    }
    parts.push(uint(10, -1), uint(9, (1n << 63n) - 1n), uint(12, -5));
  }
  return gzip(concat(...parts));
}

/** Message `depth` deep in unknown length-delimited field 15, skipped unread. */
function deepNesting(depth: number): Uint8Array {
  // Built outside in as lengths: each level is tag, length, then the level below.
  const lens: number[] = [];
  let len = 0;
  for (let i = 0; i < depth; i++) {
    lens.push(len);
    len += 1 + varint(len).length;
  }
  const out: number[] = [];
  for (let i = depth - 1; i >= 0; i--) out.push(0x7a, ...varint(lens[i]));
  return gzip(concat(HEAD, oneFrame(), Uint8Array.from(out)));
}

function truncated(cut: (gz: Uint8Array) => Uint8Array): () => Uint8Array {
  return () => cut(gzip(concat(HEAD, oneFrame(), ...Array.from({ length: 2000 }, oneFrame))));
}

export const HOSTILE: HostileCase[] = [
  {
    name: 'zeros-bomb.pb.gz',
    what: '1 GiB of zeros in 1 MB of gzip',
    expect: /not a pprof profile/,
    bomb: true,
    make: () => gzipRepeated(new Uint8Array(0), new Uint8Array(16 * MiB), 64),
  },
  {
    name: 'prefix-bomb.pb.gz',
    what: 'a valid-looking profile start, then 1 GiB of zeros',
    // Zeros are field 0, which pprof skips: the inflate ratio stops them.
    expect: /decompression bomb/,
    bomb: true,
    make: () => gzipRepeated(concat(HEAD, oneFrame()), new Uint8Array(16 * MiB), 64),
  },
  {
    name: 'nested.pb.gz',
    what: 'gzip of the gzip of the zeros bomb',
    expect: /gzip inside gzip/,
    make: () => gzip(gzipRepeated(new Uint8Array(0), new Uint8Array(16 * MiB), 64)),
  },
  {
    name: 'huge-string.pb.gz',
    what: 'one string table entry declared 1 GiB long',
    expect: /field 6 of 1024 MiB/,
    bomb: true,
    make: () => gzipRepeated(concat(HEAD, [0x32], varint(GiB)), filled(16 * MiB, [0x41]), 64),
  },
  {
    name: 'strings-bomb.pb.gz',
    what: '1 GiB of string table entries of 1 MiB each',
    expect: /decompression bomb/,
    bomb: true,
    make: () =>
      gzipRepeated(
        HEAD,
        concat(...Array.from({ length: 16 }, () => str(6, 'A'.repeat(MiB - 8)))),
        64,
      ),
  },
  {
    name: 'comments-bomb.pb.gz',
    what: '1 GiB of comments (field 13)',
    expect: /comments/,
    bomb: true,
    make: () => gzipRepeated(HEAD, filled(16 * MiB, [0x68, 0x00]), 64),
  },
  {
    name: 'samples-bomb.pb.gz',
    what: '1 GiB of one-value samples, the gzip trailer forged to claim 4 GiB',
    expect: /decompression bomb/,
    bomb: true,
    make: () =>
      gzipRepeated(HEAD, filled(16 * MiB, [0x12, 0x02, 0x10, 0x01]), 64, undefined, 0xffffffff),
  },
  {
    name: 'padded-bomb.pb.gz',
    what: '6 MiB of incompressible string, then 1 GiB of samples (inflated in the inflate worker)',
    expect: /decompression bomb/,
    bomb: true,
    make: () => {
      const rand = prng(13);
      const noise = Uint8Array.from({ length: 6 * MiB }, () => Math.floor(rand() * 256));
      const head = concat(HEAD, bytes(6, noise));
      return gzipRepeated(head, filled(16 * MiB, [0x12, 0x02, 0x10, 0x01]), 64);
    },
  },
  {
    name: 'label-bomb.pb.gz',
    what: '1 GiB of samples with 4,000 labels each',
    expect: /decompression bomb/,
    bomb: true,
    make: () => {
      const label = bytes(3, uint(1, 1), uint(2, 2));
      const sample = bytes(2, bytes(2, varint(1)), ...Array.from({ length: 4000 }, () => label));
      const n = Math.floor((16 * MiB) / sample.length);
      return gzipRepeated(HEAD, concat(...Array.from({ length: n }, () => sample)), 64);
    },
  },
  {
    name: 'million-locations.pb.gz',
    what: 'one sample with 10⁶ distinct location ids',
    expect: 'view',
    make: () => deepStack(1_000_000, (i) => i + 1, 1_000_000),
  },
  {
    name: 'million-same-location.pb.gz',
    what: 'one sample with one location id 10⁶ times (recursion)',
    expect: 'view',
    make: () => deepStack(1, () => 1, 1_000_000),
  },
  {
    name: 'overlong-varint.pb.gz',
    what: 'a tag varint of 11 bytes',
    expect: /varint longer than 10 bytes|malformed|corrupt/,
    make: () =>
      gzip(
        concat(
          HEAD,
          [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00],
          oneFrame(),
        ),
      ),
  },
  {
    name: 'overlong-length.pb.gz',
    what: 'a sample whose length runs past the file',
    expect: /truncated|malformed|corrupt/,
    make: () => gzip(concat(HEAD, oneFrame(), [0x12], varint(1 << 20), [1, 2, 3])),
  },
  {
    name: 'start-groups.pb.gz',
    what: '10⁶ nested protobuf start-group tags',
    expect: /wire type|malformed|corrupt/,
    make: () => gzip(concat(HEAD, oneFrame(), filled(1_000_000, [0x7b]))),
  },
  {
    name: 'deep-nesting.pb.gz',
    what: 'an unknown message nested 10⁵ deep',
    expect: 'view',
    make: () => deepNesting(100_000),
  },
  {
    name: 'truncated-header.pb.gz',
    what: 'gzip cut inside its header',
    expect: /truncated|corrupt/,
    make: truncated((gz) => gz.subarray(0, 6)),
  },
  {
    name: 'truncated-deflate.pb.gz',
    what: 'gzip cut in the middle of its deflate data',
    expect: /truncated gzip/,
    make: truncated((gz) => gz.subarray(0, gz.length >> 1)),
  },
  {
    name: 'truncated-trailer.pb.gz',
    what: 'gzip without the last bytes of its trailer',
    expect: /truncated gzip/,
    make: truncated((gz) => gz.subarray(0, gz.length - 3)),
  },
  {
    name: 'truncated-protobuf.pb.gz',
    what: 'complete gzip of a protobuf cut mid-field',
    expect: /truncated/,
    make: () => {
      const pb = concat(HEAD, oneFrame(), oneFrame());
      return gzip(pb.subarray(0, pb.length - 3));
    },
  },
  {
    name: 'script-strings.pb.gz',
    what: 'script payloads and control characters in every string',
    expect: 'view',
    make: scriptStrings,
  },
  {
    name: 'absurd-mappings.pb.gz',
    what: 'mappings with start past limit and 2^64 - 1 everywhere',
    expect: 'view',
    make: () => extremes(true),
  },
  {
    name: 'extreme-values.pb.gz',
    what: 'sample values at int64’s ends, negative duration and period',
    expect: 'view',
    make: () => extremes(false),
  },
];

/** The case's file, generated on first use. */
export function hostileFile(c: HostileCase): string {
  const dir = join(tmpdir(), 'profscope-hostile');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, c.name);
  if (!existsSync(file)) {
    writeFileSync(`${file}.tmp`, c.make());
    renameSync(`${file}.tmp`, file);
  }
  return file;
}

/** The bundled normal profile, opened beside the hostile ones. */
export const NORMAL_PROFILE = join(process.cwd(), 'test', 'fixtures', 'pprof', 'cpu.pb.gz');
