// The demangler's parser: the Go package's (github.com/ianlancetaylor/demangle, demangle.go)
// for the Itanium grammar, reading what pprof's options reach (see demangle.ts).
import {
  DemangleError,
  findPack,
  findTemplate,
  hasReturnType,
  isDigit,
  isLower,
  isUpper,
  mapChildren,
  mergeQuals,
} from './demangleAst';
import type { Node, TemplateNode } from './demangleAst';
import { printNode } from './demanglePrint';

const BUILTIN: Record<string, string> = {
  a: 'signed char',
  b: 'bool',
  c: 'char',
  d: 'double',
  e: 'long double',
  f: 'float',
  g: '__float128',
  h: 'unsigned char',
  i: 'int',
  j: 'unsigned int',
  l: 'long',
  m: 'unsigned long',
  n: '__int128',
  o: 'unsigned __int128',
  s: 'short',
  t: 'unsigned short',
  v: 'void',
  w: 'wchar_t',
  x: 'long long',
  y: 'unsigned long long',
  z: '...',
};

const D_BUILTIN: Record<string, string> = {
  f: 'decimal32',
  d: 'decimal64',
  e: 'decimal128',
  h: 'half',
  u: 'char8_t',
  s: 'char16_t',
  i: 'char32_t',
  n: 'decltype(nullptr)',
};

/** Operator codes: [printed name, operand count]. */
const OPERATORS: Record<string, [string, number]> = {
  aN: ['&=', 2],
  aS: ['=', 2],
  aa: ['&&', 2],
  ad: ['&', 1],
  an: ['&', 2],
  at: ['alignof ', 1],
  aw: ['co_await ', 1],
  az: ['alignof ', 1],
  cc: ['const_cast', 2],
  cl: ['()', 2],
  cp: ['()', 2],
  cm: [',', 2],
  co: ['~', 1],
  dV: ['/=', 2],
  dX: ['[...]=', 3],
  da: ['delete[] ', 1],
  dc: ['dynamic_cast', 2],
  de: ['*', 1],
  di: ['=', 2],
  dl: ['delete ', 1],
  ds: ['.*', 2],
  dt: ['.', 2],
  dv: ['/', 2],
  dx: [']=', 2],
  eO: ['^=', 2],
  eo: ['^', 2],
  eq: ['==', 2],
  fl: ['...', 2],
  fr: ['...', 2],
  fL: ['...', 3],
  fR: ['...', 3],
  ge: ['>=', 2],
  gs: ['::', 1],
  gt: ['>', 2],
  ix: ['[]', 2],
  lS: ['<<=', 2],
  le: ['<=', 2],
  li: ['operator"" ', 1],
  ls: ['<<', 2],
  lt: ['<', 2],
  mI: ['-=', 2],
  mL: ['*=', 2],
  mi: ['-', 2],
  ml: ['*', 2],
  mm: ['--', 1],
  na: ['new[]', 3],
  ne: ['!=', 2],
  ng: ['-', 1],
  nt: ['!', 1],
  nw: ['new', 3],
  nx: ['noexcept', 1],
  oR: ['|=', 2],
  oo: ['||', 2],
  or: ['|', 2],
  pL: ['+=', 2],
  pl: ['+', 2],
  pm: ['->*', 2],
  pp: ['++', 1],
  ps: ['+', 1],
  pt: ['->', 2],
  qu: ['?', 3],
  rM: ['%=', 2],
  rS: ['>>=', 2],
  rc: ['reinterpret_cast', 2],
  rm: ['%', 2],
  rs: ['>>', 2],
  sP: ['sizeof...', 1],
  sZ: ['sizeof...', 1],
  sc: ['static_cast', 2],
  ss: ['<=>', 2],
  st: ['sizeof ', 1],
  sz: ['sizeof ', 1],
  tr: ['throw', 0],
  tw: ['throw ', 1],
};

const std = (s: string): Node => ({
  k: 'qualified',
  scope: { k: 'name', s: 'std' },
  name: { k: 'name', s },
  local: false,
});
const charTraits = (n: string): Node => ({
  k: 'template',
  name: std(n),
  args: [
    { k: 'builtin', s: 'char' },
    { k: 'template', name: std('char_traits'), args: [{ k: 'builtin', s: 'char' }] },
  ],
});
const STD_SUBS: Record<string, Node> = {
  t: { k: 'name', s: 'std' },
  a: std('allocator'),
  b: std('basic_string'),
  s: std('string'),
  i: std('istream'),
  o: std('ostream'),
  d: std('iostream'),
};
// Used before a constructor or destructor, whose name is the template's.
const STD_SUBS_FULL: Record<string, Node> = {
  ...STD_SUBS,
  s: {
    k: 'template',
    name: std('basic_string'),
    args: [
      { k: 'builtin', s: 'char' },
      { k: 'template', name: std('char_traits'), args: [{ k: 'builtin', s: 'char' }] },
      { k: 'template', name: std('allocator'), args: [{ k: 'builtin', s: 'char' }] },
    ],
  },
  i: charTraits('basic_istream'),
  o: charTraits('basic_ostream'),
  d: charTraits('basic_iostream'),
};

export class Parser {
  private pos = 0;
  private subs: Node[] = [];
  private templates: (TemplateNode | null)[] = [];
  private lambdaTemplateLevel = 0;
  /** Template parameters of a cast operator's type, bound once its template arguments are read. */
  private castParams: Extract<Node, { k: 'tparam' }>[] | null = null;
  /** Those of the cast operators read and not bound yet. */
  private readonly unboundCasts: Extract<Node, { k: 'tparam' }>[][] = [];

