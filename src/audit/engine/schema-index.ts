// Where each schema node is used: request side, response side, or both, seen through every `$ref`,
// with the operations that reach it. This is what lets rules skip response-only schemas for
// request-side limits, respect readOnly/writeOnly (OpenAPI 3.x §4.8.24.4, JSON Schema
// validation §9.4), and report a shared component once with every operation in `related`.
//
// Cost: every node is visited at most once per side (a visited set per side), so building the index
// is linear in the schema graph, however many operations share a component. Circular schemas are
// object cycles in the model and are handled by the same visited sets.
import type { SpecLocation } from '../../core/finding.js';
import type {
  ApiModel,
  Operation,
  Parameter,
  Schema,
  SchemaObject,
} from '../../core/openapi/model.js';
import type { SchemaIndex, SchemaSite, SchemaUse } from '../types.js';

type Side = 'request' | 'response';

interface NodeInfo {
  request: boolean;
  response: boolean;
  propertyName: string | undefined;
  parameterName: string | undefined;
  parameterLocation: SpecLocation | undefined;
  // Created on first use: most schema nodes have one side and no operation of their own, and four
  // empty Sets per node were most of the index's allocation on large specs.
  readonly parents: { request: Set<object> | undefined; response: Set<object> | undefined };
  readonly roots: { request: Set<string> | undefined; response: Set<string> | undefined };
}

const NONE: ReadonlySet<never> = new Set();

const SINGLE_CHILDREN = [
  'additionalProperties',
  'unevaluatedProperties',
  'items',
  'additionalItems',
  'unevaluatedItems',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'contentSchema',
] as const;
const LIST_CHILDREN = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;
const MAP_CHILDREN = ['patternProperties', 'dependentSchemas'] as const;

function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The direct subschemas of a node, with the property name they sit under when they are properties. */
export function* childSchemas(node: SchemaObject): Generator<[SchemaObject, string | undefined]> {
  const properties = node['properties'];
  if (isObject(properties)) {
    for (const [name, child] of Object.entries(properties))
      if (isObject(child)) yield [child, name];
  }
  for (const key of SINGLE_CHILDREN) {
    const child = node[key];
    if (isObject(child)) yield [child, undefined];
    // OpenAPI 3.0 and Swagger 2.0 have no tuple form, but real specs write `items: [..]` anyway.
    else if (key === 'items' && Array.isArray(child))
      for (const c of child) if (isObject(c)) yield [c, undefined];
  }
  for (const key of LIST_CHILDREN) {
    const list = node[key];
    if (Array.isArray(list)) for (const c of list) if (isObject(c)) yield [c, undefined];
  }
  for (const key of MAP_CHILDREN) {
    const map = node[key];
    if (isObject(map)) for (const c of Object.values(map)) if (isObject(c)) yield [c, undefined];
  }
}

function requestRoots(op: Operation): [Schema, Parameter | undefined][] {
  const roots: [Schema, Parameter | undefined][] = op.parameters.map((p) => [p.schema, p]);
  for (const media of op.requestBody?.content ?? [])
    if (media.schema !== undefined) roots.push([media.schema, undefined]);
  return roots;
}

function responseRoots(op: Operation): Schema[] {
  const roots: Schema[] = [];
  for (const response of op.responses) {
    for (const media of response.content) if (media.schema !== undefined) roots.push(media.schema);
    for (const header of response.headers) roots.push(header.schema);
  }
  return roots;
}

