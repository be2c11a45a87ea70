// What the scanner knows about the target's objects. Producer/consumer links are learnt from
// answers: ids in POST answers and in lists, `Location` headers (RFC 9110 §10.2.2) and OpenAPI
// `links`. Knowing who owns each object lets authorization checks aim at real objects that belong
// to someone else, instead of guessing ids.
import type { ApiModel, Operation, Schema } from '../../core/openapi/model.js';
import type { KnownObject, ObjectStore, ScanResponse } from '../types.js';

const OWNER_FIELDS = [
  'owner_id',
  'ownerId',
  'owner',
  'user_id',
  'userId',
  'created_by',
  'createdBy',
];
const LIST_FIELDS = ['items', 'data', 'results', 'records', 'content', 'entries', 'values'];
/** Bounded: a huge list answer must not make the store grow without end. */
const MAX_PER_RESOURCE = 200;

export function singular(word: string): string {
  const w = word.toLowerCase();
  if (w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

/** The resource a path parameter names: `documentId` -> document; `{id}` after `/documents` -> document. */
export function resourceOfParam(path: string, parameter: string): string {
  const named = /^(.+?)[-_]?(id|uuid|key|slug)$/i.exec(parameter);
  if (named?.[1]) return singular(named[1]);
  const segments = path.split('/');
  const at = segments.indexOf(`{${parameter}}`);
  for (let i = at - 1; i >= 0; i--) {
    const seg = segments[i];
    if (seg && !seg.startsWith('{')) return singular(seg);
  }
  return singular(parameter);
}

/** The resource an operation's answer describes: from the schema's component name, else the path. */
export function resourceOfOperation(model: ApiModel, operation: Operation): string {
  const schema = successSchema(operation);
  const name = schema === undefined ? undefined : componentName(model, schema);
  if (name) return singular(name.replace(/(List|Page|Collection|Response)$/, ''));
  const segments = operation.path.split('/').filter((s) => s !== '' && !s.startsWith('{'));
  const last = segments.at(-1);
  if (last === 'me' && segments.length > 1) return singular(segments.at(-2) ?? 'me');
  return singular(last ?? 'root');
}

function successSchema(operation: Operation): Schema | undefined {
  const ok = operation.responses.find((r) => /^2/.test(r.status));
  return ok?.content.find((m) => /json/i.test(m.mediaType))?.schema;
}

function componentName(model: ApiModel, schema: Schema): string | undefined {
  if (typeof schema !== 'object') return undefined;
  const own = model.schemaName(schema);
  if (own) return own;
  const items = schema['items'];
  if (typeof items === 'object' && items !== null) return model.schemaName(items as object);
  const properties = schema['properties'] as Record<string, Schema> | undefined;
  for (const field of LIST_FIELDS) {
    const list = properties?.[field];
    if (typeof list === 'object' && typeof list['items'] === 'object') {
      return model.schemaName(list['items'] as object);
    }
  }
  return undefined;
}

type IdOf = (identityName: string) => string | number | undefined;

export class MemoryObjectStore implements ObjectStore {
  private readonly byResource = new Map<string, KnownObject[]>();

  constructor(
    private readonly model: ApiModel,
    /** The user id of each identity, to attribute objects carrying an owner field. */
    private readonly userIdOf: IdOf,
    private readonly identityNames: () => readonly string[],
  ) {}

  get size(): number {
    let n = 0;
    for (const list of this.byResource.values()) n += list.length;
    return n;
  }

  add(object: KnownObject): void {
    const list = this.byResource.get(object.resource) ?? [];
    const existing = list.findIndex((o) => String(o.id) === String(object.id));
    if (existing >= 0) {
      const prev = list[existing];
      // An object is scanner-created only if it was first seen in our own creation: an action on a
      // seeded object (`POST /documents/1/classify`) answers with that object, which stays seeded,
      // so destructive checks and the clean-up never touch it. A known owner is never forgotten.
      list[existing] = {
        ...object,
        owner: object.owner ?? prev?.owner,
        createdByScanner: prev?.createdByScanner ?? object.createdByScanner,
      };
    } else if (list.length < MAX_PER_RESOURCE) list.push(object);
    this.byResource.set(object.resource, list);
  }

  find(
    resource: string,
    filter: { owner?: string; createdByScanner?: boolean } = {},
  ): KnownObject[] {
    return (this.byResource.get(resource) ?? []).filter(
      (o) =>
        (filter.owner === undefined || o.owner === filter.owner) &&
        (filter.createdByScanner === undefined || o.createdByScanner === filter.createdByScanner),
    );
  }

  harvest(
    operation: Operation,
    identity: string | undefined,
    response: ScanResponse,
    created: boolean,
  ): void {
    if (response.status < 200 || response.status >= 300) return;
    const resource = resourceOfOperation(this.model, operation);
    const source = operation.key;
    const body = response.json;
    const adminList = /(^|\/)admin(\/|$)/i.test(operation.path);
    for (const element of elements(body)) {
      const id = element['id'];
      if (typeof id !== 'string' && typeof id !== 'number') continue;
      const owner = this.ownerOf(element, identity, resource, adminList);
      this.add({ resource, id, owner, createdByScanner: created, source, body: element });
    }
    this.harvestLocation(resource, identity, response, created, source);
    this.harvestLinks(operation, identity, response, created);
  }

  private ownerOf(
    element: Record<string, unknown>,
    identity: string | undefined,
    resource: string,
    adminList: boolean,
  ): string | undefined {
    for (const field of OWNER_FIELDS) {
      const value = element[field];
      if (value === undefined || value === null) continue;
      return this.identityNames().find((name) => String(this.userIdOf(name)) === String(value));
    }
    if (resource === 'user') {
      return this.identityNames().find(
        (name) => String(this.userIdOf(name)) === String(element['id']),
      );
    }
    return adminList ? undefined : identity;
  }

  private harvestLocation(
    resource: string,
    identity: string | undefined,
    response: ScanResponse,
    created: boolean,
    source: string,
  ): void {
    const location = response.headers['location'];
    if (!location) return;
    const last = location.split('?')[0]?.split('/').filter(Boolean).at(-1);
    if (last)
      this.add({
        resource,
        id: decodeURIComponent(last),
        owner: identity,
        createdByScanner: created,
        source,
      });
  }

  // OpenAPI links: `parameters: { documentId: '$response.body#/id' }` names the consumer's parameter
  // that the producer's answer fills (OpenAPI 3.1 §4.8.20, runtime expressions).
  private harvestLinks(
    operation: Operation,
    identity: string | undefined,
    response: ScanResponse,
    created: boolean,
  ): void {
    const links = operation.links[String(response.status)] ?? operation.links['default'] ?? [];
    for (const link of links) {
      const consumer = this.model.operations.find(
        (op) => op.operationId !== undefined && op.operationId === link.operationId,
      );
      if (!consumer) continue;
      for (const [param, expression] of Object.entries(link.parameters)) {
        const value = evaluate(expression, response);
        if (typeof value !== 'string' && typeof value !== 'number') continue;
        const name = param.replace(/^(path|query|header)\./, '');
        this.add({
          resource: resourceOfParam(consumer.path, name),
          id: value,
          owner: identity,
          createdByScanner: created,
          source: operation.key,
        });
      }
    }
  }
}

function elements(body: unknown): Record<string, unknown>[] {
  if (Array.isArray(body)) return body.filter(isRecord);
  if (!isRecord(body)) return [];
  for (const field of LIST_FIELDS) {
    const list = body[field];
    if (Array.isArray(list)) return list.filter(isRecord);
  }
  return [body];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Evaluates `$response.body#/ptr` and `$response.header.Name` runtime expressions. */
export function evaluate(expression: unknown, response: ScanResponse): unknown {
  if (typeof expression !== 'string') return undefined;
  if (expression.startsWith('$response.header.')) {
    return response.headers[expression.slice('$response.header.'.length).toLowerCase()];
  }
  if (expression.startsWith('$response.body')) {
    const pointer = expression.slice('$response.body'.length).replace(/^#/, '');
    return jsonPointer(response.json, pointer);
  }
  return undefined;
}

/** RFC 6901 JSON pointer lookup. */
export function jsonPointer(value: unknown, pointer: string): unknown {
  if (pointer === '') return value;
  let current = value;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) current = current[Number(key)];
    else if (isRecord(current)) current = current[key];
    else return undefined;
  }
  return current;
}