  constructor(private readonly str: string) {}

  get rest(): string {
    return this.str.slice(this.pos);
  }

  private peek(at = 0): string {
    return this.str.charAt(this.pos + at);
  }

  private startsWith(s: string): boolean {
    return this.str.startsWith(s, this.pos);
  }

  private fail(): never {
    throw new DemangleError(this.str);
  }

  private advance(n: number): void {
    if (this.pos + n > this.str.length) this.fail();
    this.pos += n;
  }

  private expect(c: string): void {
    if (this.peek() !== c) this.fail();
    this.pos++;
  }

  private get done(): boolean {
    return this.pos >= this.str.length;
  }

  /** <encoding>, with the function's parameters only when `params`. */
  encoding(params: boolean, forLocalName: boolean): Node {
    if (this.done) this.fail();
    const c = this.peek();
    if (c === 'G' || c === 'T') return this.specialName();
    let a = this.name();
    if (!params) {
      // Qualifiers of the method (and of a local name's) apply to `this`: not printed.
      if (a.k === 'method') a = a.method;
      if (a.k === 'qualified' && a.local) {
        const inner = a.name.k === 'defaultArg' ? a.name.arg : a.name;
        if (inner.k === 'method') {
          const name: Node =
            a.name.k === 'defaultArg' ? { ...a.name, arg: inner.method } : inner.method;
          a = { ...a, name };
        }
      }
      return a;
    }
    if (this.done || this.peek() === 'E') return a;
    const template = findTemplate(a);
    const oldLevel = this.lambdaTemplateLevel;
    if (template) {
      this.templates.push(template);
      this.lambdaTemplateLevel = 0;
    }
    if (this.startsWith('Ua9enable_ifI')) {
      this.advance('Ua9enable_if'.length);
      this.templateArgs();
    }
    let ft = this.bareFunctionType(hasReturnType(a));
    if (template) {
      this.templates.pop();
      this.lambdaTemplateLevel = oldLevel;
    }
    if (forLocalName && ft.k === 'function') ft = { ...ft, forLocalName: true };
    if (a.k === 'method') {
      ft = { k: 'method', method: ft, quals: a.quals, ref: a.ref };
      a = a.method;
    }
    if (a.k === 'qualified' && a.local) {
      const da = a.name.k === 'defaultArg' ? a.name : null;
      const inner = da ? da.arg : a.name;
      if (inner.k === 'method') {
        ft = { k: 'method', method: ft, quals: inner.quals, ref: inner.ref };
        a = { ...a, name: da ? { ...da, arg: inner.method } : inner.method };
      }
    }
    return { k: 'typed', name: a, type: ft };
  }

  private taggedName(a: Node): Node {
    while (this.peek() === 'B') {
      this.advance(1);
      a = { k: 'tagged', name: a, tag: this.sourceName() };
    }
    return a;
  }

  name(): Node {
    if (this.done) this.fail();
    const c = this.peek();
    if (c === 'N') return this.nestedName();
    if (c === 'Z') return this.localName();
    if (c === 'U') {
      const [a, isCast] = this.unqualifiedName();
      if (isCast) this.bindCast(null);
      return a;
    }
    let a: Node;
    let isCast = false;
    let subst = false;
    if (c === 'S') {
      if (this.peek(1) === 't') {
        this.advance(2);
        const [u, cast] = this.unqualifiedName();
        isCast = cast;
        a = { k: 'qualified', scope: { k: 'name', s: 'std' }, name: u, local: false };
      } else {
        a = this.substitution(false);
        subst = true;
      }
    } else {
      [a, isCast] = this.unqualifiedName();
    }
    if (this.peek() === 'I') {
      if (!subst) this.subs.push(a);
      const tmpl: TemplateNode = { k: 'template', name: a, args: this.templateArgs() };
      if (isCast) {
        this.bindCast(tmpl);
        isCast = false;
      }
      a = tmpl;
    }
    if (isCast) this.bindCast(null);
    return a;
  }

  private nestedName(): Node {
    this.expect('N');
    const quals = this.cvQualifiers();
    const ref = this.refQualifier();
    let a = this.prefix();
    if (quals.length > 0 || ref !== '') a = { k: 'method', method: a, quals, ref };
    this.expect('E');
    return a;
  }

