// A position-tracking JSON parser (RFC 8259). JSON.parse is fast but keeps no positions, and the
// YAML parser is ~50x slower on big JSON files; this scanner records one NodeInfo per container and the
// offset of each scalar key, and falls back to JSON.parse only for strings with escapes.

import type { NodeTable, NodeInfo, SourceDoc, JsonObject, Container } from './document.js';
import {
  Ctx,
  childCtx,
  noteRefObject,
  errorAt,
  hasOwn,
  nodeInfo,
  setOwn,
  clip,
} from './document.js';

/** Deeper nesting than this is hostile or broken input, never a real API description. */
export const MAX_DEPTH = 1000;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// eslint-disable-next-line no-control-regex -- RFC 8259 forbids raw control characters in strings
const CONTROL = /[\u0000-\u001f]/;

export function parseJson(doc: SourceDoc, table: NodeTable): unknown {
  return new JsonParser(doc, table).parse();
}

class JsonParser {
  i = 0;
  readonly text: string;

  constructor(
    readonly doc: SourceDoc,
    readonly table: NodeTable,
  ) {
    this.text = doc.text;
  }

  parse(): unknown {
    this.ws();
    const value = this.value(undefined, '', this.i, Ctx.Normal, 0);
    this.ws();
    if (this.i < this.text.length) this.fail('unexpected content after the JSON value');
    if (typeof value === 'object' && value !== null && this.doc.refObjects.has(value)) {
      this.doc.refs.push({ holder: undefined, key: '', ref: value as JsonObject });
    }
    return value;
  }

  fail(what: string): never {
    throw errorAt('BULWARK_ERR_SPEC_PARSE', `invalid JSON: ${what}`, this.doc, this.i);
  }

  ws(): void {
    const t = this.text;
    let i = this.i;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.i = i;
  }

  value(
    parent: NodeInfo | undefined,
    key: string | number,
    offset: number,
    ctx: Ctx,
    depth: number,
  ): unknown {
    const c = this.text.charCodeAt(this.i);
    if (c === 123 /* { */ || c === 91 /* [ */) {
      if (depth >= MAX_DEPTH) this.fail('nesting is too deep');
      const info = nodeInfo(this.doc, offset, parent, key);
      return c === 123 ? this.object(info, ctx, depth) : this.array(info, ctx, depth);
    }
    if (c === 34 /* " */) return this.string();
    if (c === 116 /* t */) return this.word('true', true);
    if (c === 102 /* f */) return this.word('false', false);
    if (c === 110 /* n */) return this.word('null', null);
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.text);
    if (m) {
      this.i += m[0].length;
      return Number(m[0]);
    }
    if (this.i >= this.text.length) this.fail('unexpected end of input');
    return this.fail(`unexpected character '${clip(this.text.charAt(this.i), 4)}'`);
  }

  word<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.i)) this.fail('unexpected token');
    this.i += word.length;
    return value;
  }

  string(): string {
    const t = this.text;
    const start = this.i;
    let end = t.indexOf('"', start + 1);
    if (end === -1) this.fail('unterminated string');
    let raw = t.slice(start + 1, end);
    if (raw.includes('\\')) {
      // Find the real closing quote: a quote preceded by an odd number of backslashes is escaped.
      for (;;) {
        let slashes = 0;
        for (let k = end - 1; t.charCodeAt(k) === 92; k--) slashes++;
        if (slashes % 2 === 0) break;
        end = t.indexOf('"', end + 1);
        if (end === -1) this.fail('unterminated string');
      }
      raw = t.slice(start, end + 1);
      try {
        this.i = end + 1;
        return JSON.parse(raw) as string;
      } catch {
        this.i = start;
        this.fail('bad escape sequence in string');
      }
    }
    if (CONTROL.test(raw)) {
      this.i = start + 1 + raw.search(CONTROL);
      this.fail('control character in string');
    }
    this.i = end + 1;
    return raw;
  }

  object(info: NodeInfo, ctx: Ctx, depth: number): JsonObject {
    const obj: JsonObject = {};
    this.table.set(obj, info);
    const t = this.text;
    this.i++;
    this.ws();
    if (t.charCodeAt(this.i) === 125 /* } */) {
      this.i++;
      return obj;
    }
    for (;;) {
      if (t.charCodeAt(this.i) !== 34) this.fail('expected a string key');
      const keyOffset = this.i;
      const key = this.string();
      this.ws();
      if (t.charCodeAt(this.i) !== 58 /* : */) this.fail("expected ':'");
      this.i++;
      this.ws();
      const c = t.charCodeAt(this.i);
      const isContainer = c === 123 || c === 91;
      const child = this.value(info, key, keyOffset, childCtx(ctx, key, c === 91), depth + 1);
      if (hasOwn(obj, key) && this.doc.warnings.length < 100) {
        this.doc.warnings.push(`duplicate key '${clip(key)}' (the last one wins)`);
      }
      setOwn(obj, key, child);
      if (!isContainer) (info.scalars ??= []).push(key, keyOffset);
      else this.noteRef(obj, key, child);
      this.ws();
      const sep = t.charCodeAt(this.i);
      this.i++;
      if (sep === 44 /* , */) {
        this.ws();
        continue;
      }
      if (sep === 125) break;
      this.i--;
      this.fail("expected ',' or '}'");
    }
    noteRefObject(this.doc, obj, ctx);
    return obj;
  }

  array(info: NodeInfo, ctx: Ctx, depth: number): unknown[] {
    const arr: unknown[] = [];
    this.table.set(arr, info);
    const t = this.text;
    this.i++;
    this.ws();
    if (t.charCodeAt(this.i) === 93 /* ] */) {
      this.i++;
      return arr;
    }
    const itemCtx = childCtx(ctx, 0, false);
    for (let index = 0; ; index++) {
      const offset = this.i;
      const c = t.charCodeAt(offset);
      const child = this.value(info, index, offset, itemCtx, depth + 1);
      arr.push(child);
      if (c === 123 || c === 91) this.noteRef(arr, index, child);
      else (info.scalars ??= []).push(index, offset);
      this.ws();
      const sep = t.charCodeAt(this.i);
      this.i++;
      if (sep === 44) {
        this.ws();
        continue;
      }
      if (sep === 93) break;
      this.i--;
      this.fail("expected ',' or ']'");
    }
    return arr;
  }

  noteRef(holder: Container, key: string | number, child: unknown): void {
    if (this.doc.refObjects.has(child as object)) {
      this.doc.refs.push({ holder, key, ref: child as JsonObject });
    }
  }
}
