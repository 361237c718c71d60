/**
 * Compiles a Go (RE2) regular expression source as a JS RegExp. The common syntax is shared;
 * RE2's inline flags such as (?i) at the start are translated. Returns null when invalid.
 */
export function compileGoRegexp(source: string, anchored = false): RegExp | null {
  let src = source;
  let flags = '';
  const m = /^\(\?([imsU]+)\)/.exec(src);
  if (m) {
    src = src.slice(m[0].length);
    if (m[1].includes('i')) flags += 'i';
    if (m[1].includes('s')) flags += 's';
    if (m[1].includes('m')) flags += 'm';
  }
  if (anchored) src = `^(?:${src})$`;
  try {
    return new RegExp(src, flags);
  } catch {
    return null;
  }
}
