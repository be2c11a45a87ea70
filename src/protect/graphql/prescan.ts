// Budgets enforced before graphql-js sees a document. Its recursive-descent parser overflows the
// stack near 50,000 nesting levels and spends ~240 ms on 100k tokens, before any validation rule can
// run (CWE-674, CWE-400). This scanner is a flat loop over char codes (no recursion, no allocation
// per token) that counts lexical tokens (GraphQL spec §2.1) and bracket nesting and stops at the
// first budget exceeded, so a hostile document costs at most `tokens` steps past its bytes.

export type PrescanProblem = 'bytes' | 'tokens' | 'nesting' | 'syntax';

export interface PrescanResult {
  readonly problem: PrescanProblem | undefined;
  readonly tokens: number;
  readonly nesting: number;
  /** Colons outside parentheses: in an executable document, exactly the aliases (spec §2.7). */
  readonly aliases: number;
  /** `@` tokens: in an executable document, exactly the directive uses (spec §2.12). */
  readonly directives: number;
  /**
   * True when the document has one definition and no fragment definitions: then every selection
   * is walked exactly once, so `aliases` and `directives` equal what the analyser would count and a
   * flood can be refused before graphql-js parses anything.
   */
  readonly exact: boolean;
}

const enum C {
  TAB = 9,
  LF = 10,
  CR = 13,
  SPACE = 32,
  QUOTE = 34,
  HASH = 35,
  COMMA = 44,
  DOT = 46,
  BACKSLASH = 92,
  LPAREN = 40,
  RPAREN = 41,
  COLON = 58,
  AT = 64,
  LBRACE = 123,
  BOM = 0xfeff,
}

function isNameChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45
  );
}

function isOpen(c: number): boolean {
  return c === 123 || c === 40 || c === 91; // { ( [
}

function isClose(c: number): boolean {
  return c === 125 || c === 41 || c === 93; // } ) ]
}

/** Index after a string starting at `i` (a quote), or -1 when unterminated. */
function skipString(text: string, i: number): number {
  const n = text.length;
  if (text.charCodeAt(i + 1) === C.QUOTE && text.charCodeAt(i + 2) === C.QUOTE) {
    // Block string: ends at an unescaped """ (\""" is an escape).
    let j = i + 3;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === C.BACKSLASH && text.startsWith('"""', j + 1)) j += 4;
      else if (c === C.QUOTE && text.startsWith('"""', j)) return j + 3;
      else j++;
    }
    return -1;
  }
  let j = i + 1;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === C.BACKSLASH) j += 2;
    else if (c === C.QUOTE) return j + 1;
    else if (c === C.LF || c === C.CR) return -1;
    else j++;
  }
  return -1;
}

/**
 * Counts tokens and bracket nesting of `text`, refusing at the first exceeded budget. Unbalanced
 * brackets are 'syntax' (the parser would refuse them anyway; failing here is cheaper).
 */
export function prescan(
  text: string,
  maxBytes: number,
  maxTokens: number,
  maxNesting: number,
): PrescanResult {
  // UTF-16 length is a lower bound of the UTF-8 size; exact size only when close to the budget.
  if (text.length > maxBytes || Buffer.byteLength(text, 'utf8') > maxBytes) {
    return { problem: 'bytes', tokens: 0, nesting: 0, aliases: 0, directives: 0, exact: false };
  }
  const n = text.length;
  let tokens = 0;
  let depth = 0;
  let deepest = 0;
  let parens = 0;
  let aliases = 0;
  let directives = 0;
  let definitions = 0;
  let fragments = false;
  let i = 0;
  const done = (problem: PrescanProblem | undefined, nesting: number): PrescanResult => ({
    problem,
    tokens,
    nesting,
    aliases,
    directives,
    exact: definitions === 1 && !fragments,
  });
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === C.SPACE || c === C.TAB || c === C.LF || c === C.CR || c === C.COMMA || c === C.BOM) {
      i++;
      continue;
    }
    if (c === C.HASH) {
      while (i < n && text.charCodeAt(i) !== C.LF && text.charCodeAt(i) !== C.CR) i++;
      continue;
    }
    if (++tokens > maxTokens) return done('tokens', deepest);
    if (isOpen(c)) {
      if (c === C.LPAREN) parens++;
      else if (c === C.LBRACE && depth === 0) definitions++;
      if (++depth > deepest) deepest = depth;
      if (depth > maxNesting) return done('nesting', depth);
      i++;
    } else if (isClose(c)) {
      if (c === C.RPAREN) parens--;
      if (--depth < 0) return done('syntax', deepest);
      i++;
    } else if (c === C.QUOTE) {
      const end = skipString(text, i);
      if (end === -1) return done('syntax', deepest);
      i = end;
    } else if (
      c === C.DOT &&
      text.charCodeAt(i + 1) === C.DOT &&
      text.charCodeAt(i + 2) === C.DOT
    ) {
      i += 3;
    } else if (isNameChar(c)) {
      // Names and numbers (with '-', '.', 'e', '+' inside numbers) are one token each.
      const start = i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (isNameChar(d) || d === C.DOT || d === 43) i++;
        else break;
      }
      if (depth === 0 && i - start === 8 && text.startsWith('fragment', start)) fragments = true;
    } else {
      // Other punctuators: ! $ & : = @ |. Arguments, variable definitions and the values inside
      // them are all in parentheses, so a colon outside them is an alias.
      if (c === C.COLON && parens === 0) aliases++;
      else if (c === C.AT) directives++;
      i++;
    }
  }
  if (depth !== 0) return done('syntax', deepest);
  return done(undefined, deepest);
}
