// Converts a resolved OpenAPI schema graph (shared objects, real cycles) into one self-contained JSON
// Schema 2020-12 document that ajv compiles. Nodes used more than once, or that lie on a cycle, go to
// `$defs` and are referenced; the rest is inlined. Dialect differences are removed here so one ajv
// (2020-12) validates Swagger 2.0, OpenAPI 3.0 and 3.1 alike:
// - 3.0 `nullable: true` / 2.0 `x-nullable` -> `type: [T, 'null']` (and `null` added to `enum`);
// - 3.0 boolean `exclusiveMinimum/Maximum` -> numeric form;
// - keywords outside JSON Schema (example, discriminator, xml, x-*) are dropped, so ajv's strict
//   mode never fails on annotation vocabulary, and unknown formats are dropped rather than guessed.
// Direction matters (OpenAPI 3 §4.8.24): a request refuses readOnly properties, a response drops
// writeOnly ones. In `closed` mode every object schema that does not state additionalProperties gets
// `unevaluatedProperties: false`: the mass-assignment defence (API3, CWE-915). Applicator members
// (allOf/anyOf/oneOf) stay open so composition works; the node that composes them closes the object.
import type { Schema, SchemaDialect, SchemaObject } from '../../core/openapi/model.js';

export type Direction = 'request' | 'response';

export interface ConvertOptions {
  readonly dialect: SchemaDialect;
  readonly direction: Direction;
  readonly closed: boolean;
  readonly knownFormats: ReadonlySet<string>;
  readonly nameOf?: (node: object) => string | undefined;
}

type Json = Record<string, unknown>;

const PLAIN = new Set([
  'type',
  'enum',
  'const',
  'multipleOf',
  'maximum',
  'minimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxContains',
  'minContains',
  'maxProperties',
  'minProperties',
  'dependentRequired',
  'title',
  'description',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'examples',
  '$comment',
  'contentEncoding',
  'contentMediaType',
]);
const ONE = new Set([
  'additionalProperties',
  'unevaluatedProperties',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'not',
  'if',
  'then',
  'else',
]);
const MAP = new Set(['properties', 'patternProperties', 'dependentSchemas']);
const LIST = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const APPLICATORS = new Set(['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else']);

function isObj(v: unknown): v is SchemaObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Finds the nodes that must be `$defs`: reached more than once, or part of a cycle. */
function findShared(root: Schema): Set<object> {
  const seen = new Set<object>();
  const shared = new Set<object>();
  const onStack = new Set<object>();
  const stack: { node: SchemaObject; children: object[]; i: number }[] = [];
  const push = (node: SchemaObject): void => {
    seen.add(node);
    onStack.add(node);
    stack.push({ node, children: childrenOf(node), i: 0 });
  };
  if (isObj(root)) push(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const child = top.children[top.i++];
    if (child === undefined) {
      onStack.delete(top.node);
      stack.pop();
      continue;
    }
    if (seen.has(child)) shared.add(child);
    else push(child as SchemaObject);
  }
  return shared;
}

function childrenOf(node: SchemaObject): object[] {
  const out: object[] = [];
  for (const [k, v] of Object.entries(node)) {
    if (ONE.has(k) || k === 'items') {
      if (isObj(v)) out.push(v);
      else if (Array.isArray(v)) for (const x of v) if (isObj(x)) out.push(x);
    } else if (MAP.has(k) && isObj(v)) {
      for (const x of Object.values(v)) if (isObj(x)) out.push(x);
    } else if (LIST.has(k) && Array.isArray(v)) {
      for (const x of v) if (isObj(x)) out.push(x);
    }
  }
  return out;
}