  private prefix(): Node {
    let a: Node | null = null;
    let last: Node | null = null;
    let isCast = false;
    const lastName = (n: Node): Node => {
      for (;;) {
        if (n.k === 'template') n = n.name;
        else if (n.k === 'qualified') n = n.name;
        else if (n.k === 'tagged') n = n.name;
        else return n;
      }
    };
    for (;;) {
      if (this.done) this.fail();
      const c = this.peek();
      let next: Node;
      if (
        isDigit(c) ||
        isLower(c) ||
        c === 'U' ||
        c === 'L' ||
        (c === 'D' && this.peek(1) === 'C')
      ) {
        const [u, cast] = this.unqualifiedName();
        next = u;
        if (cast) isCast = true;
      } else if (c === 'C') {
        this.advance(1);
        const inheriting = this.peek() === 'I';
        if (inheriting) this.advance(1);
        if (this.done || last === null) this.fail();
        this.advance(1);
        if (inheriting) this.type(false);
        next = this.taggedName({ k: 'ctor', name: lastName(last) });
      } else if (c === 'D' && (this.peek(1) === 'T' || this.peek(1) === 't')) {
        next = this.type(false);
      } else if (c === 'D') {
        if (this.pos + 2 > this.str.length || last === null) this.fail();
        this.advance(2);
        next = this.taggedName({ k: 'dtor', name: lastName(last) });
      } else if (c === 'S') {
        next = this.substitution(true);
      } else if (c === 'I' || c === 'J') {
        if (a === null) this.fail();
        let args: Node[];
        if (c === 'I') args = this.templateArgs();
        else {
          // clang can write J for template arguments without the I.
          args = [];
          while (this.peek() !== 'E') args.push(this.templateArg());
          this.advance(1);
        }
        const tmpl: TemplateNode = { k: 'template', name: a, args };
        if (isCast) {
          this.bindCast(tmpl);
          isCast = false;
        }
        a = null;
        next = tmpl;
      } else if (c === 'T') {
        next = this.templateParam();
      } else if (c === 'E') {
        if (a === null) this.fail();
        if (isCast) this.bindCast(null);
        return a;
      } else if (c === 'M') {
        // A lambda's initializer scope: the variable stands as the type's scope.
        if (a === null) this.fail();
        this.advance(1);
        continue;
      } else {
        this.fail();
      }
      last = next;
      a = a === null ? next : { k: 'qualified', scope: a, name: next, local: false };
      if (c !== 'S' && this.peek() !== 'E') this.subs.push(a);
    }
  }

  private unqualifiedName(): [Node, boolean] {
    if (this.done) this.fail();
    const c = this.peek();
    let a: Node;
    let isCast = false;
    if (isDigit(c)) a = this.sourceName();
    else if (isLower(c)) {
      a = this.operatorName(false)[0];
      if (a.k === 'cast') isCast = true;
      if (a.k === 'operator' && a.s === 'operator"" ') {
        const n = this.sourceName();
        a = { k: 'expr', text: `operator"" ${printNode(n)}` };
      }
    } else if (c === 'D' && this.peek(1) === 'C') {
      this.advance(2);
      const bindings: string[] = [];
      for (;;) {
        bindings.push(printNode(this.sourceName()));
        if (this.peek() === 'E') {
          this.advance(1);
          break;
        }
      }
      a = { k: 'name', s: `[${bindings.join(', ')}]` };
    } else if (c === 'L') {
      this.advance(1);
      a = this.sourceName();
      this.discriminator();
    } else if (c === 'U') {
      const c2 = this.peek(1);
      if (c2 === 'b') {
        this.advance(2);
        this.compactNumber();
        a = { k: 'name', s: "'block-literal'" };
      } else if (c2 === 'l') a = this.closureTypeName();
      else if (c2 === 't') a = this.unnamedTypeName();
      else this.fail();
    } else {
      this.fail();
    }
    if (this.peek() === 'B') a = this.taggedName(a);
    return [a, isCast];
  }

  private sourceName(): Node {
    const n = this.number();
    if (n <= 0 || this.pos + n > this.str.length) this.fail();
    let id = this.str.slice(this.pos, this.pos + n);
    this.pos += n;
    // GCC's anonymous namespace.
    if (
      id.startsWith('_GLOBAL_') &&
      id.length > 10 &&
      '._$'.includes(id.charAt(8)) &&
      id.charAt(9) === 'N'
    ) {
      id = '(anonymous namespace)';
    }
    return { k: 'name', s: id };
  }

  private number(): number {
    let neg = false;
    if (this.peek() === 'n') {
      neg = true;
      this.advance(1);
    }
    if (!isDigit(this.peek())) this.fail();
    let val = 0;
    while (isDigit(this.peek())) {
      if (val >= 0x80000000 / 10 - 10) this.fail();
      val = val * 10 + Number(this.peek());
      this.pos++;
    }
    return neg ? -val : val;
  }

  private seqID(eofOK: boolean): number {
    if (this.peek() === '_') {
      this.advance(1);
      return 0;
    }
    let id = 0;
    for (;;) {
      if (this.done) {
        if (eofOK) return id + 1;
        this.fail();
      }
      if (id >= 0x80000000 / 36 - 36) this.fail();
      const c = this.peek();
      this.pos++;
      if (c === '_') return id + 1;
      if (isDigit(c)) id = id * 36 + Number(c);
      else if (isUpper(c)) id = id * 36 + c.charCodeAt(0) - 55;
      else this.fail();
    }
  }

  /** <operator-name>: the node and its operand count. */
  private operatorName(inExpression: boolean): [Node, number] {
    if (this.pos + 2 > this.str.length) this.fail();
    const code = this.str.slice(this.pos, this.pos + 2);
    this.pos += 2;
    if (code[0] === 'v' && isDigit(code[1])) {
      const n = this.sourceName();
      return [{ k: 'operator', s: n.k === 'name' ? n.s : '' }, Number(code[1])];
    }
    if (code === 'cv') {
      if (!inExpression) this.templates.push(null);
      const outer = this.castParams;
      if (!inExpression) this.castParams = [];
      const to = this.type(!inExpression);
      const params = this.castParams;
      if (!inExpression) {
        this.templates.pop();
        this.castParams = outer;
      }
      if (params) this.unboundCasts.push(params);
      return [{ k: 'cast', to }, 1];
    }
    const op = OPERATORS[code] as [string, number] | undefined;
    if (!op) this.fail();
    return [{ k: 'operator', s: op[0] }, op[1]];
  }

