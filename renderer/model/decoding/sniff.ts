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
  if (/^[a-z_]+ profile: /.test(lowerAscii(bytes, i, 40)) || startsWithAscii(bytes, '--- ', i)) {
    throw new ProfileError(
      'not-pprof',
      'not a pprof profile: this is a legacy text profile (?debug=1); capture with ?debug=0 or without debug',
    );
  }
}
