// The quick YAML path: a direct reader for the block-style YAML that API descriptions are written
// in (block mappings and sequences, plain, quoted and block scalars, flow collections, anchors,
// aliases and merge keys). It builds the plain JS values and their positions in one pass over the
// text, with no intermediate AST: on the 200 YAML descriptions of the corpus it takes about a third
// of the time that Spectral's yaml-ast-parser plus a conversion took (the path it replaced), and a
// tenth of the `yaml` package's, and allocates far less.
//
// It reads only what it is sure of. Anything else (tags, complex keys, directives, several
// documents, tabs in indentation, CR line ends, unusual escapes...) abandons it, and the caller
// falls back to parse-yaml.ts (the `yaml` package: the canonical YAML 1.2 reading and precise error
// messages). test/core/openapi/yaml-parity.test.ts checks that
// values, positions, references and warnings equal the canonical reading, corpus included.
// Scalars are typed by the YAML 1.2 core schema, as the `yaml` package does.

import type { Container, JsonObject, NodeInfo, NodeTable, SourceDoc } from './document.js';
import { Ctx, childCtx, clip, hasOwn, nodeInfo, noteRefObject, setOwn } from './document.js';
import { MAX_DEPTH } from './parse-json.js';

/** Thrown (one shared instance: no stack to capture) to abandon the quick path. */
class Bail extends Error {}
const BAIL = new Bail('not for the quick YAML reader');

const NL = 10;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const DQUOTE = 34;
const SQUOTE = 39;

// Control characters YAML forbids, CR (line ends we leave to the full parsers) and a byte-order mark.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSUPPORTED = /[\u0000-\u0008\u000b-\u001f\u007f\ufeff]/;

export function parseYamlQuick(doc: SourceDoc, table: NodeTable): { value: unknown } | undefined {
  if (UNSUPPORTED.test(doc.text)) return undefined;
  const refCount = doc.refs.length;
  const warnings = doc.warnings.length;
  try {
    const value = new QuickReader(doc, table).document();
    if (doc.refObjects.has(value as object)) {
      doc.refs.push({ holder: undefined, key: '', ref: value as JsonObject });
    }
    return { value };
  } catch (error) {
    if (error !== BAIL && !(error instanceof RangeError)) throw error;
    doc.refs.length = refCount;
    doc.warnings.length = warnings;
    return undefined;
  }
}

// --- scalars -------------------------------------------------------------------------------------

/** A plain scalar's value under the YAML 1.2 core schema (the `yaml` package's tests and resolvers). */
export function plainValue(s: string): unknown {
  if (s.length === 0) return null;
  const c = s.charCodeAt(0);
  // Only these first characters can start a non-string: most scalars skip every test.
  if ((c >= 48 && c <= 57) || c === DASH || c === 43 /* + */ || c === 46 /* . */) {
    if (/^[-+]?[0-9]+$/.test(s)) return parseInt(s, 10);
    if (/^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8);
    if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
    if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(s)) return parseFloat(s);
    if (/^[-+]?\.(?:inf|Inf|INF)$/.test(s)) return c === DASH ? -Infinity : Infinity;
    if (/^\.(?:nan|NaN|NAN)$/.test(s)) return NaN;
    return s;
  }
  if (c === 126 /* ~ */ || c === 110 /* n */ || c === 78 /* N */) {
    return /^(?:~|[Nn]ull|NULL)$/.test(s) ? null : s;
  }
  if (c === 116 /* t */ || c === 84 /* T */ || c === 102 /* f */ || c === 70 /* F */) {
    if (/^(?:[Tt]rue|TRUE)$/.test(s)) return true;
    if (/^(?:[Ff]alse|FALSE)$/.test(s)) return false;
  }
  return s;
}

