// One parsed source document (the root spec or a file reached through `$ref`) and the side tables
// that keep every container node's source position without touching the node itself.
//
// Positions are recorded while the YAML AST or JSON text is turned into plain JS, one small NodeInfo
// per object/array (never a pointer string per scalar): the JSON pointer and the line/column are
// computed only when someone asks (locate / locatePointer), which is rare next to loading.

import type { SpecLocation } from '../finding.js';
import { BulwarkError, type ErrorCode } from '../errors.js';

export type JsonObject = Record<string, unknown>;
export type Container = JsonObject | unknown[];

export interface NodeInfo {
  readonly doc: SourceDoc;
  /** Offset of the node's key in its parent mapping (or of the item in its sequence). */
  readonly offset: number;
  readonly parent: NodeInfo | undefined;
  /** Key in the parent, or the index for sequence items. */
  readonly key: string | number | undefined;
  /** Offsets of scalar children, as alternating key, offset (only scalars: containers have their own info). */
  scalars: (string | number)[] | undefined;
  /** The node's JSON pointer, once asked for (see pointerOf). */
  pointer: string | undefined;
}

/** The position record of a container the parsers read at `offset` (under `key` of `parent`). */
export function nodeInfo(
  doc: SourceDoc,
  offset: number,
  parent: NodeInfo | undefined,
  key: string | number,
): NodeInfo {
  return {
    doc,
    offset,
    parent,
    key: parent === undefined ? undefined : key,
    scalars: undefined,
    pointer: undefined,
  };
}

/** A place where a Reference Object sits: `holder[key]` (or the document root when holder is undefined). */
export interface RefSite {
  readonly holder: Container | undefined;
  readonly key: string | number;
  readonly ref: JsonObject;
}

export interface SourceDoc {
  /** Absolute file path or URL without fragment: the base for relative `$ref`s. */
  readonly uri: string;
  /** The name shown in locations and errors (relative to cwd when possible; URLs without secrets). */
  readonly file: string;
  readonly text: string;
  /** The root value as parsed, before `$ref` replacement. */
  rawRoot: unknown;
  readonly refs: RefSite[];
  /** The Reference Objects of `refs`, for an O(1) "is this a real reference?" check. */
  readonly refObjects: WeakSet<object>;
  /** The Reference Objects found inside extensions (see Ctx.Lenient). */
  readonly lenientRefs: WeakSet<object>;
  readonly warnings: string[];
  lineStarts: number[] | undefined;
}

/** The shared node -> info table of one load. Model objects are registered here too. */
export class NodeTable {
  // A Map, not a WeakMap: the table lives exactly as long as the model that owns it, and V8's
  // ephemeron handling made a WeakMap of a million nodes cost more in GC than the whole parse.
  readonly #infos = new Map<object, NodeInfo>();
  readonly #fixed = new Map<object, SpecLocation>();

  set(node: object, info: NodeInfo): void {
    this.#infos.set(node, info);
  }

  get(node: object): NodeInfo | undefined {
    return this.#infos.get(node);
  }

  /** A synthesised object with a location of its own (e.g. a Swagger server at `host`). */
  fix(node: object, location: SpecLocation): void {
    this.#fixed.set(node, location);
  }

  /** Register `target` (a model object or synthesised node) at the position of `source`. */
  alias(target: object, source: object): void {
    const info = this.#infos.get(source);
    if (info) this.#infos.set(target, info);
  }

  locate(node: object): SpecLocation | undefined {
    const fixed = this.#fixed.get(node);
    if (fixed) return fixed;
    const info = this.#infos.get(node);
    return info ? locationOf(info) : undefined;
  }
}

// Reference Objects are resolved everywhere except inside literal values: examples, defaults, enums,
// constants and extensions may legitimately contain a "$ref" key that is data, not a reference.
export const Ctx = {
  Normal: 0,
  /** The keys of this mapping are names (property names, status codes...), never keywords. */
  NameMap: 1,
  Literal: 2,
  /** Inside an `x-*` extension: references are followed when they resolve, kept as data otherwise. */
  Lenient: 3,
} as const;
export type Ctx = (typeof Ctx)[keyof typeof Ctx];

const LITERAL_KEYS = new Set(['example', 'default', 'enum', 'const', 'value', 'x-example']);
const NAME_MAP_KEYS = new Set([
  'properties',
  'patternProperties',
  'definitions',
  '$defs',
  'dependentSchemas',
  'schemas',
  'responses',
  'parameters',
  'requestBodies',
  'headers',
  'securitySchemes',
  'securityDefinitions',
  'links',
  'callbacks',
  'pathItems',
  'paths',
  'webhooks',
  'variables',
  'mapping',
  'scopes',
  'content',
  'encoding',
  'examples',
]);

