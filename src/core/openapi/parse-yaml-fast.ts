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

function scalarValue(node: YAMLScalar, text?: string): unknown {
  if (!node.plainScalar) {
    return text !== undefined && !node.singleQuoted && !node.doubleQuoted
      ? blockScalar(node, text)
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
 */
function blockScalar(node: YAMLScalar, text: string): string {
  const header = /^[|>]([+-]?)(\d?)([+-]?)/.exec(
    text.slice(node.startPosition, node.startPosition + 4),
  );
  if (!header) throw new Unsupported();
  if (header[2]) throw new Unsupported(); // explicit indentation is relative to the parent's column
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
    const snippet = `x: ${text.slice(node.startPosition, end)}`;
    value = (parseYamlText(snippet, { uniqueKeys: false }) as { x?: unknown } | null)?.x;
  } catch {
    throw new Unsupported();
  }
  if (typeof value !== 'string') throw new Unsupported();
  return value;
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
      value = scalarValue(node as YAMLScalar, this.doc.text);
      if (anchor) this.anchors.set(anchor, value);
    } else if (node.kind === Kind.MAP || node.kind === Kind.SEQ) {
      const info: NodeInfo = {
        doc: this.doc,
        offset,
        parent,
        key: parent === undefined ? undefined : key,
        scalars: undefined,
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
