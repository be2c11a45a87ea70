// Paths and operations, both versions. Path-item parameters are merged with the operation's own
// (the operation wins on name + location; header names compare case-insensitively, RFC 9110 5.1).

import type { JsonObject } from '../document.js';
import { isObject } from '../document.js';
import type {
  HttpMethod,
  Link,
  Operation,
  OperationSecurity,
  Parameter,
  RequestBody,
  SecurityRequirement,
  SecurityScheme,
  Server,
} from '../model.js';
import { HTTP_METHODS } from '../model.js';
import type { NormContext } from './context.js';
import { extensions, opt } from './context.js';
import { Oas3Parts } from './oas3.js';
import { requirements } from './security.js';
import { oas3Servers, swaggerServers } from './servers.js';
import { Swagger2Parts } from './swagger2.js';

export interface OperationInputs {
  readonly schemes: Readonly<Record<string, SecurityScheme>>;
  readonly rootSecurity: readonly SecurityRequirement[] | undefined;
  readonly rootServers: readonly Server[];
  readonly sourceScheme: string;
}

const SWAGGER_IN = new Set(['path', 'query', 'header', 'body', 'formData']);

export function operations(ctx: NormContext, inputs: OperationInputs): Operation[] {
  const paths = ctx.map(ctx.root, 'paths', "'paths'");
  if (!paths) return [];
  const oas3 = new Oas3Parts(ctx);
  const swagger = new Swagger2Parts(ctx);
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (path.startsWith('x-')) continue;
    if (!isObject(item)) throw ctx.invalid(`path item '${path}' must be a mapping`, paths, path);
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (op === undefined || op === null) continue;
      if (!isObject(op))
        throw ctx.invalid(`operation '${method} ${path}' must be a mapping`, item, method);
      const build = ctx.version === 'swagger-2.0' ? swaggerOperation : oas3Operation;
      out.push(
        build(
          ctx,
          inputs,
          { path, method, item, op },
          ctx.version === 'swagger-2.0' ? swagger : oas3,
        ),
      );
    }
  }
  return out;
}

interface OpSource {
  readonly path: string;
  readonly method: HttpMethod;
  readonly item: JsonObject;
  readonly op: JsonObject;
}

function rawParameters(
  ctx: NormContext,
  src: OpSource,
): { node: unknown; list: unknown[]; index: number }[] {
  const merged = new Map<string, { node: unknown; list: unknown[]; index: number }>();
  for (const holder of [src.item, src.op]) {
    const list = ctx.list(holder, 'parameters', "'parameters'") ?? [];
    list.forEach((node, index) => {
      if (!isObject(node)) throw ctx.invalid('a parameter must be a mapping', list, index);
      const where = String(node['in']);
      const name = String(node['name']);
      const key = `${where}:${where === 'header' ? name.toLowerCase() : name}`;
      merged.delete(key);
      merged.set(key, { node, list, index });
    });
  }
  return [...merged.values()];
}

function base(ctx: NormContext, src: OpSource, inputs: OperationInputs) {
  const { op, item, method, path } = src;
  const ownSecurity = requirements(ctx, op, inputs.schemes);
  const security: OperationSecurity =
    ownSecurity === undefined
      ? { declared: inputs.rootSecurity, fromOperation: false }
      : { declared: ownSecurity, fromOperation: true };
  const tags = Array.isArray(op['tags'])
    ? op['tags'].filter((t): t is string => typeof t === 'string')
    : [];
  return {
    method,
    path,
    key: `${method.toUpperCase()} ${path}`,
    ...opt('operationId', ctx.str(op, 'operationId')),
    ...opt('summary', ctx.str(op, 'summary') ?? ctx.str(item, 'summary')),
    ...opt('description', ctx.str(op, 'description') ?? ctx.str(item, 'description')),
    tags,
    deprecated: op['deprecated'] === true,
    security,
    extensions: { ...extensions(item), ...extensions(op) },
    location: ctx.loc(op),
  };
}

function oas3Operation(
  ctx: NormContext,
  inputs: OperationInputs,
  src: OpSource,
  parts: Oas3Parts | Swagger2Parts,
): Operation {
  const oas3 = parts as Oas3Parts;
  const parameters = rawParameters(ctx, src).map((p) => oas3.parameter(p.node, p.list, p.index));
  const links: Record<string, readonly Link[]> = {};
  const responses = oas3.responses(src.op, links);
  const requestBody = oas3.requestBody(src.op['requestBody'], src.op);
  // An empty `servers` list overrides nothing (it is the spec's "absent" default).
  const servers =
    nonEmpty(oas3Servers(ctx, src.op)) ??
    nonEmpty(oas3Servers(ctx, src.item)) ??
    inputs.rootServers;
  return ctx.place(
    {
      ...base(ctx, src, inputs),
      servers,
      parameters,
      ...opt('requestBody', requestBody),
      responses,
      links,
    },
    src.op,
  );
}

function swaggerOperation(
  ctx: NormContext,
  inputs: OperationInputs,
  src: OpSource,
  parts: Oas3Parts | Swagger2Parts,
): Operation {
  const swagger = parts as Swagger2Parts;
  const parameters: Parameter[] = [];
  let body: JsonObject | undefined;
  const form: JsonObject[] = [];
  for (const { node, list, index } of rawParameters(ctx, src)) {
    const param = node as JsonObject;
    const where = ctx.str(param, 'in') ?? '';
    if (!SWAGGER_IN.has(where)) throw ctx.invalid(`parameter has an invalid 'in'`, param, 'in');
    if (ctx.str(param, 'name') === undefined)
      throw ctx.invalid("a parameter has no 'name'", list, index);
    if (where === 'body') body = param;
    else if (where === 'formData') form.push(param);
    else parameters.push(swagger.parameter(param));
  }
  const requestBody: RequestBody | undefined = swagger.requestBody(src.op, body, form);
  const servers = Array.isArray(src.op['schemes'])
    ? swaggerServers(ctx, src.op, inputs.sourceScheme)
    : inputs.rootServers;
  return ctx.place(
    {
      ...base(ctx, src, inputs),
      servers,
      parameters,
      ...opt('requestBody', requestBody),
      responses: swagger.responses(src.op),
      links: {},
    },
    src.op,
  );
}

function nonEmpty<T>(list: T[] | undefined): T[] | undefined {
  return list && list.length > 0 ? list : undefined;
}
