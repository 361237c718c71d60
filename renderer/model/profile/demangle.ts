/**
 * Demangles Itanium C++ names (_Z…) and legacy Rust names as `go tool pprof` shows them by
 * default: github.com/ianlancetaylor/demangle's Filter with NoParams and NoTemplateParams
 * (pprof's symbolizer, demangler mode ""), so "std::vector<int>::push_back(int const&)" is
 * "std::vector::push_back".
 *
 * No maintained npm package does this: the one demangler there, gecko-profiler-demangle, is a
 * WASM build of another demangler (Rust's cpp_demangle) with its own printing conventions and
 * no such options, so its names would not be pprof's. This is a port of the Go package's
 * parser and printer for what those options reach: the name is parsed, its parameters are
 * not, and template arguments are parsed (substitutions count them) but not printed. Local
 * names, thunks and lambdas print the parameters of the function they belong to, as the Go
 * package does. A name it cannot read is returned as it is, as Filter returns it; Rust v0
 * names (_R…), which the Go package reads, are among those.
 */

import { DemangleError } from './demangleAst';
import { Parser } from './demangleParse';
import { printNode } from './demanglePrint';

/**
 * Legacy Rust names: _ZN…17h<16 hex digits>E, the path's identifiers joined by "::" with
 * their $-escapes decoded and the hash left out (the Go package's oldRustToString).
 */
function legacyRust(name: string): string | null {
  let rname = name;
  const dot = rname.lastIndexOf('E.');
  if (dot > 0) rname = rname.slice(0, dot + 1);
  if (!(rname.endsWith('E') && rname.length > 23 && rname.slice(-20, -17) === '17h')) return null;
  let body = rname.slice(3);
  const hash = body.slice(-17, -1);
  if (!/^[0-9a-f]{16}$/.test(hash) || new Set(hash).size < 5) return null;
  body = body.slice(0, -20);
  let out = '';
  while (body.length > 0) {
    const m = /^\d+/.exec(body);
    if (!m) return null;
    let len = Number(m[0]);
    if (m[0].length > 9) return null;
    body = body.slice(m[0].length);
    if (body.startsWith('_')) {
      body = body.slice(1);
      len--;
    }
    if (body.length < len) return null;
    let id = body.slice(0, len);
    body = body.slice(len);
    if (out.length > 0) out += '::';
    if (id.startsWith('_$')) id = id.slice(1);
    const codes: Record<string, string> = {
      SP: '@',
      BP: '*',
      RF: '&',
      LT: '<',
      GT: '>',
      LP: '(',
      RP: ')',
    };
    while (id.length > 0) {
      const c = id[0];
      if (c === '$') {
        if (id.length > 2 && id[1] === 'C' && id[2] === '$') {
          out += ',';
          id = id.slice(3);
          continue;
        }
        if (id.length > 4 && id[1] === 'u' && id[4] === '$') {
          const v = parseInt(id.slice(2, 4), 16);
          if (/^[0-7][0-9a-f]$/.test(id.slice(2, 4)) && v >= 0x20) {
            out += String.fromCharCode(v);
            id = id.slice(5);
            continue;
          }
        } else if (id.length > 3 && id[3] === '$' && codes[id.slice(1, 3)] !== undefined) {
          out += codes[id.slice(1, 3)];
          id = id.slice(4);
          continue;
        }
        out += id;
        break;
      }
      if (c === '.' && id.startsWith('..')) {
        out += '::';
        id = id.slice(2);
      } else {
        out += c;
        id = id.slice(1);
      }
    }
  }
  return out;
}

/** clang's blocks: ___Z<encoding>_block_invoke[_<n>][.suffix]. */
function blockInvoke(name: string): string | null {
  const block = name.lastIndexOf('_block_invoke');
  if (block === -1) return null;
  const fn = printNode(new Parser(name.slice(4, block)).encoding(false, false));
  const rest = name.slice(block + '_block_invoke'.length).replace(/^_?\d*/, '');
  if (rest !== '' && !rest.startsWith('.')) return null;
  return `invocation function for block in ${fn}`;
}

/** pprof's default demangling of a symbol name; the name itself when it is not mangled. */
export function demangle(name: string): string {
  if (name.startsWith('_ZN')) {
    const rust = legacyRust(name);
    if (rust !== null) return rust;
  }
  try {
    if (name.startsWith('_Z')) return printNode(new Parser(name.slice(2)).encoding(false, false));
    if (name.startsWith('___Z')) return blockInvoke(name) ?? name;
    return name;
  } catch (e) {
    if (e instanceof DemangleError || e instanceof RangeError) return name;
    throw e;
  }
}