/** A mapping key as a property name: the typed value as text; null keeps its source (`~`, `null`). */
function keyName(raw: string): string {
  const value = plainValue(raw);
  return value === null ? raw : String(value);
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_ESCAPES: Record<string, number> = { x: 2, u: 4, U: 8 };

// --- the reader ----------------------------------------------------------------------------------

class QuickReader {
  private pos = 0;
  private readonly text: string;
  private readonly len: number;
  private readonly anchors = new Map<string, unknown>();
  private readonly anchorSizes = new Map<string, number>();
  private expanded = 0;
  private readonly expansionCap: number;

  constructor(
    private readonly doc: SourceDoc,
    private readonly table: NodeTable,
  ) {
    this.text = doc.text;
    this.len = doc.text.length;
    this.expansionCap = 100_000 + 4 * doc.text.length;
  }

  document(): unknown {
    let indent = this.skipBlank(true);
    if (indent === 0 && this.marker(this.pos) === '---') {
      this.pos += 3;
      this.endLine();
      indent = this.skipBlank(false);
    }
    if (indent < 0) throw BAIL;
    const start = this.pos;
    let value: unknown;
    if (this.isItem(start))
      value = this.seq(indent, undefined, '', start, Ctx.Normal, 0, undefined);
    else if (this.keyEnd(start) > 0)
      value = this.map(indent, undefined, '', start, Ctx.Normal, 0, undefined);
    else throw BAIL; // a scalar or flow root: the full parsers decide
    if (this.skipBlank(false) !== -1) throw BAIL; // more content: a second document or an error
    return value;
  }

  // --- lines ---

  /**
   * From a line start, skips blank and comment lines. Returns the indentation of the next content
   * line with `pos` on its first character, or -1 at the end of the text.
   */
  private skipBlank(first: boolean): number {
    const text = this.text;
    for (;;) {
      const lineStart = this.pos;
      let i = lineStart;
      let tabs = false;
      for (;;) {
        const c = text.charCodeAt(i);
        if (c === SPACE) i++;
        else if (c === TAB) {
          tabs = true;
          i++;
        } else break;
      }
      if (i >= this.len) {
        this.pos = this.len;
        return -1;
      }
      const c = text.charCodeAt(i);
      if (c === NL) {
        this.pos = i + 1;
        continue;
      }
      if (c === HASH) {
        const end = text.indexOf('\n', i);
        this.pos = end === -1 ? this.len : end + 1;
        continue;
      }
      if (tabs) throw BAIL; // tabs in indentation
      const indent = i - lineStart;
      // Directives, document markers and a byte-order mark are for the full parsers (except one
      // leading `---`, which document() reads).
      if (indent === 0 && (c === 37 /* % */ || (this.marker(i) !== undefined && !first)))
        throw BAIL;
      this.pos = i;
      return indent;
    }
  }

  /** `---` or `...` followed by a space, a line end or the end. */
  private marker(i: number): string | undefined {
    const t = this.text.slice(i, i + 3);
    if (t !== '---' && t !== '...') return undefined;
    const c = this.text.charCodeAt(i + 3);
    return i + 3 >= this.len || c === SPACE || c === NL || c === TAB ? t : undefined;
  }

  /** After a value: only spaces and a comment may remain on the line; moves to the next line. */
  private endLine(): void {
    const text = this.text;
    let i = this.pos;
    let c = text.charCodeAt(i);
    while (c === SPACE || c === TAB) c = text.charCodeAt(++i);
    if (c === HASH) {
      if (i > this.pos || this.atLineStart(i)) {
        const end = text.indexOf('\n', i);
        this.pos = end === -1 ? this.len : end + 1;
        return;
      }
      throw BAIL;
    }
    if (c === NL) this.pos = i + 1;
    else if (i >= this.len) this.pos = this.len;
    else throw BAIL;
  }

  private atLineStart(i: number): boolean {
    return i === 0 || this.text.charCodeAt(i - 1) === NL;
  }

  private column(i: number): number {
    return i - (this.text.lastIndexOf('\n', i - 1) + 1);
  }

  /** A block sequence entry: `-` followed by a space, a line end or the end. */
  private isItem(i: number): boolean {
    if (this.text.charCodeAt(i) !== DASH) return false;
    const c = this.text.charCodeAt(i + 1);
    return c === SPACE || c === NL || i + 1 >= this.len || c === TAB;
  }

  /**
   * Whether the line at `i` is a mapping entry `key: ...` with a plain or quoted key on one line:
   * returns the offset just after the key's colon, or -1.
   */
  private keyEnd(i: number): number {
    const text = this.text;
    const c = text.charCodeAt(i);
    if (c === DQUOTE || c === SQUOTE) {
      const end = this.quotedEnd(i);
      if (end < 0) return -1;
      let j = end;
      while (text.charCodeAt(j) === SPACE) j++;
      return text.charCodeAt(j) === COLON && this.separated(j + 1) ? j + 1 : -1;
    }
    if (!this.plainStart(i, false)) return -1;
    for (let j = i; j < this.len; j++) {
      const d = text.charCodeAt(j);
      if (d === NL) return -1;
      if (d === COLON && this.separated(j + 1)) return j + 1;
      if (d === HASH && (text.charCodeAt(j - 1) === SPACE || text.charCodeAt(j - 1) === TAB))
        return -1;
    }
    return -1;
  }

  /** A space, tab, line end or the end follows. */
  private separated(i: number): boolean {
    if (i >= this.len) return true;
    const c = this.text.charCodeAt(i);
    return c === SPACE || c === NL || c === TAB;
  }

  /** Whether a plain scalar may start at `i` (YAML 1.2 ns-plain-first). */
  private plainStart(i: number, flow: boolean): boolean {
    const c = this.text.charCodeAt(i);
    switch (c) {
      case DASH:
      case 63: // ?
      case COLON: {
        const d = this.text.charCodeAt(i + 1);
        return (
          !this.separated(i + 1) &&
          !(flow && (d === 44 || d === 91 || d === 93 || d === 123 || d === 125))
        );
      }
      case 44: // ,
      case 91: // [
      case 93: // ]
      case 123: // {
      case 125: // }
      case HASH:
      case 38: // &
      case 42: // *
      case 33: // !
      case 124: // |
      case 62: // >
      case SQUOTE:
      case DQUOTE:
      case 37: // %
      case 64: // @
      case 96: // `
      case SPACE:
      case TAB:
      case NL:
        return false;
      default:
        return i < this.len;
    }
  }

  // --- containers ---

  private info(offset: number, parent: NodeInfo | undefined, key: string | number): NodeInfo {
    return nodeInfo(this.doc, offset, parent, key);
  }

  /** A block mapping whose keys start at column `indent`; `pos` is on the first key. */
  private map(
    indent: number,
    parent: NodeInfo | undefined,
    key: string | number,
    offset: number,
    ctx: Ctx,
    depth: number,
    anchor: string | undefined,
  ): JsonObject {
    if (depth >= MAX_DEPTH) throw BAIL;
    this.expanded++;
    const obj: JsonObject = {};
    const info = this.info(offset, parent, key);
    this.table.set(obj, info);
    if (anchor !== undefined) this.anchors.set(anchor, obj);
    let merges: unknown[] | undefined;
    for (;;) {
      const keyOffset = this.pos;
      const plain =
        this.text.charCodeAt(keyOffset) !== DQUOTE && this.text.charCodeAt(keyOffset) !== SQUOTE;
      const name = this.readKey();
      if (plain && name === '<<') {
        const merged = this.value(indent, info, name, keyOffset, Ctx.Literal, depth + 1, true);
        (merges ??= []).push(...(Array.isArray(merged) ? merged : [merged]));
      } else {
        const child = this.value(indent, info, name, keyOffset, ctx, depth + 1, false);
        if (hasOwn(obj, name) && this.doc.warnings.length < 100) {
          this.doc.warnings.push(`duplicate key '${clip(name)}' (the last one wins)`);
        }
        setOwn(obj, name, child);
        this.note(obj, info, name, keyOffset, child);
      }
      const next = this.skipBlank(false);
      if (next < indent) break;
      if (next > indent || this.isItem(this.pos)) throw BAIL;
    }
    if (merges) {
      for (const source of merges) {
        if (typeof source !== 'object' || source === null || Array.isArray(source)) continue;
        for (const [k, v] of Object.entries(source)) if (!hasOwn(obj, k)) setOwn(obj, k, v);
      }
    }
    this.rewindToLineStart();
    noteRefObject(this.doc, obj, ctx);
    return obj;
  }

  /** After skipBlank found a line that ends a block: back to its start, for the parent to read. */
  private rewindToLineStart(): void {
    if (this.pos < this.len) this.pos = this.text.lastIndexOf('\n', this.pos - 1) + 1;
  }

  /** Reads a key and its colon; `pos` ends just after the colon. */
  private readKey(): string {
    const text = this.text;
    const start = this.pos;
    const c = text.charCodeAt(start);
    if (c === DQUOTE || c === SQUOTE) {
      const end = this.quotedEnd(start);
      if (end < 0) throw BAIL;
      const name =
        c === DQUOTE ? this.doubleQuoted(start, end, -1) : this.singleQuoted(start, end, -1);
      let j = end;
      while (text.charCodeAt(j) === SPACE) j++;
      if (text.charCodeAt(j) !== COLON || !this.separated(j + 1)) throw BAIL;
      this.pos = j + 1;
      return name;
    }
    const colon = this.keyEnd(start);
    if (colon < 0) throw BAIL;
    const raw = text.slice(start, colon - 1).trimEnd();
    if (raw.length === 0 || raw.length > 1024 || raw.includes('\t')) throw BAIL;
    this.pos = colon;
    return keyName(raw);
  }

  /** A block sequence whose dashes are at column `indent`; `pos` is on the first dash. */
  private seq(
    indent: number,
    parent: NodeInfo | undefined,
    key: string | number,
    offset: number,
    ctx: Ctx,
    depth: number,
    anchor: string | undefined,
  ): unknown[] {
    if (depth >= MAX_DEPTH) throw BAIL;
    this.expanded++;
    const arr: unknown[] = [];
    const info = this.info(offset, parent, key);
    this.table.set(arr, info);
    if (anchor !== undefined) this.anchors.set(anchor, arr);
    const itemCtx = childCtx(ctx, 0, false);
    for (;;) {
      const index = arr.length;
      this.pos++; // the dash
      const [child, itemOffset] = this.item(indent, info, index, itemCtx, depth + 1);
      arr.push(child);
      this.note(arr, info, index, itemOffset, child);
      const next = this.skipBlank(false);
      if (next !== indent || !this.isItem(this.pos)) {
        if (next > indent) throw BAIL;
        break;
      }
    }
    this.rewindToLineStart();
    return arr;
  }

  /** The node after a sequence dash; returns it with the offset positions record for it. */
  private item(
    indent: number,
    info: NodeInfo,
    index: number,
    ctx: Ctx,
    depth: number,
  ): [unknown, number] {
    const text = this.text;
    while (text.charCodeAt(this.pos) === SPACE) this.pos++;
    const at = this.pos;
    const c = text.charCodeAt(at);
    if (c === TAB) throw BAIL;
    if (at >= this.len || c === NL || c === HASH) {
      // The item is on the following lines, or empty.
      this.endLine();
      const next = this.skipBlank(false);
      if (next > indent) {
        const start = this.pos;
        return [this.blockNode(next, indent, info, index, start, ctx, depth), start];
      }
      this.rewindToLineStart();
      return [null, at];
    }
    const column = this.column(at);
    if (this.isItem(at)) return [this.seq(column, info, index, at, ctx, depth, undefined), at];
    if (c === 124 || c === 62) {
      // Block scalars in items: an explicit indentation indicator's base is not worth guessing.
      if (/[1-9]/.test(text.slice(at + 1, at + 3))) throw BAIL;
    }
    if (c !== 38 && c !== 42 && this.keyEnd(at) > 0)
      return [this.map(column, info, index, at, ctx, depth, undefined), at];
    // An anchored node's position is the node's own, after `&name`.
    let node = at;
    if (c === 38) {
      while (node < this.len && !this.separated(node)) node++;
      while (text.charCodeAt(node) === SPACE) node++;
    }
    return [this.inline(indent, info, index, node, ctx, depth), node];
  }

  /** A node that starts a line of its own at column `column`, under a parent at `parentIndent`. */
  private blockNode(
    column: number,
    parentIndent: number,
    parent: NodeInfo,
    key: string | number,
    offset: number,
    ctx: Ctx,
    depth: number,
    anchor?: string,
  ): unknown {
    const at = this.pos;
    if (this.isItem(at)) return this.seq(column, parent, key, offset, ctx, depth, anchor);
    const c = this.text.charCodeAt(at);
    if (c === 38 || c === 42 || c === 33 || c === 124 || c === 62) throw BAIL; // & * ! | > on their own line
    if (this.keyEnd(at) > 0) return this.map(column, parent, key, offset, ctx, depth, anchor);
    const value = this.inline(parentIndent, parent, key, offset, ctx, depth);
    if (anchor !== undefined) this.anchors.set(anchor, value);
    return value;
  }

  /**
   * The value after `key:` in a mapping at column `indent`. `ctx` is the mapping's; the value's own
   * context depends on whether it is a sequence, so it is derived here. Leaves `pos` at a line start.
   */
  private value(
    indent: number,
    info: NodeInfo,
    key: string,
    keyOffset: number,
    ctx: Ctx,
    depth: number,
    merge: boolean,
  ): unknown {
    const text = this.text;
    let c = text.charCodeAt(this.pos);
    if (c === TAB) throw BAIL;
    while (c === SPACE) c = text.charCodeAt(++this.pos);
    let anchor: string | undefined;
    if (c === 38 /* & */) {
      anchor = this.name();
      c = text.charCodeAt(this.pos);
      while (c === SPACE) c = text.charCodeAt(++this.pos);
    }
    if (this.pos >= this.len || c === NL || c === HASH) {
      this.endLine();
      const next = this.skipBlank(false);
      const start = this.pos;
      if (next > indent || (next === indent && this.isItem(start))) {
        const valueCtx = merge ? ctx : childCtx(ctx, key, this.isItem(start));
        const before = this.expanded++;
        const value = this.blockNode(next, indent, info, key, keyOffset, valueCtx, depth, anchor);
        if (anchor !== undefined) this.anchorSizes.set(anchor, this.expanded - before);
        return value;
      }
      this.rewindToLineStart();
      if (anchor !== undefined) {
        this.anchors.set(anchor, null);
        this.anchorSizes.set(anchor, 1);
      }
      this.expanded++;
      return null;
    }
    if (anchor !== undefined && this.keyEnd(this.pos) > 0) throw BAIL; // `key: &a k: v`
    const isSeq = c === 91; /* [ */
    const before = this.expanded;
    const value = this.inline(
      indent,
      info,
      key,
      keyOffset,
      merge ? ctx : childCtx(ctx, key, isSeq),
      depth,
      anchor,
    );
    if (anchor !== undefined) this.anchorSizes.set(anchor, this.expanded - before);
    return value;
  }

  /**
   * A node that is not a block collection, starting at `pos`: alias, quoted, block, flow or plain.
   * `indent` is the column of the enclosing block (continuation lines go deeper). Ends at a line start.
   */
  private inline(
    indent: number,
    parent: NodeInfo,
    key: string | number,
    offset: number,
    ctx: Ctx,
    depth: number,
    anchor?: string,
  ): unknown {
    const text = this.text;
    const c = text.charCodeAt(this.pos);
    let value: unknown;
    if (c === 42 /* * */) {
      if (anchor !== undefined) throw BAIL;
      value = this.alias();
      this.endLine();
      return value;
    }
    if (c === 38 /* & */) {
      if (anchor !== undefined) throw BAIL;
      anchor = this.name();
      while (text.charCodeAt(this.pos) === SPACE) this.pos++;
      const d = text.charCodeAt(this.pos);
      if (this.pos >= this.len || d === NL || d === HASH || this.keyEnd(this.pos) > 0) throw BAIL;
      const before = this.expanded;
      value = this.inline(indent, parent, key, offset, ctx, depth, anchor);
      this.anchorSizes.set(anchor, this.expanded - before);
      return value;
    }
    this.expanded++;
    if (c === 91 /* [ */ || c === 123 /* { */) {
      value = this.flow(indent, parent, key, offset, ctx, depth, anchor);
      this.endLine();
      return value;
    }
    if (c === 124 /* | */ || c === 62 /* > */) {
      // In a sequence item only headers without an indentation indicator get here (see item()).
      value = this.blockScalar(indent);
    } else if (c === DQUOTE || c === SQUOTE) {
      const end = this.quotedEnd(this.pos, indent);
      if (end < 0) throw BAIL;
      value =
        c === DQUOTE
          ? this.doubleQuoted(this.pos, end, indent)
          : this.singleQuoted(this.pos, end, indent);
      this.pos = end;
      this.endLine();
    } else if (c === 33 /* ! */ || !this.plainStart(this.pos, false)) {
      throw BAIL;
    } else {
      value = this.plain(indent);
      this.endLine();
    }
    if (anchor !== undefined) this.anchors.set(anchor, value);
    return value;
  }

  /** `&name` or `*name`: the name after the indicator; `pos` ends after it. */
  private name(): string {
    const text = this.text;
    const start = ++this.pos;
    let i = start;
    for (;;) {
      const c = text.charCodeAt(i);
      if (
        i >= this.len ||
        c === SPACE ||
        c === NL ||
        c === TAB ||
        c === 44 ||
        c === 91 ||
        c === 93 ||
        c === 123 ||
        c === 125
      )
        break;
      i++;
    }
    if (i === start) throw BAIL;
    this.pos = i;
    return text.slice(start, i);
  }

  private alias(): unknown {
    const name = this.name();
    if (!this.anchors.has(name)) throw BAIL;
    this.expanded += this.anchorSizes.get(name) ?? 1;
    if (this.expanded > this.expansionCap) throw BAIL;
    return this.anchors.get(name);
  }

  // --- plain scalars ---

  /** A plain scalar in block context; continuation lines must be indented deeper than `indent`. */
  private plain(indent: number): unknown {
    const text = this.text;
    const firstEnd = this.lineValueEnd(this.pos);
    const first = text.slice(this.pos, firstEnd);
    let result: string | undefined;
    let lastEnd = firstEnd;
    // Continuation lines, unless a comment ended the line (YAML: a comment ends a plain scalar).
    let nl = this.lineEnd;
    let empties = 0;
    while (!this.sawComment && nl < this.len) {
      const lineStart = nl + 1;
      let j = lineStart;
      while (text.charCodeAt(j) === SPACE) j++;
      if (j >= this.len) break;
      const c = text.charCodeAt(j);
      if (c === NL) {
        empties++;
        nl = j;
        continue;
      }
      if (c === TAB) throw BAIL;
      if (j - lineStart <= indent || c === HASH) break;
      const e = this.lineValueEnd(j);
      result = (result ?? first) + (empties === 0 ? ' ' : '\n'.repeat(empties)) + text.slice(j, e);
      empties = 0;
      lastEnd = e;
      nl = this.lineEnd;
    }
    this.pos = lastEnd;
    return result === undefined ? plainValue(first) : result;
  }

  /** Set by lineValueEnd: the line's end (its line feed or the end of the text), and whether a comment cut it. */
  private lineEnd = 0;
  private sawComment = false;

  /**
   * The end of a plain scalar's text on the line from `i`: before a ` #` comment and trailing
   * blanks. A `: ` inside would make the line a mapping entry, which YAML refuses here.
   */
  private lineValueEnd(i: number): number {
    const text = this.text;
    let end = i;
    let j = i;
    this.sawComment = false;
    for (; j < this.len; j++) {
      const c = text.charCodeAt(j);
      if (c === NL) break;
      if (c === HASH && j > i) {
        const prev = text.charCodeAt(j - 1);
        if (prev === SPACE || prev === TAB) {
          this.sawComment = true;
          break;
        }
      }
      if (c === COLON && this.separated(j + 1)) throw BAIL;
      if (c !== SPACE && c !== TAB) end = j + 1;
    }
    if (this.sawComment) {
      const nl = text.indexOf('\n', j);
      this.lineEnd = nl === -1 ? this.len : nl;
    } else this.lineEnd = j;
    return end;
  }

  // --- quoted scalars ---

  /**
   * The offset after the closing quote of the scalar opening at `i`, or -1. With `indent` < 0 the
   * scalar must end on its line (keys); otherwise continuation lines must be deeper than `indent`.
   */
  private quotedEnd(i: number, indent = -2): number {
    const text = this.text;
    const q = text.charCodeAt(i);
    for (let j = i + 1; j < this.len; j++) {
      const c = text.charCodeAt(j);
      if (c === q) {
        if (q === SQUOTE && text.charCodeAt(j + 1) === SQUOTE) {
          j++;
          continue;
        }
        return j + 1;
      }
      if (c === 92 /* \ */ && q === DQUOTE) {
        j++;
        if (text.charCodeAt(j) === NL && indent === -2) return -1;
        continue;
      }
      if (c === NL) {
        if (indent === -2) return -1;
        let k = j + 1;
        while (text.charCodeAt(k) === SPACE) k++;
        const d = text.charCodeAt(k);
        if (d === TAB) return -1;
        if (d !== NL && k < this.len && k - (j + 1) <= indent) return -1;
        if (k - (j + 1) === 0 && this.marker(k) !== undefined) return -1;
      }
    }
    return -1;
  }

  /** Folds a line break inside a quoted scalar (YAML 1.2 §7.3): the next line's text starts at the returned offset. */
  private fold(out: string[], nl: number, kept = 0): number {
    const text = this.text;
    // Trailing white space before the break is not content, unless escaped (out[< kept]).
    let last = out.length - 1;
    while (last >= kept) {
      const s = out[last] as string;
      const trimmed = s.replace(/[ \t]+$/, '');
      out[last] = trimmed;
      if (trimmed.length > 0) break;
      last--;
    }
    let empties = 0;
    let k = nl + 1;
    for (;;) {
      while (text.charCodeAt(k) === SPACE || text.charCodeAt(k) === TAB) k++;
      if (text.charCodeAt(k) !== NL) break;
      empties++;
      k++;
    }
    out.push(empties === 0 ? ' ' : '\n'.repeat(empties));
    return k;
  }

  private singleQuoted(start: number, end: number, indent: number): string {
    const text = this.text;
    const body = text.slice(start + 1, end - 1);
    if (!body.includes("'") && !body.includes('\n')) return body;
    if (indent === -1 && body.includes('\n')) throw BAIL;
    const out: string[] = [];
    let i = start + 1;
    let from = i;
    while (i < end - 1) {
      const c = text.charCodeAt(i);
      if (c === SQUOTE) {
        out.push(text.slice(from, i + 1));
        i += 2;
        from = i;
      } else if (c === NL) {
        out.push(text.slice(from, i));
        i = this.fold(out, i);
        from = i;
      } else i++;
    }
    out.push(text.slice(from, end - 1));
    return out.join('');
  }

  private doubleQuoted(start: number, end: number, indent: number): string {
    const text = this.text;
    const body = text.slice(start + 1, end - 1);
    if (!body.includes('\\') && !body.includes('\n')) return body;
    if (indent === -1 && body.includes('\n')) throw BAIL;
    const out: string[] = [];
    let i = start + 1;
    let from = i;
    let kept = 0;
    while (i < end - 1) {
      const c = text.charCodeAt(i);
      if (c === 92 /* \ */) {
        out.push(text.slice(from, i));
        const e = text.charAt(i + 1);
        if (e === '\n') {
          // An escaped line break joins the lines with nothing between them.
          let k = i + 2;
          while (text.charCodeAt(k) === SPACE || text.charCodeAt(k) === TAB) k++;
          if (text.charCodeAt(k) === NL) throw BAIL;
          i = k;
        } else if (HEX_ESCAPES[e] !== undefined) {
          const n = HEX_ESCAPES[e];
          const hex = text.slice(i + 2, i + 2 + n);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) throw BAIL;
          const code = parseInt(hex, 16);
          if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw BAIL;
          out.push(String.fromCodePoint(code));
          i += 2 + n;
        } else {
          const v = ESCAPES[e];
          if (v === undefined) throw BAIL;
          out.push(v);
          i += 2;
        }
        from = i;
        kept = out.length;
      } else if (c === NL) {
        out.push(text.slice(from, i));
        i = this.fold(out, i, kept);
        from = i;
      } else i++;
    }
    out.push(text.slice(from, end - 1));
    return out.join('');
  }

  // --- block scalars ---

  /** `|` or `>` with its header at `pos`, in a block at column `indent`. Ends at a line start. */
  private blockScalar(indent: number): string {
    const text = this.text;
    const folded = text.charCodeAt(this.pos) === 62;
    let i = this.pos + 1;
    let chomp = '';
    let explicit = 0;
    for (let k = 0; k < 2; k++) {
      const c = text.charAt(i);
      if ((c === '+' || c === '-') && chomp === '') {
        chomp = c;
        i++;
      } else if (c >= '1' && c <= '9' && explicit === 0) {
        explicit = c.charCodeAt(0) - 48;
        i++;
      }
    }
    this.pos = i;
    if (!this.separated(i)) throw BAIL;
    this.endLine();
    if (this.pos >= this.len) throw BAIL;
    // The content lines, each without its indentation; `null` marks an empty line.
    const lines: (string | null)[] = [];
    let contentIndent = explicit > 0 ? Math.max(indent, 0) + explicit : -1;
    let leadingMax = 0;
    let sawText = false;
    let p = this.pos;
    for (;;) {
      if (p >= this.len) break;
      let nl = text.indexOf('\n', p);
      if (nl === -1) nl = this.len; // the last line may lack its line break: it reads the same
      let s = p;
      while (text.charCodeAt(s) === SPACE) s++;
      const spaces = s - p;
      if (s === nl) {
        // A blank line deeper than the content indentation keeps its extra spaces as content.
        if (contentIndent < 0) leadingMax = Math.max(leadingMax, spaces);
        lines.push(
          contentIndent >= 0 && spaces > contentIndent ? text.slice(p + contentIndent, nl) : null,
        );
        p = nl + 1;
        continue;
      }
      if (contentIndent < 0) {
        if (spaces <= indent || leadingMax > spaces) {
          if (spaces <= indent) break;
          throw BAIL;
        }
        contentIndent = spaces;
      }
      if (spaces < contentIndent) {
        if (text.charCodeAt(s) === TAB) throw BAIL;
        break;
      }
      if (contentIndent === 0 && this.marker(p) !== undefined) throw BAIL;
      sawText = true;
      lines.push(text.slice(p + contentIndent, nl));
      p = nl + 1;
    }
    // No content line at all, or only blank ones (where the `yaml` package keeps no spaces).
    if (contentIndent < 0 || !sawText) throw BAIL;
    // Give trailing empty lines back to the parent only after the chomping has counted them.
    this.pos = p;
    let last = lines.length - 1;
    while (last >= 0 && lines[last] === null) last--;
    const trailing = lines.length - 1 - last;
    const body = folded ? foldLines(lines, last) : literalLines(lines, last);
    if (last < 0) throw BAIL;
    if (chomp === '-') return body;
    if (chomp === '+') return `${body}\n${'\n'.repeat(trailing)}`;
    return `${body}\n`;
  }

  // --- flow collections ---

  /** A flow sequence or mapping at `pos`, inside a block at column `indent`. */
  private flow(
    indent: number,
    parent: NodeInfo,
    key: string | number,
    offset: number,
    ctx: Ctx,
    depth: number,
    anchor: string | undefined,
  ): Container {
    if (depth >= MAX_DEPTH) throw BAIL;
    const text = this.text;
    const isSeq = text.charCodeAt(this.pos) === 91;
    const info = this.info(offset, parent, key);
    this.pos++;
    if (isSeq) {
      const arr: unknown[] = [];
      this.table.set(arr, info);
      if (anchor !== undefined) this.anchors.set(anchor, arr);
      const itemCtx = childCtx(ctx, 0, false);
      for (;;) {
        this.flowSpace(indent);
        if (text.charCodeAt(this.pos) === 93) break;
        const at = this.pos;
        const child = this.flowNode(indent, info, arr.length, at, itemCtx, depth + 1);
        this.flowSpace(indent);
        const c = text.charCodeAt(this.pos);
        if (c === COLON) throw BAIL; // a single-pair mapping inside a sequence
        this.note(arr, info, arr.length, at, child);
        arr.push(child);
        if (c === 44) this.pos++;
        else if (c !== 93) throw BAIL;
      }
      this.pos++;
      return arr;
    }
    const obj: JsonObject = {};
    this.table.set(obj, info);
    if (anchor !== undefined) this.anchors.set(anchor, obj);
    for (;;) {
      this.flowSpace(indent);
      const c = text.charCodeAt(this.pos);
      if (c === 125) break;
      const at = this.pos;
      let name: string;
      if (c === DQUOTE || c === SQUOTE) {
        const end = this.quotedEnd(at);
        if (end < 0) throw BAIL;
        name = c === DQUOTE ? this.doubleQuoted(at, end, -1) : this.singleQuoted(at, end, -1);
        this.pos = end;
      } else {
        if (!this.plainStart(at, true)) throw BAIL;
        name = keyName(this.flowPlainText());
      }
      this.flowSpace(indent);
      let child: unknown = null;
      if (text.charCodeAt(this.pos) === COLON) {
        this.pos++;
        this.flowSpace(indent);
        const d = text.charCodeAt(this.pos);
        if (d !== 44 && d !== 125) {
          const isArray = d === 91;
          child = this.flowNode(indent, info, name, at, childCtx(ctx, name, isArray), depth + 1);
          this.flowSpace(indent);
        } else this.expanded++;
      } else this.expanded++;
      if (hasOwn(obj, name) && this.doc.warnings.length < 100) {
        this.doc.warnings.push(`duplicate key '${clip(name)}' (the last one wins)`);
      }
      setOwn(obj, name, child);
      this.note(obj, info, name, at, child);
      const e = text.charCodeAt(this.pos);
      if (e === 44) this.pos++;
      else if (e !== 125) throw BAIL;
    }
    this.pos++;
    noteRefObject(this.doc, obj, ctx);
    return obj;
  }

  /** Spaces, line breaks and comments inside a flow collection; lines must stay deeper than `indent`. */
  private flowSpace(indent: number): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === SPACE || c === TAB) this.pos++;
      else if (c === NL) {
        let k = this.pos + 1;
        while (text.charCodeAt(k) === SPACE) k++;
        const d = text.charCodeAt(k);
        if (d === TAB) throw BAIL;
        if (d !== NL && d !== HASH && k - (this.pos + 1) <= indent) throw BAIL;
        if (k === this.pos + 1 && this.marker(k) !== undefined) throw BAIL;
        this.pos = k;
      } else if (c === HASH) {
        const prev = text.charCodeAt(this.pos - 1);
        if (prev !== SPACE && prev !== TAB && prev !== NL) throw BAIL;
        const end = text.indexOf('\n', this.pos);
        if (end === -1) throw BAIL;
        this.pos = end;
      } else if (this.pos >= this.len) throw BAIL;
      else return;
    }
  }

  private flowNode(
    indent: number,
    parent: NodeInfo,
    key: string | number,
    offset: number,
    ctx: Ctx,
    depth: number,
  ): unknown {
    const c = this.text.charCodeAt(this.pos);
    if (c === 91 || c === 123) {
      this.expanded++;
      return this.flow(indent, parent, key, offset, ctx, depth, undefined);
    }
    if (c === 42) return this.alias();
    this.expanded++;
    if (c === DQUOTE || c === SQUOTE) {
      const end = this.quotedEnd(this.pos, indent);
      if (end < 0) throw BAIL;
      const at = this.pos;
      this.pos = end;
      return c === DQUOTE ? this.doubleQuoted(at, end, indent) : this.singleQuoted(at, end, indent);
    }
    if (!this.plainStart(this.pos, true)) throw BAIL;
    return plainValue(this.flowPlainText());
  }

  /** A plain scalar inside a flow collection, on one line. */
  private flowPlainText(): string {
    const text = this.text;
    const start = this.pos;
    let end = start;
    let i = start;
    for (; i < this.len; i++) {
      const c = text.charCodeAt(i);
      if (c === NL || c === 44 || c === 91 || c === 93 || c === 123 || c === 125) break;
      if (c === COLON) {
        const d = text.charCodeAt(i + 1);
        if (this.separated(i + 1) || d === 44 || d === 91 || d === 93 || d === 123 || d === 125)
          break;
      }
      if (c === HASH && (text.charCodeAt(i - 1) === SPACE || text.charCodeAt(i - 1) === TAB)) break;
      if (c !== SPACE && c !== TAB) end = i + 1;
    }
    this.pos = end;
    if (text.charCodeAt(i) === NL) {
      // A plain scalar continued on the next line inside a flow collection: left to the full parsers.
      let k = i + 1;
      while (k < this.len && (text.charCodeAt(k) === SPACE || text.charCodeAt(k) === NL)) k++;
      const d = text.charCodeAt(k);
      if (d !== 44 && d !== 93 && d !== 125 && d !== COLON && d !== HASH) throw BAIL;
    }
    return text.slice(start, end);
  }

  // --- positions ---

  private note(
    holder: Container,
    info: NodeInfo,
    key: string | number,
    offset: number,
    child: unknown,
  ): void {
    if (typeof child === 'object' && child !== null) {
      if (this.doc.refObjects.has(child))
        this.doc.refs.push({ holder, key, ref: child as JsonObject });
      if (this.table.get(child)?.parent !== info) (info.scalars ??= []).push(key, offset);
    } else (info.scalars ??= []).push(key, offset);
  }
}

/** Literal content: lines kept as they are, up to the last non-empty one. */
function literalLines(lines: readonly (string | null)[], last: number): string {
  let out = '';
  for (let i = 0; i <= last; i++) out += (i > 0 ? '\n' : '') + (lines[i] ?? '');
  return out;
}

/**
 * Folded content (YAML 1.2 §8.1.3): a single break between two normal lines becomes a space, each
 * empty line a line feed; breaks around more-indented lines (starting with white space) are kept.
 */
function foldLines(lines: readonly (string | null)[], last: number): string {
  let out = '';
  let previous: string | undefined;
  let empties = 0;
  for (let i = 0; i <= last; i++) {
    const line = lines[i];
    if (line === null || line === undefined) {
      empties++;
      continue;
    }
    if (previous === undefined) out += '\n'.repeat(empties);
    else {
      const spaced = /^[ \t]/.test(line) || /^[ \t]/.test(previous);
      out += spaced || empties > 0 ? '\n'.repeat(spaced ? empties + 1 : empties) : ' ';
    }
    out += line;
    previous = line;
    empties = 0;
  }
  return out;
}