export function childCtx(ctx: Ctx, key: string | number, valueIsArray: boolean): Ctx {
  if (ctx === Ctx.Literal) return Ctx.Literal;
  if (ctx === Ctx.Lenient)
    return typeof key === 'string' && LITERAL_KEYS.has(key) ? Ctx.Literal : ctx;
  if (typeof key === 'number' || ctx === Ctx.NameMap) return Ctx.Normal;
  if (LITERAL_KEYS.has(key)) return Ctx.Literal;
  if (key.startsWith('x-')) return Ctx.Lenient;
  // JSON Schema `examples` is an array of literal values; OpenAPI `examples` is a map of Example Objects.
  if (key === 'examples' && valueIsArray) return Ctx.Literal;
  if (NAME_MAP_KEYS.has(key)) return Ctx.NameMap;
  return Ctx.Normal;
}

/** Sets `obj[key] = value` as an own property even for `__proto__` (CWE-1321: no prototype pollution). */
export function setOwn(obj: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else obj[key] = value;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function hasOwn(obj: object, key: string): boolean {
  return Object.hasOwn(obj, key);
}

// --- positions ---------------------------------------------------------------------------------

function lineStarts(doc: SourceDoc): number[] {
  if (doc.lineStarts) return doc.lineStarts;
  const starts = [0];
  const text = doc.text;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  doc.lineStarts = starts;
  return starts;
}

/** 1-based line and column (in UTF-16 code units) of an offset. */
export function lineColumn(doc: SourceDoc, offset: number): { line: number; column: number } {
  const starts = lineStarts(doc);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
}

export function escapePointerToken(token: string | number): string {
  if (typeof token === 'number') return String(token);
  if (!token.includes('~') && !token.includes('/')) return token;
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The JSON pointer of a node. Remembered per node, so locating many nodes under one parent (every
 * property of a schema, every operation of a path) builds each ancestor's pointer once.
 */
export function pointerOf(info: NodeInfo): string {
  if (info.pointer !== undefined) return info.pointer;
  const pointer =
    info.key === undefined
      ? ''
      : `${info.parent ? pointerOf(info.parent) : ''}/${escapePointerToken(info.key)}`;
  info.pointer = pointer;
  return pointer;
}

export function locationOf(info: NodeInfo, offset = info.offset, leaf?: string | number) {
  const { line, column } = lineColumn(info.doc, offset);
  const base = pointerOf(info);
  const pointer = leaf === undefined ? base : `${base}/${escapePointerToken(leaf)}`;
  return { file: info.doc.file, line, column, pointer } satisfies SpecLocation;
}

/** The offset of a scalar child of a node, from the alternating key/offset list. */
export function scalarOffset(info: NodeInfo, key: string | number): number | undefined {
  const list = info.scalars;
  if (!list) return undefined;
  for (let i = list.length - 2; i >= 0; i -= 2) {
    if (list[i] === key) return list[i + 1] as number;
  }
  return undefined;
}

/** A coded error located at an offset of a document. */
export function errorAt(
  code: ErrorCode,
  message: string,
  doc: Pick<SourceDoc, 'file' | 'text' | 'lineStarts'>,
  offset: number,
  extra: { pointer?: string; hint?: string; cause?: unknown } = {},
): BulwarkError {
  const { line, column } = lineColumn(doc as SourceDoc, offset);
  return new BulwarkError(code, message, {
    location: {
      file: doc.file,
      line,
      column,
      ...(extra.pointer === undefined ? {} : { pointer: extra.pointer }),
    },
    ...(extra.hint === undefined ? {} : { hint: extra.hint }),
    ...(extra.cause === undefined ? {} : { cause: extra.cause }),
  });
}

/** A coded error at a node (or at one of its scalar children) of the resolved tree. */
export function errorAtNode(
  code: ErrorCode,
  message: string,
  info: NodeInfo,
  leaf?: string | number,
  hint?: string,
): BulwarkError {
  const offset = leaf === undefined ? info.offset : (scalarOffset(info, leaf) ?? info.offset);
  const loc = locationOf(info, offset, leaf);
  return new BulwarkError(code, message, {
    location: loc,
    ...(hint === undefined ? {} : { hint }),
  });
}

/** Keep error texts to one line and bounded (a hostile document chooses its keys). */
export function clip(text: string, max = 80): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Called by the parsers when a mapping is complete: is it a Reference Object? */
export function noteRefObject(doc: SourceDoc, obj: JsonObject, ctx: Ctx): void {
  if (ctx === Ctx.Literal || typeof obj['$ref'] !== 'string') return;
  doc.refObjects.add(obj);
  if (ctx === Ctx.Lenient) doc.lenientRefs.add(obj);
}
