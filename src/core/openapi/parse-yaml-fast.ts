// The fast YAML path. @stoplight/yaml-ast-parser (Spectral's parser, a js-yaml descendant) builds a
// positioned AST about five times faster than the `yaml` package, which matters on 40 MB corpora.
// It is used only for documents it parses without any error and without features whose meaning
// could differ (complex keys, !include); anything else returns undefined and the caller falls back
// to parse-yaml.ts, which gives the canonical YAML 1.2 reading and precise error messages.
// Scalars are typed by the YAML 1.2 core schema, exactly as the `yaml` package does.

import {
  Kind,
  ScalarType,
  determineScalarType,
  load,
  parseYamlBoolean,
  parseYamlFloat,
  parseYamlInteger,
} from '@stoplight/yaml-ast-parser';
import type { YAMLMapping, YAMLNode, YAMLScalar } from '@stoplight/yaml-ast-parser';
import { parse as parseYamlText } from 'yaml';
import type { Container, JsonObject, NodeInfo, NodeTable, SourceDoc } from './document.js';
import { Ctx, childCtx, clip, hasOwn, noteRefObject, setOwn } from './document.js';
import { MAX_DEPTH } from './parse-json.js';

/** Thrown inside the converter to abandon the fast path. */
class Unsupported extends Error {}

export function parseYamlFast(doc: SourceDoc, table: NodeTable): { value: unknown } | undefined {
  let ast: YAMLNode | undefined;
  try {
    ast = load(doc.text, { ignoreDuplicateKeys: true });
  } catch {
    return undefined;
  }
  // Only clean documents whose root is a mapping or sequence: the rest gets the canonical messages.
  if (!ast || ast.errors.length > 0 || (ast.kind !== Kind.MAP && ast.kind !== Kind.SEQ))
    return undefined;
  const converter = new FastConverter(doc, table);
  const refCount = doc.refs.length;
  const warnings = doc.warnings.length;
  try {
    const value = converter.convert(ast, undefined, '', ast.startPosition, Ctx.Normal, 0);
    if (typeof value === 'object' && value !== null && doc.refObjects.has(value)) {
      doc.refs.push({ holder: undefined, key: '', ref: value as JsonObject });
    }
    return { value };
  } catch (error) {
    if (!(error instanceof Unsupported) && !(error instanceof RangeError)) throw error;
    doc.refs.length = refCount;
    doc.warnings.length = warnings;
    return undefined;
  }
}

/**
 * `indent` is the indentation level of the mapping holding this scalar as a value (the column of
 * its key), which an explicit indentation indicator counts from; undefined elsewhere.
 */
function scalarValue(node: YAMLScalar, text?: string, indent?: number): unknown {
  if (!node.plainScalar) {
    return text !== undefined && !node.singleQuoted && !node.doubleQuoted
      ? blockScalar(node, text, indent)
      : node.value;
  }
  switch (determineScalarType(node)) {
    case ScalarType.null:
      return null;
    case ScalarType.bool:
      return parseYamlBoolean(node.value);
    case ScalarType.int:
      return parseYamlInteger(node.value);
    case ScalarType.float:
      return parseYamlFloat(node.value);
    default:
      return node.value;
  }
}

/**
 * Block scalars (`|`, `>`) are re-read by the `yaml` package: yaml-ast-parser gets leading blank
 * lines, explicit indentation indicators and keep chomping (`|+`) wrong. The snippet runs from the
 * indicator over every following blank line (they belong to the scalar under `+` chomping); content
 * lines keep their absolute indentation, which auto-detection reads the same under a column-0 key.
 * An explicit indentation indicator counts from the parent mapping's indentation (YAML 1.2 §8.1.1.1),
 * so then the lines are shifted left by that indentation, as if the key were at column 0.
 */
