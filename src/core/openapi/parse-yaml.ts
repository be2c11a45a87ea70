// YAML (1.2, core schema) to plain JS with positions. We compose the yaml package's AST and convert it
// ourselves instead of calling toJS(): one pass that records a NodeInfo per container, keeps aliases as
// shared objects (so an alias bomb costs nothing to hold: no expansion, CWE-776), applies `<<` merge
// keys, and tolerates duplicate keys (real-world specs have them; the last one wins, with a warning).

import { Composer, Parser, isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Node as YamlNode, Document } from 'yaml';
import type { NodeTable, NodeInfo, SourceDoc, JsonObject, Container } from './document.js';
import {
  Ctx,
  childCtx,
  noteRefObject,
  clip,
  errorAt,
  hasOwn,
  nodeInfo,
  setOwn,
} from './document.js';
import { MAX_DEPTH } from './parse-json.js';

export function parseYaml(doc: SourceDoc, table: NodeTable): unknown {
  const yamlDoc = composeOne(doc);
  const converter = new Converter(doc, table);
  const start = yamlDoc.contents?.range?.[0] ?? 0;
  const root = converter.convert(yamlDoc.contents, undefined, '', start, Ctx.Normal, 0);
  if (typeof root === 'object' && root !== null && doc.refObjects.has(root)) {
    doc.refs.push({ holder: undefined, key: '', ref: root as JsonObject });
  }
  return root;
}

function composeOne(doc: SourceDoc): Document.Parsed {
  const docs: Document.Parsed[] = [];
  try {
    const composer = new Composer({ uniqueKeys: false, schema: 'core', intAsBigInt: false });
    for (const d of composer.compose(new Parser().parse(doc.text))) {
      docs.push(d);
      if (docs.length > 1) break;
    }
  } catch (error) {
    // The yaml composer recurses per nesting level: absurdly deep input overflows the stack.
    if (error instanceof RangeError) {
      throw errorAt('BULWARK_ERR_SPEC_PARSE', 'invalid YAML: nesting is too deep', doc, 0, {
        cause: error,
      });
    }
    throw error;
  }
  const first = docs[0];
  if (first === undefined) {
    throw errorAt('BULWARK_ERR_SPEC_EMPTY', 'the document is empty', doc, 0);
  }
  const error = first.errors[0];
  if (error) {
    const first = error.message.split('\n')[0] ?? error.code;
    // yaml reports its own stack overflow on absurd nesting as a document error.
    const message = /call stack/i.test(first) ? 'nesting is too deep' : clip(first, 120);
    throw errorAt('BULWARK_ERR_SPEC_PARSE', `invalid YAML: ${message}`, doc, error.pos[0], {
      cause: error,
    });
  }
  const second = docs[1];
  if (second && second.contents !== null) {
    const at = second.range[0];
    throw errorAt('BULWARK_ERR_SPEC_PARSE', 'invalid YAML: more than one document', doc, at);
  }
  if (first.contents === null) {
    throw errorAt('BULWARK_ERR_SPEC_EMPTY', 'the document is empty', doc, 0);
  }
  return first;
}

class Converter {
  /** Anchor name -> converted value (the latest definition wins, as YAML says). */
  readonly anchors = new Map<string, unknown>();
  /** Anchor name -> number of nodes it stands for, aliases inside counted expanded. */
  readonly anchorSizes = new Map<string, number>();
  /** Nodes as if every alias were expanded: what a naive consumer would have to walk. */
  expanded = 0;
  readonly expansionCap: number;

  constructor(
    readonly doc: SourceDoc,
    readonly table: NodeTable,
  ) {
    // Each real node takes at least one character, so this only trips on alias amplification.
    this.expansionCap = 100_000 + 4 * doc.text.length;
  }

