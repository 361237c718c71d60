// Label selectors as the API server parses them (k8s.io/apimachinery/pkg/labels, selector.go):
// `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x)`, `a gt 1`, `a lt 1`; a comma
// is AND. Errors keep the parser's words, so a bad selector answers what a real server says.

type Operator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

type Token =
  | 'error'
  | 'end'
  | ')'
  | ','
  | '!'
  | '=='
  | '='
  | '>'
  | 'identifier'
  | 'in'
  | '<'
  | '!='
  | 'notin'
  | '(';

const KEYWORDS: Record<string, Token> = {
  ')': ')',
  ',': ',',
  '!': '!',
  '==': '==',
  '=': '=',
  '>': '>',
  in: 'in',
  '<': '<',
  '!=': '!=',
  notin: 'notin',
  '(': '(',
};

const isWhitespace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string) => '=!(),><'.includes(c);

function lex(s: string): [Token, string][] {
  const out: [Token, string][] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos])) pos++;
    if (pos >= s.length) {
      out.push(['end', '']);
      return out;
    }
    const c = s[pos];
    if (isSpecial(c)) {
      pos++;
      if ((c === '!' || c === '=') && s[pos] === '=') {
        pos++;
        out.push([c === '!' ? '!=' : '==', `${c}=`]);
      } else out.push([KEYWORDS[c], c]);
      continue;
    }
    const start = pos;
    while (pos < s.length && !isSpecial(s[pos]) && !isWhitespace(s[pos])) pos++;
    const lit = s.slice(start, pos);
    out.push([KEYWORDS[lit] ?? 'identifier', lit]);
  }
}

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function keyError(key: string): string | null {
  const slash = key.split('/');
  const name = slash.length === 2 ? slash[1] : slash[0];
  if (slash.length > 2 || (slash.length === 2 && !DNS1123_SUBDOMAIN.test(slash[0])))
    return `key: Invalid value: "${key}": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`;
  if (name.length > 63)
    return `key: Invalid value: "${key}": name part must be no more than 63 characters`;
  if (!NAME.test(name))
    return `key: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`;
  return null;
}

function valueError(value: string): string | null {
  if (value === '') return null;
  if (value.length > 63)
    return `values[0]: Invalid value: "${value}": must be no more than 63 characters`;
  if (!NAME.test(value))
    return `values[0]: Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`;
  return null;
}

/** NewRequirement's checks. */
function requirement(key: string, operator: Operator, values: string[]): Requirement {
  const err = keyError(key);
  if (err) throw new Error(err);
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0)
        throw new Error(
          "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
        );
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1)
        throw new Error(
          `values: Invalid value: ${JSON.stringify(values)}: exact-match compatibility requires one single value`,
        );
      break;
    case 'exists':
    case '!':
      if (values.length !== 0)
        throw new Error(
          `values: Invalid value: ${JSON.stringify(values)}: values set must be empty for exists and does not exist`,
        );
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1 || !/^-?\d+$/.test(values[0]))
        throw new Error(
          `values[0]: Invalid value: "${values[0] ?? ''}": for 'Gt', 'Lt' operators, the value must be an integer`,
        );
      return { key, operator, values };
  }
  for (const v of values) {
    const vErr = valueError(v);
    if (vErr) throw new Error(vErr);
  }
  return { key, operator, values };
}

const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