export function buildSchemaIndex(model: ApiModel): SchemaIndex {
  const info = new Map<object, NodeInfo>();
  const order: object[] = [];

  const record = (node: SchemaObject, name: string | undefined): NodeInfo => {
    let entry = info.get(node);
    if (!entry) {
      entry = {
        request: false,
        response: false,
        propertyName: name,
        parameterName: undefined,
        parameterLocation: undefined,
        parents: { request: undefined, response: undefined },
        roots: { request: undefined, response: undefined },
      };
      info.set(node, entry);
      order.push(node);
    }
    return entry;
  };

  // readOnly properties are not sent by clients; writeOnly ones are never returned. Their subtrees
  // are outside that side's context.
  const hidden = (node: SchemaObject, side: Side) =>
    side === 'request' ? node['readOnly'] === true : node['writeOnly'] === true;

  const walk = (side: Side, root: SchemaObject, opKey: string, parameter?: Parameter) => {
    if (hidden(root, side)) return;
    const rootInfo = record(root, undefined);
    if (parameter !== undefined) {
      rootInfo.parameterName ??= parameter.name;
      rootInfo.parameterLocation ??= parameter.location;
    }
    (rootInfo.roots[side] ??= new Set()).add(opKey);
    if (rootInfo[side]) return;
    rootInfo[side] = true;
    const stack: SchemaObject[] = [root];
    while (stack.length > 0) {
      const node = stack.pop() as SchemaObject;
      for (const [child, name] of childSchemas(node)) {
        if (hidden(child, side)) continue;
        const childInfo = record(child, name);
        (childInfo.parents[side] ??= new Set()).add(node);
        if (!childInfo[side]) {
          childInfo[side] = true;
          stack.push(child);
        }
      }
    }
  };

  for (const op of model.operations) {
    for (const [root, parameter] of requestRoots(op))
      if (isObject(root)) walk('request', root, op.key, parameter);
    for (const root of responseRoots(op)) if (isObject(root)) walk('response', root, op.key);
  }

  const sites: SchemaSite[] = order.map((node) => {
    const entry = info.get(node) as NodeInfo;
    return {
      node: node as SchemaObject,
      request: entry.request,
      response: entry.response,
      propertyName: entry.propertyName,
      parameterName: entry.parameterName,
    };
  });

  const memo = { request: new Map<object, string[]>(), response: new Map<object, string[]>() };
  const operationsOnSide = (node: object, side: Side): string[] => {
    const cached = memo[side].get(node);
    if (cached) return cached;
    const keys = new Set<string>();
    const seen = new Set<object>([node]);
    const queue: object[] = [node];
    for (let i = 0; i < queue.length; i++) {
      const entry = info.get(queue[i] as object);
      if (!entry) continue;
      for (const key of entry.roots[side] ?? NONE) keys.add(key);
      for (const parent of entry.parents[side] ?? NONE) {
        const done = memo[side].get(parent);
        if (done) for (const key of done) keys.add(key);
        else if (!seen.has(parent)) {
          seen.add(parent);
          queue.push(parent);
        }
      }
    }
    const result = [...keys].sort();
    memo[side].set(node, result);
    return result;
  };

  const located = new Map<object, SpecLocation | undefined>();
  const locationOf = (node: object): SpecLocation | undefined => {
    if (located.has(node)) return located.get(node);
    let found: SpecLocation | undefined;
    const seen = new Set<object>([node]);
    const queue: object[] = [node];
    for (let i = 0; i < queue.length && i < 10_000 && !found; i++) {
      const current = queue[i] as object;
      const entry = info.get(current);
      found = model.locate(current) ?? entry?.parameterLocation;
      if (found || !entry) continue;
      for (const parent of [
        ...(entry.parents.request ?? NONE),
        ...(entry.parents.response ?? NONE),
      ]) {
        if (!seen.has(parent)) {
          seen.add(parent);
          queue.push(parent);
        }
      }
    }
    located.set(node, found);
    return found;
  };

  return {
    sites,
    locationOf,
    useOf(node: object): SchemaUse | undefined {
      const entry = info.get(node);
      return entry ? { request: entry.request, response: entry.response } : undefined;
    },
    operationsOf(node: object, side?: Side): readonly string[] {
      if (side) return operationsOnSide(node, side);
      return [
        ...new Set([...operationsOnSide(node, 'request'), ...operationsOnSide(node, 'response')]),
      ].sort();
    },
  };
}