  convert(
    node: YamlNode | null,
    parent: NodeInfo | undefined,
    key: string | number,
    offset: number,
    ctx: Ctx,
    depth: number,
  ): unknown {
    if (node === null) return null;
    if (depth >= MAX_DEPTH) {
      throw errorAt(
        'BULWARK_ERR_SPEC_PARSE',
        'invalid YAML: nesting is too deep',
        this.doc,
        offset,
      );
    }
    if (isAlias(node)) return this.alias(node.source, node.range?.[0] ?? offset);
    const before = this.expanded++;
    let value: unknown;
    if (isScalar(node)) {
      value = node.value;
      if (node.anchor) this.anchors.set(node.anchor, value);
    } else {
      const info = nodeInfo(this.doc, offset, parent, key);
      value = isMap(node)
        ? this.map(node.items, info, ctx, depth, node.anchor)
        : this.seq(isSeq(node) ? node.items : [], info, ctx, depth, node.anchor);
    }
    if (node.anchor) this.anchorSizes.set(node.anchor, this.expanded - before);
    return value;
  }

  alias(name: string, offset: number): unknown {
    if (!this.anchors.has(name)) {
      const msg = `invalid YAML: alias '*${clip(name, 40)}' has no anchor`;
      throw errorAt('BULWARK_ERR_SPEC_PARSE', msg, this.doc, offset);
    }
    this.expanded += this.anchorSizes.get(name) ?? 1;
    if (this.expanded > this.expansionCap) {
      const msg = 'invalid YAML: aliases expand too far (possible alias bomb)';
      throw errorAt('BULWARK_ERR_SPEC_PARSE', msg, this.doc, offset);
    }
    return this.anchors.get(name);
  }

  map(items: unknown[], info: NodeInfo, ctx: Ctx, depth: number, anchor?: string): JsonObject {
    const obj: JsonObject = {};
    this.table.set(obj, info);
    if (anchor) this.anchors.set(anchor, obj);
    let merges: unknown[] | undefined;
    for (const pair of items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YamlNode | null;
      const valueNode = pair.value as YamlNode | null;
      const keyOffset = keyNode?.range?.[0] ?? valueNode?.range?.[0] ?? info.offset;
      const key = this.keyString(keyNode, info, keyOffset, depth);
      if (key === '<<' && isScalar(keyNode) && keyNode.type === 'PLAIN') {
        // YAML merge key (yaml.org/type/merge): applied after the explicit keys, which win.
        const merged = this.convert(valueNode, info, key, keyOffset, Ctx.Literal, depth + 1);
        (merges ??= []).push(...(Array.isArray(merged) ? merged : [merged]));
        continue;
      }
      const isArray = isSeq(valueNode);
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
    if (merges) this.merge(obj, merges);
    noteRefObject(this.doc, obj, ctx);
    return obj;
  }

  merge(obj: JsonObject, sources: unknown[]): void {
    for (const source of sources) {
      if (typeof source !== 'object' || source === null || Array.isArray(source)) continue;
      for (const [k, v] of Object.entries(source)) if (!hasOwn(obj, k)) setOwn(obj, k, v);
    }
  }

  seq(items: unknown[], info: NodeInfo, ctx: Ctx, depth: number, anchor?: string): unknown[] {
    const arr: unknown[] = [];
    this.table.set(arr, info);
    if (anchor) this.anchors.set(anchor, arr);
    const itemCtx = childCtx(ctx, 0, false);
    for (let index = 0; index < items.length; index++) {
      const item = items[index] as YamlNode | null;
      const offset = item?.range?.[0] ?? info.offset;
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
      // An alias child keeps the info of its anchor; remember where this occurrence is written too.
      if (this.table.get(child)?.parent !== info) (info.scalars ??= []).push(key, offset);
    } else (info.scalars ??= []).push(key, offset);
  }

  keyString(keyNode: YamlNode | null, info: NodeInfo, offset: number, depth: number): string {
    if (keyNode === null) return '';
    if (isScalar(keyNode)) {
      const v = keyNode.value;
      return v === null || v === undefined ? (keyNode.source ?? '') : String(v);
    }
    // A complex key (a mapping or sequence as key) has no JSON equivalent: use its JSON text.
    const value = this.convert(keyNode, info, '', offset, Ctx.Literal, depth + 1);
    try {
      return JSON.stringify(value) ?? '';
    } catch {
      return '';
    }
  }
}
