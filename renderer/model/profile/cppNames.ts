import type { StringTable } from '../decoding/stringTable';
import { demangle } from './demangle';
import type { FunctionTable } from './profile';

/**
 * pprof's heuristic for a name that is demangled C++ (symbolizer.looksLikeDemangledCPlusPlus):
 * template or array brackets, or a scope operator, but not Java's "class.<init>" nor Go's
 * "pkg.(*T[...]).Method".
 */
function looksLikeDemangledCpp(name: string): boolean {
  if (name.includes('.<') || name.includes(']).')) return false;
  return /[<>[\]]/.test(name) || name.includes('::');
}

/** pprof's removeMatching: drops every outermost start…end group; unbalanced names stay whole. */
export function removeMatching(name: string, start: string, end: string): string {
  let nesting = 0;
  let first = 0;
  let out = name;
  for (let i = 0; i < out.length; i++) {
    const c = out[i];
    if (c === start) {
      if (++nesting === 1) first = i;
    } else if (c === end) {
      nesting--;
      if (nesting < 0) return name;
      if (nesting === 0) {
        out = out.slice(0, first) + out.slice(i + 1);
        i = first - 1;
      }
    }
  }
  return out;
}

/**
 * What `go tool pprof` does to names by default (symbolizer.Demangle, demangler mode ""): a
 * function whose name is unset or still its system name gets the system name demangled
 * without parameters or template arguments ("_ZNSt6vectorIiSaIiEE9push_backERKi" →
 * "std::vector::push_back"), or, when that is not a mangled name but looks like demangled
 * C++, loses its argument lists and template parameters ("std::vector<int>::push_back(int
 * const&)" → "std::vector::push_back"). Names already rewritten by the producer are left
 * alone. Rewrites `functions.name` in place, appending the new names to `strings`.
 */
export function simplifyCppNames(functions: FunctionTable, strings: StringTable): void {
  const { name, systemName } = functions;
  for (let f = 0; f < name.length; f++) {
    const sys = systemName[f];
    if (name[f] !== 0 && name[f] !== sys && strings.get(name[f]) !== strings.get(sys)) continue;
    // An unset name is the system name, as pprof sets it.
    name[f] = sys;
    if (strings.startsWithAscii(sys, '_Z') || strings.startsWithAscii(sys, '___Z')) {
      const full = strings.get(sys);
      const demangled = demangle(full);
      if (demangled !== full) {
        name[f] = strings.append(demangled);
        continue;
      }
    }
    // Most names (Go's) hold none of these: skip them without decoding their bytes.
    if (!strings.hasAscii(sys, '<>[]:')) continue;
    const full = strings.get(sys);
    if (!looksLikeDemangledCpp(full)) continue;
    const simple = removeMatching(removeMatching(full, '(', ')'), '<', '>');
    if (simple !== full) name[f] = strings.append(simple);
  }
}