export function convertSchema(root: Schema, options: ConvertOptions): Json | boolean {
  const shared = findShared(root);
  const defs: Json = {};
  const names = new Map<object, string>();
  const used = new Set<string>();
  let counter = 0;

  const defName = (node: object, closed: boolean): string => {
    let base = names.get(node);
    if (base === undefined) {
      const raw = (options.nameOf?.(node) ?? `s${counter++}`).replace(/[^A-Za-z0-9_.-]/g, '_');
      base = raw;
      for (let i = 2; used.has(base); i++) base = `${raw}_${i}`;
      used.add(base);
      names.set(node, base);
    }
    return closed ? base : `${base}__open`;
  };

  const emit = (schema: unknown, closed: boolean): unknown => {
    if (typeof schema === 'boolean') return schema;
    if (!isObj(schema)) return true;
    if (shared.has(schema)) {
      const name = defName(schema, closed);
      if (!(name in defs)) {
        defs[name] = true; // reserve before recursing: cycles refer back to it
        defs[name] = body(schema, closed);
      }
      return { $ref: `#/$defs/${name}` };
    }
    return body(schema, closed);
  };

  const body = (node: SchemaObject, closed: boolean): Json => {
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) {
      if (PLAIN.has(k)) out[k] = v;
      else if (k === 'format') {
        if (typeof v === 'string' && options.knownFormats.has(v)) out[k] = v;
      } else if (k === 'items') {
        if (Array.isArray(v)) out['prefixItems'] = v.map((x) => emit(x, options.closed));
        else out[k] = emit(v, options.closed);
      } else if (k === 'additionalProperties' || k === 'unevaluatedProperties') {
        out[k] = emit(v, options.closed);
      } else if (ONE.has(k)) out[k] = emit(v, APPLICATORS.has(k) ? false : options.closed);
      else if (MAP.has(k) && isObj(v)) out[k] = emitMap(v, k === 'properties');
      else if (LIST.has(k) && Array.isArray(v)) {
        out[k] = v.map((x) => emit(x, k === 'prefixItems' ? options.closed : false));
      } else if (k === 'required' && Array.isArray(v)) out[k] = v;
    }
    fixDialect(node, out, options.dialect);
    applyDirection(node, out, options.direction);
    if (
      closed &&
      options.closed &&
      isObjectish(out) &&
      !('additionalProperties' in out) &&
      !('unevaluatedProperties' in out)
    ) {
      out['unevaluatedProperties'] = false;
    }
    return out;
  };

  const emitMap = (map: SchemaObject, _props: boolean): Json => {
    const out: Json = {};
    for (const [name, sub] of Object.entries(map)) out[name] = emit(sub, options.closed);
    return out;
  };

  const top = emit(root, options.closed);
  if (typeof top === 'boolean') return top;
  const result = top as Json;
  if (Object.keys(defs).length === 0) return result;
  return { ...result, $defs: defs };
}

function isObjectish(s: Json): boolean {
  const t = s['type'];
  if (t !== undefined) return t === 'object' || (Array.isArray(t) && t.includes('object'));
  return (
    'properties' in s ||
    'patternProperties' in s ||
    'allOf' in s ||
    'oneOf' in s ||
    'anyOf' in s ||
    'required' in s
  );
}

function fixDialect(node: SchemaObject, out: Json, dialect: SchemaDialect): void {
  if (dialect === 'json-schema-2020-12') return;
  if (out['type'] === 'file') delete out['type'];
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (node[flag] === true && typeof node[bound] === 'number') {
      out[flag] = node[bound];
      delete out[bound];
    }
  }
  if (node['nullable'] === true || node['x-nullable'] === true) {
    const t = out['type'];
    if (typeof t === 'string') out['type'] = [t, 'null'];
    else if (Array.isArray(t) && !t.includes('null')) out['type'] = [...t, 'null'];
    if (Array.isArray(out['enum']) && !out['enum'].includes(null))
      out['enum'] = [...out['enum'], null];
  }
}

/** Request: readOnly properties may not be sent. Response: writeOnly properties are never returned. */
function applyDirection(node: SchemaObject, out: Json, direction: Direction): void {
  const props = node['properties'];
  const emitted = out['properties'];
  if (!isObj(props) || !isObj(emitted)) return;
  const drop = direction === 'request' ? 'readOnly' : 'writeOnly';
  const removed: string[] = [];
  for (const [name, sub] of Object.entries(props)) {
    if (isObj(sub) && sub[drop] === true) removed.push(name);
  }
  if (removed.length === 0) return;
  const kept: Json = { ...emitted };
  for (const name of removed) delete kept[name];
  out['properties'] = kept;
  if (Array.isArray(out['required'])) {
    out['required'] = (out['required'] as unknown[]).filter((r) => !removed.includes(r as string));
  }
}
