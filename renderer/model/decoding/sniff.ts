import { ProfileError } from '../errors';

// Recognising the usual wrong downloads from /debug/pprof/ lets us say what the file is
// instead of a generic "not a profile".

function startsWithAscii(bytes: Uint8Array, prefix: string, from = 0): boolean {
  if (bytes.length < from + prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (bytes[from + i] !== prefix.charCodeAt(i)) return false;
  }
  return true;
}

function firstNonSpace(bytes: Uint8Array): number {
  let i = 0;
  // Skip a UTF-8 BOM and leading whitespace.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)
  ) {
    i++;
  }
  return i;
}

function lowerAscii(bytes: Uint8Array, from: number, len: number): string {
  let s = '';
  const end = Math.min(bytes.length, from + len);
  for (let i = from; i < end; i++) {
    const c = bytes[i];
    s += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c + 32 : c);
  }
  return s;
}

/** Throws a ProfileError naming the format when the (inflated) bytes are a known non-pprof format. */
export function rejectKnownTextFormats(bytes: Uint8Array): void {
  const i = firstNonSpace(bytes);
  if (
    startsWithAscii(bytes, 'goroutine profile: total', i) ||
    /^goroutine \d+ \[/.test(lowerAscii(bytes, i, 40))
  ) {
    const debug2 =
      startsWithAscii(bytes, 'goroutine ', i) && !startsWithAscii(bytes, 'goroutine profile', i);
    throw new ProfileError(
      'goroutine-text',
      `not a pprof profile: this is the text goroutine dump (?debug=${debug2 ? 2 : 1}); capture with ?debug=0 or without debug`,
    );
  }
  if (startsWithAscii(bytes, 'go 1.', i) && lowerAscii(bytes, i, 16).includes(' trace')) {
    throw new ProfileError(
      'execution-trace',
      'not a pprof profile: this is a Go execution trace (/debug/pprof/trace); open it with `go tool trace`',
    );
  }
  const head = lowerAscii(bytes, i, 15);
  if (
    head.startsWith('<!doctype html') ||
    head.startsWith('<html') ||
    head.startsWith('<head') ||
    head.startsWith('<body')
  ) {
    throw new ProfileError(
      'html',
      'not a pprof profile: this is an HTML page (perhaps the /debug/pprof/ index or a login page); download a profile endpoint such as /debug/pprof/profile',
    );
  }
  const legacy = describeLegacyProfile(bytes.subarray(i));
  if (legacy) {
    const convert = 'convert this file with `go tool pprof -proto FILE > FILE.pb.gz`';
    throw new ProfileError(
      'legacy-profile',
      legacy.go
        ? `not a pprof profile: this is ${legacy.what}; capture it with ?debug=0 (or without debug), or ${convert}`
        : `not a pprof profile: this is ${legacy.what}, a format older than pprof's protobuf; ${convert} and open the result`,
    );
  }
  if (/^[a-z_]+ profile: /.test(lowerAscii(bytes, i, 40)) || startsWithAscii(bytes, '--- ', i)) {
    throw new ProfileError(
      'legacy-profile',
      'not a pprof profile: this is a legacy text profile; if `go tool pprof -proto FILE > FILE.pb.gz` reads it, open the result (from Go, capture with ?debug=0)',
    );
  }
}

/**
 * The profile formats older than pprof's protobuf that `go tool pprof` still reads
 * (profile/legacy_profile.go, legacy_java_profile.go): named by their first line, or for CPU
 * profiles by their binary header. `go` is true for what Go's own /debug/pprof/ serves with
 * ?debug=1, which ?debug=0 serves as protobuf instead.
 */
export function describeLegacyProfile(bytes: Uint8Array): { what: string; go: boolean } | null {
  const cpu = legacyCpuHeader(bytes);
  if (cpu !== null) {
    return cpu === 1
      ? { what: 'a Java CPU profile in the legacy binary format', go: false }
      : {
          what: 'a CPU profile in the legacy binary format (gperftools, as C++ and Go before 1.9 wrote it)',
          go: false,
        };
  }
  const lines = asciiHead(bytes, 0, 512).split('\n');
  // pprof skips blank and # lines before a count or thread profile's header.
  const first = lines.find((l) => !isSpaceOrComment(l))?.trim() ?? '';
  const count = /^(\S+) profile: total \d+/.exec(first);
  if (count) return { what: `a Go ${count[1]} profile in the text format (?debug=1)`, go: true };
  const heap = /^heap profile: *\d+: *\d+ *\[ *\d+: *\d+ *\] *@ *([a-z_]*)/.exec(first);
  if (heap) {
    const kind = heap[1];
    if (kind === 'heap')
      return { what: 'a Go heap profile in the text format (?debug=1)', go: true };
    if (kind.startsWith('growth'))
      return { what: 'a C++ heap growth profile (growthz)', go: false };
    if (kind.startsWith('fragmentation'))
      return { what: 'a C++ heap fragmentation profile (fragmentationz)', go: false };
    return { what: 'a C++ heap profile (heapz)', go: false };
  }
  if (first.startsWith('--- mutex:'))
    return { what: 'a Go mutex profile in the text format (?debug=1)', go: true };
  if (first.startsWith('--- contention:'))
    return { what: 'a Go block profile in the text format (?debug=1)', go: true };
  if (first.startsWith('--- contentionz ')) {
    // pprof reads a contentionz profile with a "format" attribute as Java's.
    const java = lines.some((l) => /^\s*format\s*=/.test(l));
    return { what: `a ${java ? 'Java' : 'C++'} contention profile (contentionz)`, go: false };
  }
  if (first === '--- heapz 1 ---') return { what: 'a Java heap profile (heapz)', go: false };
  if (/^--- threadz \d+ ---/.test(first) || /^--- Thread [0-9a-fA-F]+ \(name: /.test(first))
    return { what: 'a C++ thread profile (threadz)', go: false };
  return null;
}

function isSpaceOrComment(line: string): boolean {
  const t = line.trim();
  return t === '' || t.startsWith('#');
}

function asciiHead(bytes: Uint8Array, from: number, len: number): string {
  let s = '';
  const end = Math.min(bytes.length, from + len);
  for (let i = from; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/**
 * pprof's parseCPU header: the words 0, 3, 0 (C++) or 1 (Java), a period > 0, 0, as 32- or
 * 64-bit words of either byte order. Returns the third word, or null for anything else.
 */
function legacyCpuHeader(bytes: Uint8Array): number | null {
  for (const size of [4, 8]) {
    for (const little of [true, false]) {
      if (bytes.length < 5 * size) continue;
      const word = (n: number): number => {
        let v = 0;
        for (let b = 0; b < size; b++) {
          const byte = bytes[n * size + (little ? size - 1 - b : b)];
          v = v * 256 + byte;
        }
        return v;
      };
      const third = word(2);
      if (
        word(0) === 0 &&
        word(1) === 3 &&
        (third === 0 || third === 1) &&
        word(3) > 0 &&
        word(4) === 0
      )
        return third;
    }
  }
  return null;
}
