// The ABAC rule language: a small, total, side-effect-free expression form, parsed by hand once at
// startup and evaluated over plain data. Never eval or new Function (CWE-95). Grammar:
//
//   expr   := or
//   or     := and ("or" and)*
//   and    := not ("and" not)*
//   not    := "not" not | cmp
//   cmp    := value (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "contains") value)?
//   value  := string | number | true | false | null | list | path | "(" expr ")"
//   list   := "[" (value ("," value)*)? "]"
//   path   := root ("." name | "[" string "]")*      root: subject request resource env
//
// Logic is three-valued: a path that is missing yields `unknown`, every comparison with an unknown
// operand is unknown, `not unknown` is unknown, and only a rule that evaluates to exactly `true`
// allows. A missing claim therefore never turns a `not`/`!=` rule into an accidental allow.
// Only own properties of plain objects and arrays are read; `__proto__`, `constructor` and
// `prototype` are refused at parse time (CWE-1321).
import { BulwarkError } from '../../core/errors.js';

export const ROOTS = ['subject', 'request', 'resource', 'env'] as const;
export type Root = (typeof ROOTS)[number];
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_SOURCE = 2000;
const MAX_DEPTH = 32;

type Op = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'contains';
export type Node =
  | { readonly k: 'lit'; readonly v: unknown }
  | { readonly k: 'path'; readonly root: Root; readonly keys: readonly string[] }
  | { readonly k: 'list'; readonly items: readonly Node[] }
  | { readonly k: 'not'; readonly e: Node }
  | { readonly k: 'and' | 'or'; readonly l: Node; readonly r: Node }
  | { readonly k: 'cmp'; readonly op: Op; readonly l: Node; readonly r: Node };

type Tok = { t: 'str' | 'num' | 'id' | 'op' | 'punc'; v: string; at: number };

const TOKEN =
  /\s*(?:(\d+(?:\.\d+)?)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|([A-Za-z_][A-Za-z0-9_-]*)|(==|!=|<=|>=|<|>)|([.()[\],]))/y;

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) throw syntax(`unexpected character at ${pos}`);
    const at = m.index + (m[0].length - m[0].trimStart().length);
    if (m[1] !== undefined) out.push({ t: 'num', v: m[1], at });
    else if (m[2] !== undefined) out.push({ t: 'str', v: unquote(m[2]), at });
    else if (m[3] !== undefined) out.push({ t: 'id', v: m[3], at });
    else if (m[4] !== undefined) out.push({ t: 'op', v: m[4], at });
    else out.push({ t: 'punc', v: m[5]!, at });
    pos = TOKEN.lastIndex;
  }
  return out;
}

function unquote(q: string): string {
  return q.slice(1, -1).replace(/\\(.)/g, '$1');
}

function syntax(message: string): BulwarkError {
  return new BulwarkError('BULWARK_ERR_CONFIG_INVALID', `authorization rule: ${message}`, {
    hint: 'see docs/protect/authorization.md#abac for the rule grammar',
  });
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly toks: Tok[]) {}

  parse(): Node {
    const e = this.or();
    if (this.i < this.toks.length) throw syntax(`unexpected '${this.toks[this.i]!.v}'`);
    return e;
  }
  private peek(v?: string): Tok | undefined {
    const t = this.toks[this.i];
    return v === undefined || t?.v === v ? t : undefined;
  }
  private take(v: string): void {
    if (!this.peek(v)) throw syntax(`expected '${v}'`);
    this.i++;
  }
  private nest<T>(f: () => T): T {
    if (++this.depth > MAX_DEPTH) throw syntax('nested too deeply');
    try {
      return f();
    } finally {
      this.depth--;
    }
  }
  private or(): Node {
    let l = this.and();
    while (this.peek('or')?.t === 'id') {
      this.i++;
      l = { k: 'or', l, r: this.and() };
    }
    return l;
  }
  private and(): Node {
    let l = this.not();
    while (this.peek('and')?.t === 'id') {
      this.i++;
      l = { k: 'and', l, r: this.not() };
    }
    return l;
  }
  private not(): Node {
    if (this.peek('not')?.t === 'id') {
      this.i++;
      return this.nest(() => ({ k: 'not', e: this.not() }));
    }
    return this.cmp();
  }
  private cmp(): Node {
    const l = this.value();
    const t = this.peek();
    if (t && (t.t === 'op' || (t.t === 'id' && (t.v === 'in' || t.v === 'contains')))) {
      this.i++;
      return { k: 'cmp', op: t.v as Op, l, r: this.value() };
    }
    return l;
  }
  private value(): Node {
    const t = this.toks[this.i++];
    if (!t) throw syntax('unexpected end of rule');
    if (t.t === 'str') return { k: 'lit', v: t.v };
    if (t.t === 'num') return { k: 'lit', v: Number(t.v) };
    if (t.v === '(') {
      const e = this.nest(() => this.or());
      this.take(')');
      return e;
    }
    if (t.v === '[') return this.nest(() => this.list());
    if (t.t === 'id') {
      if (t.v === 'true' || t.v === 'false') return { k: 'lit', v: t.v === 'true' };
      if (t.v === 'null') return { k: 'lit', v: null };
      if ((ROOTS as readonly string[]).includes(t.v)) return this.path(t.v as Root);
      throw syntax(`unknown name '${t.v}' (roots: ${ROOTS.join(', ')})`);
    }
    throw syntax(`unexpected '${t.v}'`);
  }
  private list(): Node {
    const items: Node[] = [];
    if (!this.peek(']')) {
      items.push(this.value());
      while (this.peek(',')) {
        this.i++;
        items.push(this.value());
      }
    }
    this.take(']');
    return { k: 'list', items };
  }
  private path(root: Root): Node {
    const keys: string[] = [];
    for (;;) {
      if (this.peek('.')) {
        this.i++;
        const t = this.toks[this.i++];
        if (t?.t !== 'id') throw syntax('expected a name after "."');
        keys.push(t.v);
      } else if (this.peek('[')) {
        this.i++;
        const t = this.toks[this.i++];
        if (t?.t !== 'str') throw syntax('expected a quoted name in [...]');
        keys.push(t.v);
        this.take(']');
      } else break;
      if (FORBIDDEN.has(keys[keys.length - 1]!)) throw syntax('forbidden property name');
    }
    return { k: 'path', root, keys };
  }
}