  /** Binds the forward-referenced template parameters of the cast operator just read. */
  private bindCast(tmpl: TemplateNode | null): void {
    for (const params of this.unboundCasts.splice(0)) {
      for (const p of params) {
        if (p.template === null) {
          if (tmpl === null || p.index >= tmpl.args.length) this.fail();
          p.template = tmpl;
        }
      }
    }
  }

  private localName(): Node {
    this.expect('Z');
    const fn = this.encoding(true, true);
    this.expect('E');
    if (this.peek() === 's') {
      this.advance(1);
      this.discriminator();
      return { k: 'qualified', scope: fn, name: { k: 'name', s: 'string literal' }, local: true };
    }
    let num = -1;
    if (this.peek() === 'd') {
      this.advance(1);
      num = this.compactNumber();
    }
    let n = this.name();
    this.discriminator();
    if (num >= 0) n = { k: 'defaultArg', num, arg: n };
    return { k: 'qualified', scope: fn, name: n, local: true };
  }

  private specialName(): Node {
    const c0 = this.peek();
    this.advance(1);
    if (this.done) this.fail();
    const c = this.peek();
    this.advance(1);
    const special = (prefix: string, val: Node): Node => ({ k: 'special', prefix, val });
    if (c0 === 'T') {
      switch (c) {
        case 'V':
          return special('vtable for ', this.type(false));
        case 'T':
          return special('VTT for ', this.type(false));
        case 'I':
          return special('typeinfo for ', this.type(false));
        case 'S':
          return special('typeinfo name for ', this.type(false));
        case 'A':
          return special('template parameter object for ', this.templateArg());
        case 'h':
          this.callOffset('h');
          return special('non-virtual thunk to ', this.encoding(true, false));
        case 'v':
          this.callOffset('v');
          return special('virtual thunk to ', this.encoding(true, false));
        case 'c':
          this.callOffset('');
          this.callOffset('');
          return special('covariant return thunk to ', this.encoding(true, false));
        case 'C': {
          const derived = this.type(false);
          if (this.number() < 0) this.fail();
          this.expect('_');
          const base = this.type(false);
          return {
            k: 'special',
            prefix: 'construction vtable for ',
            val: base,
            middle: '-in-',
            val2: derived,
          };
        }
        case 'F':
          return special('typeinfo fn for ', this.type(false));
        case 'J':
          return special('java Class for ', this.type(false));
        case 'H':
          return special('TLS init function for ', this.name());
        case 'W':
          return special('TLS wrapper function for ', this.name());
        default:
          this.fail();
      }
    }
    switch (c) {
      case 'V':
        return special('guard variable for ', this.name());
      case 'R': {
        const n = this.name();
        this.seqID(true);
        return special('reference temporary for ', n);
      }
      case 'A':
        return special('hidden alias for ', this.encoding(true, false));
      case 'T': {
        if (this.done) this.fail();
        const t = this.peek();
        this.advance(1);
        const v = this.encoding(true, false);
        return special(t === 'n' ? 'non-transaction clone for ' : 'transaction clone for ', v);
      }
      default:
        this.fail();
    }
  }

  private callOffset(c: string): void {
    if (c === '') {
      if (this.done) this.fail();
      c = this.peek();
      this.advance(1);
    }
    if (c === 'h') this.number();
    else if (c === 'v') {
      this.number();
      this.expect('_');
      this.number();
    } else this.fail();
    this.expect('_');
  }

