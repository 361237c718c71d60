import { RE2JS } from 're2js';

/** A compiled Go regular expression: what the filters, search and rules ask of one. */
export interface GoRegexp {
  /** True when the expression matches somewhere in `s` (Go's MatchString). */
  test(s: string): boolean;
}

/**
 * Compiles a Go (RE2) regular expression with RE2's own semantics and linear-time matching,
 * through re2js (a port of RE2/J). JavaScript's RegExp backtracks: `^(.|.)*xyz$` from a URL
 * hash or a CLI flag took it minutes, and its syntax differs from Go's in places (\Q…\E,
 * (?P<name>), (?U), \pN). Returns null when the source is not a valid Go regexp.
 * `anchored` wraps it as pprof anchors drop_frames and keep_frames: ^(?:…)$.
 */
export function compileGoRegexp(source: string, anchored = false): GoRegexp | null {
  try {
    const re = RE2JS.compile(anchored ? `^(?:${source})$` : source);
    return { test: (s) => re.test(s) };
  } catch {
    return null;
  }
}

/** Why `source` is not a valid Go regexp, in Go's words ("missing closing )…"); '' when it is. */
export function goRegexpError(source: string): string {
  try {
    RE2JS.compile(source);
    return '';
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).replace(/^error parsing regexp: /i, '');
  }
}