function blockScalar(node: YAMLScalar, text: string, indent: number | undefined): string {
  const header = /^[|>]([+-]?)(\d?)([+-]?)/.exec(
    text.slice(node.startPosition, node.startPosition + 4),
  );
  if (!header) throw new Unsupported();
  const explicit = header[2] !== '';
  if (explicit && indent === undefined) throw new Unsupported();
  if (
    !explicit &&
    header[1] !== '+' &&
    header[3] !== '+' &&
    !leadingBlank(text, node.startPosition)
  )
    return node.value;
  let end = node.endPosition;
  for (;;) {
    const newline = text.indexOf('\n', end);
    if (newline === -1) {
      end = text.length;
      break;
    }
    const next = text.indexOf('\n', newline + 1);
    const line = text.slice(newline + 1, next === -1 ? text.length : next);
    if (line.trim() !== '' || next === -1) {
      end = newline + 1;
      break;
    }
    end = newline + 1;
  }
  let value: unknown;
  try {
    const raw = text.slice(node.startPosition, end);
    const snippet = `x: ${explicit ? dedent(raw, indent ?? 0) : raw}`;
    value = (parseYamlText(snippet, { uniqueKeys: false }) as { x?: unknown } | null)?.x;
  } catch {
    throw new Unsupported();
  }
  if (typeof value !== 'string') throw new Unsupported();
  return value;
}

/** Whether the first line after a block scalar's header is blank (yaml-ast-parser misreads those). */
function leadingBlank(text: string, start: number): boolean {
  const newline = text.indexOf('\n', start);
  if (newline === -1) return true;
  const next = text.indexOf('\n', newline + 1);
  return text.slice(newline + 1, next === -1 ? text.length : next).trim() === '';
}

/** Every line after the first loses up to `by` leading spaces (blank lines may have fewer). */
function dedent(raw: string, by: number): string {
  const lines = raw.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    let cut = 0;
    while (cut < by && line.charCodeAt(cut) === 32) cut++;
    // A content line indented less than its parent would have ended the scalar: not ours to guess.
    if (cut < by && line.trim() !== '') throw new Unsupported();
    lines[i] = line.slice(cut);
  }
  return lines.join('\n');
}

/**
 * The indentation of the mapping whose key starts at `offset`: the key's column, when only spaces
 * and sequence dashes (`- `) precede it on its line; undefined otherwise (then an explicit block
 * scalar indentation falls back to the canonical parser).
 */
function keyIndent(text: string, offset: number): number | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  for (let i = lineStart; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) continue;
    if (c === 45 /* - */ && text.charCodeAt(i + 1) === 32) continue;
    return undefined;
  }
  return offset - lineStart;
}

class FastConverter {
  readonly anchors = new Map<string, unknown>();
  readonly anchorSizes = new Map<string, number>();
  expanded = 0;
  readonly expansionCap: number;

  constructor(
    readonly doc: SourceDoc,
    readonly table: NodeTable,
  ) {
    this.expansionCap = 100_000 + 4 * doc.text.length;
  }

  convert(
    node: YAMLNode | null | undefined,
    parent: NodeInfo | undefined,
    key: string | number,
    offset: number,
    ctx: Ctx,
    depth: number,
  ): unknown {
    if (node === null || node === undefined) return null;
    if (depth >= MAX_DEPTH) throw new Unsupported();
    if (node.kind === Kind.ANCHOR_REF) {
      const name = (node as YAMLNode & { referencesAnchor: string }).referencesAnchor;
      if (!this.anchors.has(name)) throw new Unsupported();
      this.expanded += this.anchorSizes.get(name) ?? 1;
      if (this.expanded > this.expansionCap) throw new Unsupported();
      return this.anchors.get(name);
    }
    const before = this.expanded++;
    let value: unknown;
    const anchor = node.anchorId;
    if (node.kind === Kind.SCALAR) {
      const text = this.doc.text;
      const scalar = node as YAMLScalar;
      // Only block scalars with an explicit indentation indicator need their parent's indentation.
      const indent =
        typeof key === 'string' &&
        !scalar.plainScalar &&
        !scalar.singleQuoted &&
        !scalar.doubleQuoted
          ? keyIndent(text, offset)
          : undefined;
      value = scalarValue(scalar, text, indent);
      if (anchor) this.anchors.set(anchor, value);
    } else if (node.kind === Kind.MAP || node.kind === Kind.SEQ) {
      const info: NodeInfo = {
        doc: this.doc,
        offset,
        parent,
        key: parent === undefined ? undefined : key,
        scalars: undefined,
        pointer: undefined,
      };
      value =
        node.kind === Kind.MAP
          ? this.map((node.mappings ?? []) as YAMLMapping[], info, ctx, depth, anchor)
          : this.seq((node as YAMLNode & { items: YAMLNode[] }).items, info, ctx, depth, anchor);
    } else throw new Unsupported();
    if (anchor) this.anchorSizes.set(anchor, this.expanded - before);
    return value;
  }