/** Parses a selector; throws the parser's error text (a real server answers it with 400). */
export function parseSelector(selector: string): Requirement[] {
  const items = lex(selector);
  let pos = 0;
  // In the values context "in" and "notin" are identifiers, as in the Go parser.
  const asValue = (t: [Token, string]): [Token, string] =>
    t[0] === 'in' || t[0] === 'notin' ? ['identifier', t[1]] : t;
  const peek = () => asValue(items[pos]);
  const next = () => asValue(items[pos++]);
  const nextRaw = () => items[pos++];

  const parseValues = (): string[] => {
    const [tok, lit] = next();
    if (tok !== '(') throw new Error(`found '${lit}' expected: '('`);
    const [t2, l2] = peek();
    if (t2 === ')') {
      next();
      return [''];
    }
    if (t2 !== 'identifier' && t2 !== ',')
      throw new Error(`found '${l2}', expected: ',', ')' or identifier`);
    const set = new Set<string>();
    for (;;) {
      const [t, l] = next();
      if (t === 'identifier') {
        set.add(l);
        const [t3, l3] = peek();
        if (t3 === ',') continue;
        if (t3 === ')') break;
        throw new Error(`found '${l3}', expected: ',' or ')'`);
      } else if (t === ',') {
        if (set.size === 0) set.add('');
        const [t3] = peek();
        if (t3 === ')') {
          set.add('');
          break;
        }
        if (t3 === ',') {
          next();
          set.add('');
        }
      } else throw new Error(`found '${l}', expected: ',', or identifier`);
    }
    const [t4] = next();
    if (t4 !== ')') throw new Error(`found '${l2}', expected: ')'`);
    return [...set].sort();
  };

  const parseRequirement = (): Requirement => {
    let [tok, lit] = next();
    let negated = false;
    if (tok === '!') {
      negated = true;
      [tok, lit] = next();
    }
    if (tok !== 'identifier') throw new Error(`found '${lit}', expected: identifier`);
    const kErr = keyError(lit);
    if (kErr) throw new Error(kErr);
    const key = lit;
    const [after] = peek();
    if (negated || after === 'end' || after === ',') {
      if (negated) return requirement(key, '!', []);
      return requirement(key, 'exists', []);
    }
    const [opTok, opLit] = nextRaw();
    const op: Operator | undefined = (
      {
        in: 'in',
        notin: 'notin',
        '=': '=',
        '==': '==',
        '!=': '!=',
        '>': 'gt',
        '<': 'lt',
      } as Partial<Record<Token, Operator>>
    )[opTok];
    if (!op) throw new Error(`found '${opLit}', expected: ${BINARY_OPERATORS}`);
    if (op === 'in' || op === 'notin') return requirement(key, op, parseValues());
    const [vt] = peek();
    if (vt === 'end' || vt === ',') return requirement(key, op, ['']);
    const [t, l] = next();
    if (t !== 'identifier') throw new Error(`found '${l}', expected: identifier`);
    return requirement(key, op, [l]);
  };

  const out: Requirement[] = [];
  for (;;) {
    const [tok, lit] = peek();
    if (tok === 'end') return out;
    if (tok !== 'identifier' && tok !== '!')
      throw new Error(`found '${lit}', expected: !, identifier, or 'end of string'`);
    try {
      out.push(parseRequirement());
    } catch (e) {
      throw new Error(`unable to parse requirement: ${(e as Error).message}`, { cause: e });
    }
    const [t, l] = next();
    if (t === 'end') return out;
    if (t !== ',') throw new Error(`found '${l}', expected: ',' or 'end of string'`);
    const [t2, l2] = peek();
    if (t2 !== 'identifier' && t2 !== '!')
      throw new Error(`found '${l2}', expected: identifier after ','`);
  }
}

/** Whether labels satisfy every requirement (Requirement.Matches). */
export function matches(reqs: Requirement[], labels: Record<string, string>): boolean {
  return reqs.every(({ key, operator, values }) => {
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const v = labels[key];
    switch (operator) {
      case '=':
      case '==':
      case 'in':
        return has && values.includes(v);
      case '!=':
      case 'notin':
        return !has || !values.includes(v);
      case 'exists':
        return has;
      case '!':
        return !has;
      case 'gt':
      case 'lt': {
        if (!has || !/^-?\d+$/.test(v)) return false;
        return operator === 'gt' ? Number(v) > Number(values[0]) : Number(v) < Number(values[0]);
      }
    }
    return false;
  });
}
