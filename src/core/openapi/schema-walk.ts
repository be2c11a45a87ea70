// Cycle-safe traversal of resolved schemas. After $ref resolution a recursive schema is an object
// cycle and a shared component is one object reached from many places, so every walk must keep a
// visited set: each schema object is visited once, iteratively (no recursion per nesting level).

import { escapePointerToken } from './document.js';
import type { ApiModel, Operation, Schema, SchemaObject } from './model.js';

export interface SchemaVisit {
  readonly schema: SchemaObject;
  /** JSON-pointer-like path from the walk's root, e.g. `/properties/owner/items`. */
  readonly path: string;
  /** The keyword that led here (`properties`, `items`, `allOf`...), undefined at the root. */
  readonly keyword: string | undefined;
  /** The property / definition name or array index under `keyword`, when it has one. */
  readonly name: string | undefined;
  readonly parent: SchemaObject | undefined;
  readonly depth: number;
}

/** Return 'skip' to not descend into this schema's subschemas, 'stop' to end the walk. */
export type SchemaVisitor = (visit: SchemaVisit) => void | 'skip' | 'stop';

/** Keywords whose value is one subschema (JSON Schema 2020-12, draft 4 and OpenAPI). */
export const SINGLE_SUBSCHEMA_KEYWORDS = [
  'items',
  'additionalItems',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema',
] as const;
const SINGLE = SINGLE_SUBSCHEMA_KEYWORDS;
/** Keywords whose value is an array of subschemas (`items` too, in its draft 4 tuple form). */
const ARRAYS = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'] as const;
/** Keywords whose value maps names to subschemas. */
const MAPS = [
  'properties',
  'patternProperties',
  'dependentSchemas',
  '$defs',
  'definitions',
  'dependencies',
] as const;

function isSchemaObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface WalkOptions {
  /** Stop after this many schema objects (default 1,000,000): a bound for hostile input. */
  readonly maxNodes?: number;
}

/** Visits `root` and every schema object below it once, in document order (pre-order). */
export function walkSchema(
  root: Schema | undefined,
  visitor: SchemaVisitor,
  options: WalkOptions = {},
): void {
  if (!isSchemaObject(root)) return;
  const maxNodes = options.maxNodes ?? 1_000_000;
  const seen = new Set<object>();
  const stack: SchemaVisit[] = [
    { schema: root, path: '', keyword: undefined, name: undefined, parent: undefined, depth: 0 },
  ];
  while (stack.length > 0 && seen.size < maxNodes) {
    const visit = stack.pop() as SchemaVisit;
    if (seen.has(visit.schema)) continue;
    seen.add(visit.schema);
    const result = visitor(visit);
    if (result === 'stop') return;
    if (result === 'skip') continue;
    const children = childrenOf(visit);
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i] as SchemaVisit;
      if (!seen.has(child.schema)) stack.push(child);
    }
  }
}

/** The direct subschemas of a visited schema, in keyword order. */
export function childrenOf(visit: SchemaVisit): SchemaVisit[] {
  const { schema, path, depth } = visit;
  const out: SchemaVisit[] = [];
  const add = (value: unknown, keyword: string, name: string | undefined) => {
    if (!isSchemaObject(value)) return;
    const suffix = name === undefined ? '' : `/${escapePointerToken(name)}`;
    out.push({
      schema: value,
      path: `${path}/${keyword}${suffix}`,
      keyword,
      name,
      parent: schema,
      depth: depth + 1,
    });
  };
  for (const keyword of SINGLE) add(schema[keyword], keyword, undefined);
  for (const keyword of ARRAYS) {
    const list = schema[keyword];
    if (Array.isArray(list)) list.forEach((item, i) => add(item, keyword, String(i)));
  }
  for (const keyword of MAPS) {
    const map = schema[keyword];
    if (isSchemaObject(map))
      for (const [name, value] of Object.entries(map)) add(value, keyword, name);
  }
  return out;
}

/** Every schema object reachable from `root` (root included). */
export function reachableSchemas(root: Schema | undefined): Set<SchemaObject> {
  const out = new Set<SchemaObject>();
  walkSchema(root, (v) => {
    out.add(v.schema);
  });
  return out;
}

export interface SchemaUsage {
  readonly request: boolean;
  readonly response: boolean;
  /** Operations whose parameters or request body reach this schema. */
  readonly requestOperations: readonly Operation[];
  /** Operations whose responses (bodies or headers) reach this schema. */
  readonly responseOperations: readonly Operation[];
}

/** The root schemas an operation reads (request) and writes (response). */
export function operationSchemas(op: Operation): { request: Schema[]; response: Schema[] } {
  const request: Schema[] = op.parameters.map((p) => p.schema);
  for (const media of op.requestBody?.content ?? [])
    if (media.schema !== undefined) request.push(media.schema);
  const response: Schema[] = [];
  for (const r of op.responses) {
    for (const media of r.content) if (media.schema !== undefined) response.push(media.schema);
    for (const h of r.headers) response.push(h.schema);
  }
  return { request, response };
}

/**
 * Where each schema object is used: in requests, responses or both, and by which operations.
 * Nested schemas count (a property schema of a request body is used in a request).
 */
export function schemaUsage(model: ApiModel): Map<SchemaObject, SchemaUsage> {
  const reach = new Map<object, Set<SchemaObject>>();
  const reachOf = (root: Schema) => {
    if (!isSchemaObject(root)) return undefined;
    let set = reach.get(root);
    if (!set) reach.set(root, (set = reachableSchemas(root)));
    return set;
  };
  const usage = new Map<SchemaObject, { request: Operation[]; response: Operation[] }>();
  const mark = (roots: Schema[], op: Operation, side: 'request' | 'response') => {
    const done = new Set<SchemaObject>();
    for (const root of roots) {
      for (const schema of reachOf(root) ?? []) {
        if (done.has(schema)) continue;
        done.add(schema);
        let entry = usage.get(schema);
        if (!entry) usage.set(schema, (entry = { request: [], response: [] }));
        entry[side].push(op);
      }
    }
  };
  for (const op of model.operations) {
    const { request, response } = operationSchemas(op);
    mark(request, op, 'request');
    mark(response, op, 'response');
  }
  const out = new Map<SchemaObject, SchemaUsage>();
  for (const [schema, entry] of usage) {
    out.set(schema, {
      request: entry.request.length > 0,
      response: entry.response.length > 0,
      requestOperations: entry.request,
      responseOperations: entry.response,
    });
  }
  return out;
}