  keyString(node: YAMLScalar | null | undefined): string {
    if (!node || node.kind !== Kind.SCALAR) throw new Unsupported();
    const value = scalarValue(node);
    if (value === null) return node.value;
    return String(value);
  }

  map(
    mappings: YAMLMapping[],
    info: NodeInfo,
    ctx: Ctx,
    depth: number,
    anchor: string | undefined,
  ): JsonObject {
    const obj: JsonObject = {};
    this.table.set(obj, info);
    if (anchor) this.anchors.set(anchor, obj);
    let merges: unknown[] | undefined;
    for (const mapping of mappings) {
      const keyNode = mapping.key;
      const key = this.keyString(keyNode);
      const keyOffset = keyNode.startPosition;
      const valueNode = mapping.value;
      if (key === '<<' && keyNode.plainScalar) {
        const merged = this.convert(valueNode, info, key, keyOffset, Ctx.Literal, depth + 1);
        (merges ??= []).push(...(Array.isArray(merged) ? merged : [merged]));
        continue;
      }
      const isArray = valueNode?.kind === Kind.SEQ;
      const child = this.convert(
        valueNode,
        info,
        key,
        keyOffset,
        childCtx(ctx, key, isArray),
        depth + 1,
      );
      if (hasOwn(obj, key) && this.doc.warnings.length < 100) {
        this.doc.warnings.push(`duplicate key '${clip(key)}' (the last one wins)`);
      }
      setOwn(obj, key, child);
      this.note(obj, info, key, keyOffset, child);
    }
    if (merges) {
      for (const source of merges) {
        if (typeof source !== 'object' || source === null || Array.isArray(source)) continue;
        for (const [k, v] of Object.entries(source)) if (!hasOwn(obj, k)) setOwn(obj, k, v);
      }
    }
    noteRefObject(this.doc, obj, ctx);
    return obj;
  }

  seq(
    items: (YAMLNode | null)[],
    info: NodeInfo,
    ctx: Ctx,
    depth: number,
    anchor: string | undefined,
  ): unknown[] {
    const arr: unknown[] = [];
    this.table.set(arr, info);
    if (anchor) this.anchors.set(anchor, arr);
    const itemCtx = childCtx(ctx, 0, false);
    for (let index = 0; index < items.length; index++) {
      const item = items[index];
      const offset = item?.startPosition ?? info.offset;
      const child = this.convert(item, info, index, offset, itemCtx, depth + 1);
      arr.push(child);
      this.note(arr, info, index, offset, child);
    }
    return arr;
  }

  note(holder: Container, info: NodeInfo, key: string | number, offset: number, child: unknown) {
    if (typeof child === 'object' && child !== null) {
      if (this.doc.refObjects.has(child))
        this.doc.refs.push({ holder, key, ref: child as JsonObject });
      if (this.table.get(child)?.parent !== info) (info.scalars ??= []).push(key, offset);
    } else (info.scalars ??= []).push(key, offset);
  }
}