  type(isCast: boolean): Node {
    if (this.done) this.fail();
    let addSubst = true;
    const quals = this.cvQualifiers();
    if (quals.length > 0) {
      if (this.done) this.fail();
      // Qualifiers before a function type apply to `this`: the bare type is no candidate.
      if (this.peek() === 'F') addSubst = false;
    }
    const c = this.peek();
    const builtin = BUILTIN[c] as string | undefined;
    if (builtin !== undefined) {
      this.advance(1);
      let ret: Node = { k: 'builtin', s: builtin };
      if (quals.length > 0) {
        ret = { k: 'withQuals', base: ret, quals };
        this.subs.push(ret);
      }
      return ret;
    }
    let ret: Node;
    switch (c) {
      case 'u':
        this.advance(1);
        ret = this.sourceName();
        break;
      case 'F':
        ret = this.functionType();
        break;
      case 'N':
      case 'Z':
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
      case '8':
      case '9':
        ret = this.name();
        break;
      case 'A':
        ret = this.arrayType(isCast);
        break;
      case 'M': {
        this.advance(1);
        const cls = this.type(false);
        ret = { k: 'ptrmem', cls, member: this.type(isCast) };
        break;
      }
      case 'T': {
        const c2 = this.peek(1);
        if (c2 === 's' || c2 === 'u' || c2 === 'e') {
          this.advance(2);
          const kind = c2 === 's' ? 'struct' : c2 === 'u' ? 'union' : 'enum';
          ret = { k: 'elaborated', kind, type: this.name() };
          break;
        }
        ret = this.templateParam();
        if (this.peek() === 'I') {
          if (!isCast) {
            this.subs.push(ret);
            ret = { k: 'template', name: ret, args: this.templateArgs() };
          } else {
            ret = this.castTemplateArgs(ret, true);
          }
        }
        break;
      }
      case 'S': {
        const c2 = this.peek(1);
        if (isDigit(c2) || c2 === '_' || isUpper(c2)) {
          ret = this.substitution(false);
          if (this.peek() !== 'I') addSubst = false;
          else if (ret.k !== 'tparam' || !isCast) {
            ret = { k: 'template', name: ret, args: this.templateArgs() };
          } else {
            const next = this.castTemplateArgs(ret, false);
            if (next === ret) addSubst = false;
            ret = next;
          }
        } else {
          ret = this.name();
          // A standard substitution is no candidate itself, unless given template arguments.
          if (ret === STD_SUBS[c2] || ret === STD_SUBS_FULL[c2]) addSubst = false;
        }
        break;
      }
      case 'O':
      case 'P':
      case 'R':
      case 'C':
      case 'G': {
        this.advance(1);
        const base = this.type(isCast);
        const kind = { O: 'rvalue', P: 'pointer', R: 'reference', C: 'complex', G: 'imaginary' }[
          c
        ] as 'rvalue' | 'pointer' | 'reference' | 'complex' | 'imaginary';
        ret = { k: kind, base };
        break;
      }
      case 'U': {
        const c2 = this.peek(1);
        if (c2 === 'l') {
          ret = this.closureTypeName();
          addSubst = false;
        } else if (c2 === 't') {
          ret = this.unnamedTypeName();
          addSubst = false;
        } else {
          this.advance(1);
          let n = this.sourceName();
          if (this.peek() === 'I') n = { k: 'template', name: n, args: this.templateArgs() };
          ret = { k: 'vendor', qual: n, type: this.type(isCast) };
        }
        break;
      }
      case 'D': {
        this.advance(1);
        if (this.done) this.fail();
        addSubst = false;
        const c2 = this.peek();
        this.advance(1);
        if (c2 === 'T' || c2 === 't') {
          const expr = this.expression();
          this.expect('E');
          ret = { k: 'decltype', expr };
          addSubst = true;
        } else if (c2 === 'p') {
          const base = this.type(isCast);
          ret = { k: 'expansion', base, pack: findPack(base) };
          addSubst = true;
        } else if (c2 === 'a') ret = { k: 'name', s: 'auto' };
        else if (c2 === 'c') ret = { k: 'name', s: 'decltype(auto)' };
        else if (D_BUILTIN[c2] !== undefined) ret = { k: 'builtin', s: D_BUILTIN[c2] };
        else if (c2 === 'v') {
          let dim: Node;
          if (this.peek() === '_') {
            this.advance(1);
            dim = this.expression();
          } else dim = { k: 'name', s: String(this.number()) };
          this.expect('_');
          ret = { k: 'vector', dim, base: this.type(isCast) };
          addSubst = true;
        } else this.fail();
        break;
      }
      default:
        this.fail();
    }
    if (addSubst) this.subs.push(ret);
    if (quals.length > 0) {
      if (ret.k === 'function') ret = { k: 'method', method: ret, quals, ref: '' };
      else if (ret.k === 'method') ret = { ...ret, quals: mergeQuals(quals, ret.quals) };
      else if (ret.k === 'withQuals')
        ret = { k: 'withQuals', base: ret.base, quals: mergeQuals(quals, ret.quals) };
      else ret = { k: 'withQuals', base: ret, quals };
      this.subs.push(ret);
    }
    return ret;
  }

  /**
   * In a cast operator's type, a template parameter with template arguments is a template
   * template parameter only when more template arguments follow; else the arguments are the
   * cast's own and are read again by the prefix.
   */
  private castTemplateArgs(tp: Node, addSubst: boolean): Node {
    const save = { pos: this.pos, subs: this.subs.length };
    try {
      const args = this.templateArgs();
      if (this.peek() === 'I') {
        if (addSubst) this.subs.push(tp);
        return { k: 'template', name: tp, args };
      }
    } catch (e) {
      if (!(e instanceof DemangleError)) throw e;
    }
    this.pos = save.pos;
    this.subs.length = save.subs;
    return tp;
  }

  private cvQualifiers(): string[] {
    const q: string[] = [];
    for (;;) {
      const c = this.peek();
      if (c === 'r' || c === 'V' || c === 'K') {
        q.unshift(c === 'r' ? 'restrict' : c === 'V' ? 'volatile' : 'const');
        this.advance(1);
      } else if (c === 'D' && 'xoOw'.includes(this.peek(1)) && this.peek(1) !== '') {
        const c2 = this.peek(1);
        this.advance(2);
        if (c2 === 'x') q.unshift('transaction_safe');
        else if (c2 === 'o') q.unshift('noexcept');
        else if (c2 === 'O') {
          const e = this.expression();
          this.expect('E');
          q.unshift(`noexcept(${printNode(e)})`);
        } else {
          const types = this.parmlist();
          this.expect('E');
          q.unshift(`throw(${types.map(printNode).join(', ')})`);
        }
      } else return q;
    }
  }

  private refQualifier(): string {
    const c = this.peek();
    if (c === 'R' || c === 'O') {
      this.advance(1);
      return c === 'R' ? '&' : '&&';
    }
    return '';
  }

  private parmlist(): Node[] {
    const ret: Node[] = [];
    for (;;) {
      if (this.done) break;
      const c = this.peek();
      if (c === 'E' || c === '.') break;
      if ((c === 'R' || c === 'O') && this.peek(1) === 'E') break;
      ret.push(this.type(false));
    }
    if (ret.length === 0) this.fail();
    if (ret.length === 1 && ret[0].k === 'builtin' && ret[0].s === 'void') return [];
    return ret;
  }

  private functionType(): Node {
    this.expect('F');
    if (this.peek() === 'Y') this.advance(1);
    let ret: Node = this.bareFunctionType(true);
    const r = this.refQualifier();
    if (r !== '') ret = { k: 'method', method: ret, quals: [], ref: r };
    this.expect('E');
    return ret;
  }

