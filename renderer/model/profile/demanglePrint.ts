// The demangler's printer: the Go package's printState (github.com/ianlancetaylor/demangle,
// ast.go) with NoTemplateParams, types printed inside out as C++ declares them.
import { DemangleError, isLower, mergeQuals } from './demangleAst';
import type { Node, PackNode } from './demangleAst';

/** The Go package's printState, without its options (template parameters are never printed). */
class Printer {
  buf = '';
  inner: Node[] = [];
  private printing: Node[] = [];
  /** The element a pack expansion is being printed for, by pack. */
  private readonly packElement = new Map<PackNode, Node>();

  private get last(): string {
    return this.buf.charAt(this.buf.length - 1);
  }

  write(s: string): void {
    this.buf += s;
  }

  print(a: Node): void {
    // A substitution may make the graph cyclic: print a node at most twice on the way down.
    let c = 0;
    for (const v of this.printing) if (v === a && ++c > 1) return;
    this.printing.push(a);
    this.printNode(a);
    this.printing.pop();
  }

  /** The node a template parameter stands for (a pack's element inside its expansion). */
  private resolve(a: Node): Node {
    while (a.k === 'tparam') {
      const arg = a.template?.args[a.index];
      if (!arg) throw new DemangleError('template parameter out of range');
      a = arg.k === 'pack' ? (this.packElement.get(arg) ?? arg) : arg;
    }
    return a;
  }

  private printNode(a: Node): void {
    switch (a.k) {
      case 'name':
      case 'builtin':
        this.write(a.s);
        return;
      case 'expr':
        this.write(a.text);
        return;
      case 'qualified':
        this.print(a.scope);
        this.write('::');
        this.print(a.name);
        return;
      case 'template': {
        // Inner types apply to the template as a whole; its arguments are not printed.
        const hold = this.inner;
        this.inner = [];
        this.print(a.name);
        this.inner = hold;
        return;
      }
      case 'tparam':
        this.print(this.resolve(a));
        return;
      case 'lambdaAuto':
        this.write(`auto:${a.index + 1}`);
        return;
      case 'typed': {
        const hold = this.inner;
        this.inner = [a];
        this.print(a.type);
        if (this.inner.length > 0) {
          this.write(' ');
          this.print(a.name);
        }
        this.inner = hold;
        return;
      }
      case 'withQuals': {
        const base = this.resolve(a.base);
        if (base.k === 'withQuals') {
          this.print({ k: 'withQuals', base: base.base, quals: mergeQuals(a.quals, base.quals) });
          return;
        }
        if (base.k === 'function') {
          this.print({ k: 'method', method: base, quals: a.quals, ref: '' });
          return;
        }
        this.inner.push(a);
        this.print(a.base);
        if (this.inner.length > 0) {
          this.write(` ${a.quals.join(' ')}`);
          this.inner.pop();
        }
        return;
      }
      case 'method':
        this.inner.push(a);
        this.print(a.method);
        if (this.inner.length > 0) {
          this.printInnerOf(a);
          this.inner.pop();
        }
        return;
      case 'reference':
      case 'rvalue': {
        // Reference collapsing, as the Go package's simplify.
        const base = this.resolve(a.base);
        if (base.k === 'reference' || base.k === 'rvalue') {
          this.print(a.k === 'rvalue' ? base : { k: 'reference', base: base.base });
          return;
        }
        this.printBase(a, a.base);
        return;
      }
      case 'pointer':
      case 'complex':
      case 'imaginary':
        this.printBase(a, a.base);
        return;
      case 'vendor':
        this.inner.push(a);
        this.print(a.type);
        if (this.inner.length > 0) this.printOneInner(null);
        return;
      case 'array':
        this.inner.push(a);
        this.print(a.elem);
        if (this.inner.length > 0) {
          this.inner.pop();
          this.printDimension(a);
        }
        return;
      case 'function':
        if (a.ret && !a.forLocalName) {
          this.inner.push(a);
          this.print(a.ret);
          if (this.inner.length === 0) return;
          this.inner.pop();
          this.write(' ');
        }
        this.printArgs(a);
        return;
      case 'ptrmem':
      case 'vector':
        this.inner.push(a);
        this.print(a.k === 'ptrmem' ? a.member : a.base);
        if (this.inner.length > 0) this.printOneInner(null);
        return;
      case 'elaborated':
        this.write(`${a.kind} `);
        this.print(a.type);
        return;
      case 'decltype':
        this.write('decltype (');
        this.print(a.expr);
        this.write(')');
        return;
      case 'operator': {
        this.write('operator');
        if (isLower(a.s.charAt(0))) this.write(' ');
        this.write(a.s.replace(/ $/, ''));
        return;
      }
      case 'cast':
        this.write('operator ');
        this.print(a.to);
        return;
      case 'ctor':
        this.print(a.name);
        return;
      case 'dtor':
        this.write('~');
        this.print(a.name);
        return;
      case 'tagged':
        this.print(a.name);
        this.write('[abi:');
        this.print(a.tag);
        this.write(']');
        return;
      case 'closure':
        this.write('{lambda(');
        this.printList(a.types);
        this.write(`)#${a.num + 1}}`);
        return;
      case 'unnamed':
        this.write(`{unnamed type#${a.num + 1}}`);
        return;
      case 'special':
        this.write(a.prefix);
        this.print(a.val);
        if (a.val2) {
          this.write(a.middle ?? '');
          this.print(a.val2);
        }
        return;
      case 'defaultArg':
        this.write(`{default arg#${a.num + 1}}::`);
        this.print(a.arg);
        return;
      case 'pack':
        this.printList(a.args);
        return;
      case 'exprList':
        this.printList(a.exprs);
        return;
      case 'expansion':
        if (a.pack === null) {
          this.write('(');
          this.print(a.base);
          this.write(')...');
        } else {
          const elements = a.pack.args;
          elements.forEach((el, i) => {
            if (i > 0) this.write(', ');
            this.packElement.set(a.pack as PackNode, el);
            this.print(a.base);
          });
          this.packElement.delete(a.pack);
        }
        return;
      case 'literal':
        this.printLiteral(a);
        return;
    }
  }

