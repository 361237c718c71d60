// The demangler's tree: the Go package's AST (github.com/ianlancetaylor/demangle, ast.go) for
// what demangle.ts reads, with the walks over it that parsing and printing share.

/** A node of the demangled name, as the Go package's AST. */
export type Node =
  | { k: 'name'; s: string }
  | { k: 'builtin'; s: string }
  | { k: 'qualified'; scope: Node; name: Node; local: boolean }
  | { k: 'template'; name: Node; args: Node[] }
  | { k: 'tparam'; index: number; template: TemplateNode | null }
  | { k: 'lambdaAuto'; index: number }
  | { k: 'typed'; name: Node; type: Node }
  | { k: 'withQuals'; base: Node; quals: string[] }
  | { k: 'method'; method: Node; quals: string[]; ref: string }
  | { k: 'pointer' | 'reference' | 'rvalue' | 'complex' | 'imaginary'; base: Node }
  | { k: 'function'; ret: Node | null; args: Node[]; forLocalName: boolean }
  | { k: 'array'; dim: Node; elem: Node }
  | { k: 'ptrmem'; cls: Node; member: Node }
  | { k: 'vector'; dim: Node; base: Node }
  | { k: 'vendor'; qual: Node; type: Node }
  | { k: 'elaborated'; kind: string; type: Node }
  | { k: 'decltype'; expr: Node }
  | { k: 'operator'; s: string }
  | { k: 'cast'; to: Node }
  | { k: 'ctor'; name: Node }
  | { k: 'dtor'; name: Node }
  | { k: 'tagged'; name: Node; tag: Node }
  | { k: 'closure'; types: Node[]; num: number }
  | { k: 'unnamed'; num: number }
  | { k: 'special'; prefix: string; val: Node; middle?: string; val2?: Node }
  | { k: 'defaultArg'; num: number; arg: Node }
  | { k: 'pack'; args: Node[] }
  | { k: 'expansion'; base: Node; pack: PackNode | null }
  | { k: 'exprList'; exprs: Node[] }
  | { k: 'literal'; type: Node; val: string; neg: boolean }
  | { k: 'expr'; text: string };

export type TemplateNode = Extract<Node, { k: 'template' }>;
export type PackNode = Extract<Node, { k: 'pack' }>;

/** A name the demangler cannot read: it is then left as it is. */
export class DemangleError extends Error {}

export const isDigit = (c: string): boolean => c >= '0' && c <= '9';
export const isUpper = (c: string): boolean => c >= 'A' && c <= 'Z';
export const isLower = (c: string): boolean => c >= 'a' && c <= 'z';

export function mergeQuals(a: string[], b: string[]): string[] {
  return [...a, ...b.filter((q) => !a.includes(q))];
}

export function findTemplate(a: Node): TemplateNode | null {
  switch (a.k) {
    case 'template':
      return a;
    case 'qualified':
      return a.local || a.name.k === 'ctor' ? findTemplate(a.name) : null;
    case 'method':
      return findTemplate(a.method);
    default:
      return null;
  }
}

export function isCDtorConversion(a: Node): boolean {
  if (a.k === 'qualified') return isCDtorConversion(a.name);
  return a.k === 'ctor' || a.k === 'dtor' || a.k === 'cast';
}

export function hasReturnType(a: Node): boolean {
  switch (a.k) {
    case 'qualified':
      return a.local ? hasReturnType(a.name) : false;
    case 'template':
      return !isCDtorConversion(a.name);
    case 'withQuals':
      return hasReturnType(a.base);
    case 'method':
      return hasReturnType(a.method);
    default:
      return false;
  }
}