  private bareFunctionType(hasReturn: boolean): Node {
    if (this.peek() === 'J') {
      hasReturn = true;
      this.advance(1);
    }
    const ret = hasReturn ? this.type(false) : null;
    return { k: 'function', ret, args: this.parmlist(), forLocalName: false };
  }

  private arrayType(isCast: boolean): Node {
    this.expect('A');
    if (this.done) this.fail();
    let dim: Node;
    if (this.peek() === '_') dim = { k: 'name', s: '' };
    else if (isDigit(this.peek())) {
      const start = this.pos;
      while (isDigit(this.peek())) this.pos++;
      dim = { k: 'name', s: this.str.slice(start, this.pos) };
    } else dim = this.expression();
    this.expect('_');
    const elem = this.type(isCast);
    if (elem.k === 'withQuals')
      return { k: 'withQuals', base: { k: 'array', dim, elem: elem.base }, quals: elem.quals };
    return { k: 'array', dim, elem };
  }

  private compactNumber(): number {
    if (this.done) this.fail();
    if (this.peek() === '_') {
      this.advance(1);
      return 0;
    }
    if (this.peek() === 'n') this.fail();
    const n = this.number();
    this.expect('_');
    return n + 1;
  }

  private templateParam(): Node {
    this.expect('T');
    let level = 0;
    if (this.peek() === 'L') {
      this.advance(1);
      level = this.compactNumber();
    }
    const n = this.compactNumber();
    if (level >= this.templates.length) {
      if (this.lambdaTemplateLevel > 0 && level === this.lambdaTemplateLevel - 1)
        return { k: 'lambdaAuto', index: n };
      this.fail();
    }
    const template = this.templates[level];
    if (template === null) {
      const p: Extract<Node, { k: 'tparam' }> = { k: 'tparam', index: n, template: null };
      this.castParams?.push(p);
      return p;
    }
    if (n >= template.args.length) {
      if (this.lambdaTemplateLevel > 0 && level === this.lambdaTemplateLevel - 1)
        return { k: 'lambdaAuto', index: n };
      this.fail();
    }
    return { k: 'tparam', index: n, template };
  }

  templateArgs(): Node[] {
    const c = this.peek();
    if (c !== 'I' && c !== 'J') this.fail();
    this.advance(1);
    const ret: Node[] = [];
    while (this.peek() !== 'E') ret.push(this.templateArg());
    this.advance(1);
    return ret;
  }

  private templateArg(): Node {
    if (this.done) this.fail();
    switch (this.peek()) {
      case 'X': {
        this.advance(1);
        const e = this.expression();
        this.expect('E');
        return e;
      }
      case 'L':
        return this.exprPrimary();
      case 'I':
      case 'J':
        return { k: 'pack', args: this.templateArgs() };
      default:
        return this.type(false);
    }
  }

  private exprList(stop: string): Node {
    if (this.peek() === stop) {
      this.advance(1);
      return { k: 'exprList', exprs: [] };
    }
    const exprs: Node[] = [];
    for (;;) {
      exprs.push(this.expression());
      if (this.peek() === stop) {
        this.advance(1);
        return { k: 'exprList', exprs };
      }
      if (this.done) this.fail();
    }
  }