export interface Rule {
  readonly source: string;
  readonly ast: Node;
  /** Roots the rule reads (a rule reading request.body runs after the body is parsed). */
  readonly roots: ReadonlySet<Root>;
  readonly readsBody: boolean;
}

export function parseRule(source: string): Rule {
  if (source.length > MAX_SOURCE) throw syntax('rule too long');
  const ast = new Parser(tokenize(source)).parse();
  const roots = new Set<Root>();
  let readsBody = false;
  const walk = (n: Node): void => {
    if (n.k === 'path') {
      roots.add(n.root);
      if (n.root === 'request' && n.keys[0] === 'body') readsBody = true;
    } else if (n.k === 'not') walk(n.e);
    else if (n.k === 'list') n.items.forEach(walk);
    else if (n.k !== 'lit') {
      walk(n.l);
      walk(n.r);
    }
  };
  walk(ast);
  return { source, ast, roots, readsBody };
}

export type Facts = Readonly<Record<Root, unknown>>;
const UNKNOWN = Symbol('unknown');
type Val = unknown;

function lookup(facts: Facts, root: Root, keys: readonly string[]): Val {
  let cur: unknown = facts[root];
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object') return UNKNOWN;
    if (
      Array.isArray(cur)
        ? !/^\d+$/.test(k)
        : Object.getPrototypeOf(cur) !== Object.prototype && Object.getPrototypeOf(cur) !== null
    ) {
      return UNKNOWN;
    }
    if (!Object.hasOwn(cur, k)) return UNKNOWN;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur === undefined ? UNKNOWN : cur;
}

function compare(op: Op, l: Val, r: Val): boolean | typeof UNKNOWN {
  if (l === UNKNOWN || r === UNKNOWN) return UNKNOWN;
  switch (op) {
    case '==':
      return l === r;
    case '!=':
      return l !== r;
    case 'in':
      return Array.isArray(r)
        ? r.includes(l)
        : typeof r === 'string' && typeof l === 'string' && r.includes(l);
    case 'contains':
      return Array.isArray(l)
        ? l.includes(r)
        : typeof l === 'string' && typeof r === 'string' && l.includes(r);
    default: {
      const ordered =
        (typeof l === 'number' && typeof r === 'number') ||
        (typeof l === 'string' && typeof r === 'string');
      if (!ordered) return UNKNOWN;
      const a = l as number | string;
      const b = r as number | string;
      return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
    }
  }
}

function ev(n: Node, f: Facts): Val {
  switch (n.k) {
    case 'lit':
      return n.v;
    case 'path':
      return lookup(f, n.root, n.keys);
    case 'list':
      return n.items.map((i) => ev(i, f));
    case 'cmp':
      return compare(n.op, ev(n.l, f), ev(n.r, f));
    case 'not': {
      const v = ev(n.e, f);
      return v === UNKNOWN ? UNKNOWN : v !== true;
    }
    case 'and': {
      const l = ev(n.l, f);
      if (l === false) return false;
      const r = ev(n.r, f);
      if (r === false) return false;
      return l === true && r === true ? true : UNKNOWN;
    }
    case 'or': {
      const l = ev(n.l, f);
      if (l === true) return true;
      const r = ev(n.r, f);
      if (r === true) return true;
      return l === UNKNOWN || r === UNKNOWN ? UNKNOWN : false;
    }
  }
}

/** 'allow' only when the rule is exactly true; 'unknown' when a fact it needs is missing. */
export function evaluate(rule: Rule, facts: Facts): 'allow' | 'deny' | 'unknown' {
  const v = ev(rule.ast, facts);
  return v === true ? 'allow' : v === UNKNOWN ? 'unknown' : 'deny';
}