  private printList(items: Node[]): void {
    let first = true;
    for (const item of items) {
      if (this.isEmpty(item)) continue;
      if (!first) this.write(', ');
      this.print(item);
      first = false;
    }
  }

  private isEmpty(a: Node): boolean {
    if (a.k === 'pack') return a.args.every((x) => this.isEmpty(x));
    if (a.k === 'exprList') return a.exprs.length === 0;
    if (a.k === 'expansion') return a.pack !== null && a.pack.args.length === 0;
    return false;
  }

  private printLiteral(a: Extract<Node, { k: 'literal' }>): void {
    const t = a.type;
    if (t.k === 'builtin') {
      if (t.s === 'bool' && (a.val === '0' || a.val === '1') && !a.neg) {
        this.write(a.val === '0' ? 'false' : 'true');
        return;
      }
      if (t.s === 'decltype(nullptr)' && a.val === '') {
        this.write('nullptr');
        return;
      }
      const suffix: Record<string, string> = {
        int: '',
        'unsigned int': 'u',
        long: 'l',
        'unsigned long': 'ul',
        'long long': 'll',
        'unsigned long long': 'ull',
      };
      if (suffix[t.s] !== undefined) {
        this.write(`${a.neg ? '-' : ''}${a.val}${suffix[t.s]}`);
        return;
      }
    }
    this.write('(');
    this.print(t);
    this.write(`)${a.neg ? '-' : ''}${a.val}`);
  }

  private printBase(qual: Node, base: Node): void {
    this.inner.push(qual);
    this.print(base);
    if (this.inner.length > 0) {
      this.printInnerOf(qual);
      this.inner.pop();
    }
  }

  /** The part of an inner type printed around the name (the Go package's printInner). */
  private printInnerOf(a: Node): void {
    switch (a.k) {
      case 'pointer':
        this.write('*');
        return;
      case 'reference':
        this.write('&');
        return;
      case 'rvalue':
        this.write('&&');
        return;
      case 'complex':
        this.write(' _Complex');
        return;
      case 'imaginary':
        this.write(' _Imaginary');
        return;
      case 'withQuals':
        this.write(` ${a.quals.join(' ')}`);
        return;
      case 'method':
        if (a.quals.length > 0) this.write(` ${a.quals.join(' ')}`);
        if (a.ref !== '') this.write(` ${a.ref}`);
        return;
      case 'array':
        this.printDimension(a);
        return;
      case 'function':
        this.printArgs(a);
        return;
      case 'ptrmem':
        if (this.last !== '(') this.write(' ');
        this.print(a.cls);
        this.write('::*');
        return;
      case 'vector':
        this.write(' __vector(');
        this.print(a.dim);
        this.write(')');
        return;
      case 'vendor':
        this.write(' ');
        this.print(a.qual);
        return;
      case 'typed':
        this.print(a.name);
        return;
      default:
        this.print(a);
    }
  }

  private printOneInner(save: Node[] | null): void {
    const a = this.inner.pop();
    if (a === undefined) throw new DemangleError('no inner type');
    if (save && a.k === 'method') {
      save.push(a);
      return;
    }
    this.printInnerOf(a);
  }

  private printAllInner(prefixOnly: boolean): Node[] {
    const save: Node[] = [];
    while (this.inner.length > 0) this.printOneInner(prefixOnly ? save : null);
    return save;
  }

  private printDimension(a: Extract<Node, { k: 'array' }>): void {
    let space = ' ';
    while (this.inner.length > 0) {
      let inn = this.inner[this.inner.length - 1];
      if (inn.k === 'withQuals') inn = inn.base;
      if (inn.k === 'array') {
        if (inn === this.inner[this.inner.length - 1]) space = '';
        this.printOneInner(null);
      } else {
        this.write(' (');
        this.printAllInner(false);
        this.write(')');
      }
    }
    this.write(`${space}[`);
    this.print(a.dim);
    this.write(']');
  }

  private printArgs(ft: Extract<Node, { k: 'function' }>): void {
    let paren = false;
    let space = false;
    for (let i = this.inner.length - 1; i >= 0; i--) {
      const k = this.inner[i].k;
      if (k === 'pointer' || k === 'reference' || k === 'rvalue') paren = true;
      else if (k === 'withQuals' || k === 'complex' || k === 'imaginary' || k === 'ptrmem') {
        space = true;
        paren = true;
      }
      if (paren) break;
    }
    if (paren) {
      if (!space && this.last !== '(' && this.last !== '*') space = true;
      if (space && this.last !== ' ') this.write(' ');
      this.write('(');
    }
    const save = this.printAllInner(true);
    if (paren) this.write(')');
    this.write('(');
    this.printList(ft.args);
    this.write(')');
    this.inner = save;
    this.printAllInner(false);
  }
}

export function printNode(a: Node): string {
  const p = new Printer();
  p.print(a);
  return p.buf;
}