/** The argument pack a pack expansion's pattern refers to (Go's findArgumentPack). */
export function findPack(a: Node): PackNode | null {
  const seen = new Set<Node>();
  const walk = (n: Node): PackNode | null => {
    if (seen.has(n)) return null;
    seen.add(n);
    switch (n.k) {
      case 'tparam': {
        const arg = n.template?.args[n.index];
        return arg?.k === 'pack' ? arg : null;
      }
      case 'expansion':
      case 'closure':
      case 'name':
      case 'tagged':
      case 'operator':
      case 'builtin':
      case 'unnamed':
      case 'defaultArg':
      case 'expr':
        return null;
      default:
        for (const c of children(n)) {
          const r = walk(c);
          if (r) return r;
        }
        return null;
    }
  };
  return walk(a);
}

export function children(n: Node): Node[] {
  switch (n.k) {
    case 'qualified':
      return [n.scope, n.name];
    case 'template':
      return [n.name, ...n.args];
    case 'typed':
      return [n.name, n.type];
    case 'withQuals':
      return [n.base];
    case 'method':
      return [n.method];
    case 'pointer':
    case 'reference':
    case 'rvalue':
    case 'complex':
    case 'imaginary':
      return [n.base];
    case 'function':
      return n.ret ? [n.ret, ...n.args] : n.args;
    case 'array':
      return [n.dim, n.elem];
    case 'ptrmem':
      return [n.cls, n.member];
    case 'vector':
      return [n.dim, n.base];
    case 'vendor':
      return [n.qual, n.type];
    case 'elaborated':
      return [n.type];
    case 'decltype':
      return [n.expr];
    case 'cast':
      return [n.to];
    case 'pack':
      return n.args;
    case 'exprList':
      return n.exprs;
    case 'literal':
      return [n.type];
    case 'special':
      return n.val2 ? [n.val, n.val2] : [n.val];
    case 'closure':
      return n.types;
    case 'expansion':
      return [n.base];
    case 'defaultArg':
      return [n.arg];
    case 'tagged':
      return [n.name, n.tag];
    case 'ctor':
    case 'dtor':
      return [n.name];
    default:
      return [];
  }
}

/** `a` with its children mapped by `f`; `a` itself when none changed. */
export function mapChildren(a: Node, f: (n: Node) => Node): Node {
  const kids = children(a);
  const mapped = kids.map(f);
  if (mapped.every((m, i) => m === kids[i])) return a;
  let i = 0;
  const next = (): Node => mapped[i++];
  switch (a.k) {
    case 'qualified':
      return { ...a, scope: next(), name: next() };
    case 'template':
      return { ...a, name: next(), args: a.args.map(next) };
    case 'typed':
      return { ...a, name: next(), type: next() };
    case 'withQuals':
    case 'pointer':
    case 'reference':
    case 'rvalue':
    case 'complex':
    case 'imaginary':
      return { ...a, base: next() };
    case 'method':
      return { ...a, method: next() };
    case 'function':
      return { ...a, ret: a.ret ? next() : null, args: a.args.map(next) };
    case 'array':
      return { ...a, dim: next(), elem: next() };
    case 'ptrmem':
      return { ...a, cls: next(), member: next() };
    case 'vector':
      return { ...a, dim: next(), base: next() };
    case 'vendor':
      return { ...a, qual: next(), type: next() };
    case 'elaborated':
      return { ...a, type: next() };
    case 'decltype':
      return { ...a, expr: next() };
    case 'cast':
      return { ...a, to: next() };
    case 'pack':
      return { ...a, args: a.args.map(next) };
    case 'exprList':
      return { ...a, exprs: a.exprs.map(next) };
    case 'literal':
      return { ...a, type: next() };
    case 'special':
      return { ...a, val: next(), val2: a.val2 ? next() : undefined };
    case 'closure':
      return { ...a, types: a.types.map(next) };
    case 'expansion':
      return { ...a, base: next() };
    case 'defaultArg':
      return { ...a, arg: next() };
    case 'tagged':
      return { ...a, name: next(), tag: next() };
    case 'ctor':
    case 'dtor':
      return { ...a, name: next() };
    default:
      return a;
  }
}
