// OpenAPI 3.0/3.1 parameters, request bodies, responses, headers and links into the model.
// Model objects built from a shared (referenced) node are built once and shared too.

import type { JsonObject } from '../document.js';
import { isObject } from '../document.js';
import type {
  Header,
  Link,
  MediaType,
  Parameter,
  ParameterLocation,
  RequestBody,
  Response,
  Schema,
} from '../model.js';
import type { NormContext } from './context.js';
import { extensions, opt } from './context.js';

const LOCATIONS = new Set<string>(['path', 'query', 'header', 'cookie']);

export class Oas3Parts {
  readonly #params = new WeakMap<object, Parameter>();
  readonly #responses = new WeakMap<object, Response>();
  readonly #bodies = new WeakMap<object, RequestBody>();

  constructor(readonly ctx: NormContext) {}

  /** A schema node, or an empty schema placed at `at` when none is given. */
  schemaOf(value: unknown, at: object): Schema {
    if (typeof value === 'boolean' || isObject(value)) return value;
    return this.ctx.place({}, at);
  }

  parameter(node: unknown, holder: unknown[], index: number): Parameter {
    const ctx = this.ctx;
    if (!isObject(node)) throw ctx.invalid('a parameter must be a mapping', holder, index);
    const cached = this.#params.get(node);
    if (cached) return cached;
    const name = ctx.str(node, 'name');
    const where = ctx.str(node, 'in');
    if (name === undefined) throw ctx.invalid("a parameter has no 'name'", node);
    if (where === undefined || !LOCATIONS.has(where)) {
      throw ctx.invalid(`parameter '${name}' has an invalid 'in'`, node, 'in');
    }
    const content = this.content(node['content'], node);
    const schema = this.schemaOf(node['schema'] ?? content[0]?.schema, node);
    const param: Parameter = ctx.place(
      {
        name,
        in: where as ParameterLocation,
        // Path parameters are always required (OAS 3 4.8.12.1), whatever the document says.
        required: where === 'path' || node['required'] === true,
        deprecated: node['deprecated'] === true,
        schema,
        ...opt('style', ctx.str(node, 'style')),
        ...opt('explode', typeof node['explode'] === 'boolean' ? node['explode'] : undefined),
        ...opt(
          'allowEmptyValue',
          typeof node['allowEmptyValue'] === 'boolean' ? node['allowEmptyValue'] : undefined,
        ),
        ...opt('example', node['example']),
        ...opt('examples', isObject(node['examples']) ? node['examples'] : undefined),
        extensions: extensions(node),
        location: ctx.loc(node),
      },
      node,
    );
    this.#params.set(node, param);
    return param;
  }

  content(value: unknown, holder: object): MediaType[] {
    if (value === undefined || value === null) return [];
    if (!isObject(value)) throw this.ctx.invalid("'content' must be a mapping", holder, 'content');
    const out: MediaType[] = [];
    for (const [mediaType, node] of Object.entries(value)) {
      if (!isObject(node))
        throw this.ctx.invalid(`media type '${mediaType}' must be a mapping`, value, mediaType);
      const schema = node['schema'];
      out.push(
        this.ctx.place(
          {
            mediaType,
            ...opt('schema', typeof schema === 'boolean' || isObject(schema) ? schema : undefined),
            ...opt('example', node['example']),
            ...opt('examples', isObject(node['examples']) ? node['examples'] : undefined),
            location: this.ctx.loc(node),
          },
          node,
        ),
      );
    }
    return out;
  }

  requestBody(node: unknown, op: JsonObject): RequestBody | undefined {
    if (node === undefined || node === null) return undefined;
    if (!isObject(node))
      throw this.ctx.invalid("'requestBody' must be a mapping", op, 'requestBody');
    const cached = this.#bodies.get(node);
    if (cached) return cached;
    const body: RequestBody = this.ctx.place(
      {
        required: node['required'] === true,
        content: this.content(node['content'], node),
        location: this.ctx.loc(node),
      },
      node,
    );
    this.#bodies.set(node, body);
    return body;
  }

  responses(op: JsonObject, links: Record<string, readonly Link[]>): Response[] {
    const map = this.ctx.map(op, 'responses', "'responses'");
    if (!map) return [];
    const out: Response[] = [];
    for (const [status, node] of Object.entries(map)) {
      if (status.startsWith('x-')) continue;
      if (!isObject(node))
        throw this.ctx.invalid(`response '${status}' must be a mapping`, map, status);
      out.push(this.response(status, node));
      const found = this.links(node);
      if (found.length > 0) links[status] = found;
    }
    return out;
  }

  response(status: string, node: JsonObject): Response {
    const cached = this.#responses.get(node);
    if (cached && cached.status === status) return cached;
    const response: Response = this.ctx.place(
      {
        status,
        description: this.ctx.str(node, 'description') ?? '',
        headers: this.headers(node['headers'], node),
        content: this.content(node['content'], node),
        location: this.ctx.loc(node),
      },
      node,
    );
    if (!cached) this.#responses.set(node, response);
    return response;
  }

  headers(value: unknown, holder: object): Header[] {
    if (value === undefined || value === null) return [];
    if (!isObject(value)) throw this.ctx.invalid("'headers' must be a mapping", holder, 'headers');
    const out: Header[] = [];
    for (const [name, node] of Object.entries(value)) {
      // "If a response header is defined with the name Content-Type, it SHALL be ignored." (OAS 3)
      if (name.toLowerCase() === 'content-type' || !isObject(node)) continue;
      const content = this.content(node['content'], node);
      out.push(
        this.ctx.place(
          {
            name,
            required: node['required'] === true,
            schema: this.schemaOf(node['schema'] ?? content[0]?.schema, node),
            location: this.ctx.loc(node),
          },
          node,
        ),
      );
    }
    return out;
  }

  links(response: JsonObject): Link[] {
    const map = response['links'];
    if (!isObject(map)) return [];
    const out: Link[] = [];
    for (const [name, node] of Object.entries(map)) {
      if (!isObject(node)) continue;
      out.push(
        this.ctx.place(
          {
            name,
            ...opt('operationId', this.ctx.str(node, 'operationId')),
            ...opt('operationRef', this.ctx.str(node, 'operationRef')),
            parameters: isObject(node['parameters']) ? node['parameters'] : {},
            ...opt('requestBody', node['requestBody']),
          },
          node,
        ),
      );
    }
    return out;
  }
}