  /**
   * <expression>, read as the Go package reads it so that what follows parses the same; the
   * text it prints is a plain rendering (expressions only print inside printed types).
   */
  private expression(): Node {
    if (this.done) this.fail();
    const c = this.peek();
    const c2 = this.peek(1);
    const text = (s: string): Node => ({ k: 'expr', text: s });
    if (c === 'L') return this.exprPrimary();
    if (c === 'T') return this.templateParam();
    if (c === 's' && c2 === 'o') {
      this.advance(2);
      const t = this.type(false);
      const e = this.expression();
      if (this.peek() === 'n' || isDigit(this.peek())) this.number();
      while (this.peek() === '_') {
        this.advance(1);
        if (this.peek() === 'n' || isDigit(this.peek())) this.number();
      }
      if (this.peek() === 'p') this.advance(1);
      this.expect('E');
      return text(`${printNode(e)}.<${printNode(t)}>`);
    }
    if (c === 's' && c2 === 'r') return this.unresolvedName();
    if (c === 's' && c2 === 'p') {
      this.advance(2);
      const e = this.expression();
      return { k: 'expansion', base: e, pack: findPack(e) };
    }
    if (c === 's' && c2 === 'Z') {
      this.advance(2);
      const e = this.expression();
      const pack = findPack(e);
      if (!pack) this.fail();
      return text(String(pack.args.length));
    }
    if (c === 's' && c2 === 'P') {
      this.advance(2);
      let n = 0;
      while (this.peek() !== 'E') {
        const a = this.templateArg();
        n += a.k === 'pack' ? a.args.length : a.k === 'exprList' ? a.exprs.length : 1;
      }
      this.advance(1);
      return text(String(n));
    }
    if (c === 'f' && c2 === 'p') {
      this.advance(2);
      if (this.peek() === 'T') {
        this.advance(1);
        return text('this');
      }
      this.cvQualifiers();
      return text(`{parm#${this.compactNumber() + 1}}`);
    }
    if (c === 'f' && c2 === 'L' && isDigit(this.peek(2))) {
      this.advance(2);
      this.number();
      this.expect('p');
      this.cvQualifiers();
      return text(`{parm#${this.compactNumber() + 1}}`);
    }
    if (c === 'm' && c2 === 'c') {
      this.advance(2);
      const t = this.type(false);
      const e = this.expression();
      if (this.peek() === 'n' || isDigit(this.peek())) this.number();
      this.expect('E');
      return text(`(${printNode(t)})(${printNode(e)})`);
    }
    if (isDigit(c) || (c === 'o' && c2 === 'n')) {
      if (c === 'o') this.advance(2);
      let n = this.unqualifiedName()[0];
      if (this.peek() === 'I') n = { k: 'template', name: n, args: this.templateArgs() };
      return n;
    }
    if ((c === 'i' || c === 't') && c2 === 'l') {
      this.advance(2);
      const t = c === 't' ? this.type(false) : null;
      const list = this.exprList('E');
      return text(`${t ? printNode(t) : ''}{${printNode(list)}}`);
    }
    if (c === 's' && c2 === 't') {
      this.operatorName(true);
      return text(`sizeof (${printNode(this.type(false))})`);
    }
    if (c === 'u') {
      this.advance(1);
      const name = this.sourceName();
      if (
        name.k === 'name' &&
        name.s === '__uuidof' &&
        (this.peek() === 't' || this.peek() === 'z')
      ) {
        const t = this.peek();
        this.advance(1);
        const operand = t === 't' ? this.type(false) : this.expression();
        return text(`__uuidof(${printNode(operand)})`);
      }
      const args: Node[] = [];
      for (;;) {
        if (this.done) this.fail();
        if (this.peek() === 'E') {
          this.advance(1);
          break;
        }
        args.push(this.templateArg());
      }
      return text(`${printNode(name)}(${args.map(printNode).join(', ')})`);
    }
    if (this.pos + 2 > this.str.length) this.fail();
    const code = this.str.slice(this.pos, this.pos + 2);
    const [op, arity] = this.operatorName(true);
    const opText = op.k === 'operator' ? op.s : printNode(op);
    if (arity === 0) return text(opText);
    if (arity === 1) {
      if ((code === 'pp' || code === 'mm') && this.peek() === '_') this.advance(1);
      const operand =
        op.k === 'cast' && this.peek() === '_'
          ? (this.advance(1), this.exprList('E'))
          : this.expression();
      return text(`${opText}${printNode(operand)}`);
    }
    if (arity === 2) {
      let left: Node;
      if (code === 'sc' || code === 'dc' || code === 'cc' || code === 'rc') left = this.type(false);
      else if (code[0] === 'f') {
        const [inner] = this.operatorName(true);
        const right = this.expression();
        return text(`(...${printNode(inner)}${printNode(right)})`);
      } else if (code === 'di') left = this.unqualifiedName()[0];
      else left = this.expression();
      let right: Node;
      if (code === 'cl' || code === 'cp') right = this.exprList('E');
      else if (code === 'dt' || code === 'pt') {
        right = this.unresolvedName();
        if (this.peek() === 'I') right = { k: 'template', name: right, args: this.templateArgs() };
      } else right = this.expression();
      return text(`(${printNode(left)})${opText}(${printNode(right)})`);
    }
    if (code[0] === 'n') {
      const place = this.exprList('_');
      const t = this.type(false);
      if (this.peek() === 'E') this.advance(1);
      else if (this.startsWith('pi')) {
        this.advance(2);
        this.exprList('E');
      } else if (this.startsWith('il')) this.expression();
      else this.fail();
      return text(`new (${printNode(place)}) ${printNode(t)}`);
    }
    if (code[0] === 'f') {
      this.operatorName(true);
      this.expression();
      this.expression();
      return text('(...)');
    }
    const a = this.expression();
    const b = this.expression();
    const d = this.expression();
    return text(`(${printNode(a)}) ? (${printNode(b)}) : (${printNode(d)})`);
  }

  private unresolvedName(): Node {
    if (this.startsWith('gs')) {
      this.advance(2);
      return { k: 'expr', text: `::${printNode(this.unresolvedName())}` };
    }
    if (this.startsWith('sr')) {
      this.advance(2);
      if (this.done) this.fail();
      const c = this.peek();
      if (c === 'T' || c === 'D' || c === 'S') {
        const t = this.type(false);
        let n: Node = { k: 'qualified', scope: t, name: this.baseUnresolvedName(), local: false };
        if (this.peek() === 'I') {
          n = { k: 'template', name: n, args: this.templateArgs() };
          this.subs.push(n);
        }
        return n;
      }
      let s: Node | null = null;
      if (c === 'N') {
        this.advance(1);
        s = this.type(false);
      }
      while (this.peek() !== 'E') {
        if (this.done) this.fail();
        // GCC can write type/name without the E.
        if (s !== null && !isDigit(this.peek()) && s.k === 'qualified') {
          const a = s.scope;
          if (a.k === 'template') this.subs.push(a.name, a);
          else this.subs.push(a);
          return s;
        }
        let n = this.sourceName();
        if (this.peek() === 'I') {
          this.subs.push(n);
          n = { k: 'template', name: n, args: this.templateArgs() };
        }
        s = s === null ? n : { k: 'qualified', scope: s, name: n, local: false };
        this.subs.push(s);
      }
      if (s === null) this.fail();
      this.advance(1);
      return { k: 'qualified', scope: s, name: this.baseUnresolvedName(), local: false };
    }
    return this.baseUnresolvedName();
  }

