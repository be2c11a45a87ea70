// Swagger 2.0 parameters, bodies and responses into the OAS 3 shaped model:
// - non-body parameters carry type/format/items inline: they become a synthesised schema;
// - `in: body` becomes a request body for each `consumes` media type;
// - `in: formData` parameters become one object schema under multipart/form-data or
//   application/x-www-form-urlencoded (multipart when a `type: file` is present);
// - `collectionFormat` maps to style/explode (OAS 3 4.8.12.4 "Style Examples" correspondence).
// Synthesised nodes are placed at their source parameter so that locate() still points at a line.

import type { JsonObject } from '../document.js';
import { isObject, setOwn } from '../document.js';
import type {
  Header,
  MediaType,
  Parameter,
  ParameterLocation,
  RequestBody,
  Response,
  SchemaObject,
} from '../model.js';
import type { NormContext } from './context.js';
import { extensions, opt } from './context.js';

const SCHEMA_FIELDS = [
  'type',
  'format',
  'items',
  'default',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'enum',
  'multipleOf',
] as const;

const DEFAULT_MEDIA = ['application/json'];

export function mediaTypes(ctx: NormContext, op: JsonObject, key: 'consumes' | 'produces') {
  const own = op[key] ?? ctx.root[key];
  if (!Array.isArray(own)) return DEFAULT_MEDIA;
  const list = own.filter((m): m is string => typeof m === 'string');
  return list.length > 0 ? list : DEFAULT_MEDIA;
}

export class Swagger2Parts {
  readonly #params = new WeakMap<object, Parameter>();

  constructor(readonly ctx: NormContext) {}

  /** An inline-typed parameter, header or items object as a JSON schema. */
  schemaFrom(node: JsonObject): SchemaObject {
    const schema: Record<string, unknown> = {};
    for (const field of SCHEMA_FIELDS)
      if (node[field] !== undefined) setOwn(schema, field, node[field]);
    if (schema['type'] === 'file') {
      schema['type'] = 'string';
      schema['format'] = 'binary';
    }
    return this.ctx.place(schema, node);
  }

  parameter(node: JsonObject): Parameter {
    const cached = this.#params.get(node);
    if (cached) return cached;
    const where = node['in'] as ParameterLocation;
    const style = collectionStyle(where, this.ctx.str(node, 'collectionFormat'));
    const param: Parameter = this.ctx.place(
      {
        name: this.ctx.str(node, 'name') ?? '',
        in: where,
        required: where === 'path' || node['required'] === true,
        deprecated: false,
        schema: this.schemaFrom(node),
        ...opt('style', style?.style),
        ...opt('explode', style?.explode),
        ...opt(
          'allowEmptyValue',
          typeof node['allowEmptyValue'] === 'boolean' ? node['allowEmptyValue'] : undefined,
        ),
        ...opt('example', node['x-example']),
        extensions: extensions(node),
        location: this.ctx.loc(node),
      },
      node,
    );
    this.#params.set(node, param);
    return param;
  }

  /** The request body made of `in: body` or `in: formData` parameters, if any. */
  requestBody(
    op: JsonObject,
    body: JsonObject | undefined,
    form: JsonObject[],
  ): RequestBody | undefined {
    const consumes = mediaTypes(this.ctx, op, 'consumes');
    if (body) {
      const schema = isObject(body['schema']) ? body['schema'] : this.ctx.place({}, body);
      const content = consumes.map((mediaType) => this.media(mediaType, schema, body, undefined));
      return this.ctx.place(
        { required: body['required'] === true, content, location: this.ctx.loc(body) },
        body,
      );
    }
    const first = form[0];
    if (!first) return undefined;
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    for (const param of form) {
      const name = this.ctx.str(param, 'name') ?? '';
      setOwn(properties, name, this.schemaFrom(param));
      if (param['required'] === true) required.push(name);
    }
    const schema = this.ctx.place(
      { type: 'object', properties, ...(required.length > 0 ? { required } : {}) },
      first,
    );
    const formTypes = consumes.filter(
      (m) =>
        m.startsWith('multipart/form-data') || m.startsWith('application/x-www-form-urlencoded'),
    );
    const hasFile = form.some((p) => p['type'] === 'file');
    const types =
      formTypes.length > 0
        ? formTypes
        : [hasFile ? 'multipart/form-data' : 'application/x-www-form-urlencoded'];
    return this.ctx.place(
      {
        required: required.length > 0,
        content: types.map((mediaType) => this.media(mediaType, schema, first, undefined)),
        location: this.ctx.loc(first),
      },
      first,
    );
  }

  media(
    mediaType: string,
    schema: SchemaObject | undefined,
    at: JsonObject,
    example: unknown,
  ): MediaType {
    return this.ctx.place(
      {
        mediaType,
        ...opt('schema', schema),
        ...opt('example', example),
        location: this.ctx.loc(at),
      },
      at,
    );
  }

  responses(op: JsonObject): Response[] {
    const map = this.ctx.map(op, 'responses', "'responses'");
    if (!map) return [];
    const produces = mediaTypes(this.ctx, op, 'produces');
    const out: Response[] = [];
    for (const [status, node] of Object.entries(map)) {
      if (status.startsWith('x-')) continue;
      if (!isObject(node))
        throw this.ctx.invalid(`response '${status}' must be a mapping`, map, status);
      const schema = node['schema'];
      const examples = isObject(node['examples']) ? node['examples'] : {};
      const content = isObject(schema)
        ? produces.map((mt) => this.media(mt, schema, node, examples[mt]))
        : Object.keys(examples).map((mt) => this.media(mt, undefined, node, examples[mt]));
      out.push(
        this.ctx.place(
          {
            status,
            description: this.ctx.str(node, 'description') ?? '',
            headers: this.headers(node['headers']),
            content,
            location: this.ctx.loc(node),
          },
          node,
        ),
      );
    }
    return out;
  }

  headers(value: unknown): Header[] {
    if (!isObject(value)) return [];
    const out: Header[] = [];
    for (const [name, node] of Object.entries(value)) {
      if (!isObject(node)) continue;
      out.push(
        this.ctx.place(
          { name, required: false, schema: this.schemaFrom(node), location: this.ctx.loc(node) },
          node,
        ),
      );
    }
    return out;
  }
}

function collectionStyle(
  where: ParameterLocation,
  format: string | undefined,
): { style: string; explode: boolean } | undefined {
  switch (format) {
    case undefined:
      return undefined;
    case 'multi':
      return { style: 'form', explode: true };
    case 'ssv':
      return { style: 'spaceDelimited', explode: false };
    case 'pipes':
      return { style: 'pipeDelimited', explode: false };
    case 'csv':
      return { style: where === 'query' || where === 'cookie' ? 'form' : 'simple', explode: false };
    default:
      // tsv has no OAS 3 equivalent; keep the name so that consumers can tell.
      return { style: format, explode: false };
  }
}