  private baseUnresolvedName(): Node {
    let n: Node;
    if (this.startsWith('on')) {
      this.advance(2);
      n = this.operatorName(true)[0];
    } else if (this.startsWith('dn')) {
      this.advance(2);
      n = { k: 'dtor', name: isDigit(this.peek()) ? this.sourceName() : this.type(false) };
    } else if (isDigit(this.peek())) n = this.sourceName();
    else n = this.operatorName(true)[0];
    if (this.peek() === 'I') n = { k: 'template', name: n, args: this.templateArgs() };
    return n;
  }

  private exprPrimary(): Node {
    this.expect('L');
    if (this.done) this.fail();
    let ret: Node;
    if (this.peek() === '_' || this.peek() === 'Z') {
      if (this.peek() === '_') this.advance(1);
      this.expect('Z');
      ret = this.encoding(true, false);
    } else {
      const t = this.type(false);
      let neg = false;
      if (this.peek() === 'n') {
        neg = true;
        this.advance(1);
      }
      if (this.peek() === 'E') {
        const base = t.k === 'withQuals' ? t.base : t;
        if (t.k === 'builtin' && t.s === 'decltype(nullptr)') {
          // A nullptr has no value (GCC once wrote one).
        } else if (t.k === 'closure') {
          this.advance(1);
          return t;
        } else if (base.k === 'array') {
          this.advance(1);
          return { k: 'expr', text: '"<string literal>"' };
        } else this.fail();
      }
      const start = this.pos;
      while (!this.done && this.peek() !== 'E') this.pos++;
      ret = { k: 'literal', type: t, val: this.str.slice(start, this.pos), neg };
    }
    this.expect('E');
    return ret;
  }

  private discriminator(): void {
    if (this.peek() !== '_') {
      // clang can end the name with a discriminator without the underscore.
      if (/^\d*$/.test(this.rest)) this.pos = this.str.length;
      return;
    }
    this.advance(1);
    const two = this.peek() === '_';
    if (two) this.advance(1);
    const d = this.number();
    if (d < 0) this.fail();
    if (two && d >= 10) this.expect('_');
  }

  private closureTypeName(): Node {
    this.expect('U');
    this.expect('l');
    const oldLevel = this.lambdaTemplateLevel;
    this.lambdaTemplateLevel = this.templates.length + 1;
    // Lambda template parameters (Ty, Tn…): not printed without template parameters.
    let template: TemplateNode | null = null;
    while (this.peek() === 'T' && 'ynpt'.includes(this.peek(1)) && this.peek(1) !== '') {
      const val = this.templateParamDecl();
      if (template === null) {
        template = { k: 'template', name: { k: 'name', s: 'lambda' }, args: [] };
        this.templates.push(template);
      }
      template.args.push(val);
    }
    const types = this.parmlist();
    this.lambdaTemplateLevel = oldLevel;
    if (template) this.templates.pop();
    this.expect('E');
    const num = this.compactNumber();
    return { k: 'closure', types, num };
  }

  private templateParamDecl(): Node {
    const c = this.peek(1);
    this.advance(2);
    if (c === 'n') this.type(false);
    else if (c === 'p') return this.templateParamDecl();
    else if (c === 't') {
      while (this.peek() !== 'E') {
        if (this.done || this.peek() !== 'T') this.fail();
        this.templateParamDecl();
      }
      this.advance(1);
    }
    return { k: 'name', s: '$T' };
  }

  private unnamedTypeName(): Node {
    this.expect('U');
    this.expect('t');
    const ret: Node = { k: 'unnamed', num: this.compactNumber() };
    this.subs.push(ret);
    return ret;
  }

  /**
   * A substitution's template parameters refer to the template in scope where it is used, not
   * where it was read (the Go package's copy in substitution).
   */
  private rebind(ret: Node): Node {
    const scopes = [...this.templates];
    const lambdaLevels: number[] = [];
    let lambdaLevel = this.lambdaTemplateLevel;
    const seen = new Set<Node>();
    const copy = (a: Node): Node => {
      if (a.k === 'tparam' || a.k === 'lambdaAuto') {
        if (lambdaLevel > 0) return a.k === 'lambdaAuto' ? a : { k: 'lambdaAuto', index: a.index };
        let template: TemplateNode | null;
        if (scopes.length > 0) template = scopes[scopes.length - 1];
        else if (ret.k === 'template') template = ret;
        else this.fail();
        if (template !== null && a.index >= template.args.length) this.fail();
        return { k: 'tparam', index: a.index, template };
      }
      if (seen.has(a)) return a;
      seen.add(a);
      if (a.k === 'typed' && a.name.k === 'template') {
        scopes.push(a.name);
        const r = mapChildren(a, copy);
        scopes.pop();
        return r;
      }
      if (a.k === 'closure') {
        lambdaLevels.push(lambdaLevel);
        lambdaLevel = scopes.length + 1;
        const r = mapChildren(a, copy);
        lambdaLevel = lambdaLevels.pop() ?? 0;
        return r;
      }
      return mapChildren(a, copy);
    };
    return copy(ret);
  }

  private substitution(forPrefix: boolean): Node {
    this.expect('S');
    if (this.done) this.fail();
    const c = this.peek();
    if (c === '_' || isDigit(c) || isUpper(c)) {
      const id = this.seqID(false);
      if (id >= this.subs.length) this.fail();
      return this.rebind(this.subs[id]);
    }
    this.advance(1);
    const next = this.peek();
    const table = forPrefix && (next === 'C' || next === 'D') ? STD_SUBS_FULL : STD_SUBS;
    let a = table[c] as Node | undefined;
    if (a === undefined) this.fail();
    if (this.peek() === 'B') {
      a = this.taggedName(a);
      this.subs.push(a);
    }
    return a;
  }
}
