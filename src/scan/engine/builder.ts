// Turns an operation into a concrete, valid request: path ids from objects the scanner has seen,
// required parameters and a body generated from the schemas. Checks then mutate these requests, so a
// finding always differs from a valid request by exactly the thing under test.
import type { Operation } from '../../core/openapi/model.js';
import type {
  BuildOptions,
  BuiltRequest,
  KnownObject,
  ObjectStore,
  RequestBuilder,
} from '../types.js';
import { resourceOfParam, singular } from './objects.js';
import { sampleSchema, type SampleOptions } from './sample.js';

const ID_PARAM = /(^id$|id$|_id$|uuid$|key$|slug$)/i;
// Header parameters the transport or the identity sets itself.
const SKIPPED_HEADERS = new Set([
  'authorization',
  'content-type',
  'accept',
  'content-length',
  'host',
]);

export class SchemaRequestBuilder implements RequestBuilder {
  private counter = 0;
  private readonly runId = Math.random().toString(36).slice(2, 8);

  constructor(
    private readonly objects: ObjectStore,
    private readonly safeUrl: () => string,
  ) {}

  private options(full: boolean): SampleOptions {
    return {
      full,
      unique: () => `${this.runId}${++this.counter}`,
      safeUrl: this.safeUrl(),
    };
  }

  resourceOf(operation: Operation, parameter: string): string {
    return resourceOfParam(operation.path, parameter);
  }

  body(operation: Operation, full = true): unknown {
    const media = jsonMedia(operation);
    if (!media) return undefined;
    if (media.example !== undefined && !full) return media.example;
    return sampleSchema(media.schema, this.options(full));
  }

  private queryObject(
    operation: Operation,
    name: string,
    options: BuildOptions,
  ): KnownObject | undefined {
    if (options.owner === undefined && !options.createdByScannerOnly) return undefined;
    const named = /^(.+?)[-_]?(id|uuid|key|slug)$/i.exec(name)?.[1];
    const last =
      operation.path
        .split('/')
        .filter((s) => s !== '' && !s.startsWith('{'))
        .at(-1) ?? name;
    const found = this.objects.find(singular(named ?? last), {
      ...(options.owner === undefined ? {} : { owner: options.owner }),
      ...(options.createdByScannerOnly ? { createdByScanner: true } : {}),
    });
    return options.createdByScannerOnly
      ? found.at(-1)
      : (found.find((o) => !o.createdByScanner) ?? found.at(-1));
  }

  build(operation: Operation, options: BuildOptions = {}): BuiltRequest | undefined {
    let path = operation.path;
    let target: KnownObject | undefined;
    const sampling = this.options(options.full ?? false);
    for (const param of operation.parameters.filter((p) => p.in === 'path')) {
      let value: string | number | undefined = options.pathParams?.[param.name];
      if (value === undefined) {
        const found = this.objects.find(this.resourceOf(operation, param.name), {
          ...(options.owner === undefined ? {} : { owner: options.owner }),
          ...(options.createdByScannerOnly ? { createdByScanner: true } : {}),
        });
        // Reads aim at real (seeded) objects; destructive checks ask for scanner-created ones.
        const object = options.createdByScannerOnly
          ? found.at(-1)
          : (found.find((o) => !o.createdByScanner) ?? found.at(-1));
        if (object) {
          value = object.id;
          target = object;
        }
      }
      if (value === undefined && param.example !== undefined) value = String(param.example);
      if (value === undefined) {
        // An id the scanner has not seen would only test the 404 path: not a useful request.
        if (ID_PARAM.test(param.name)) return undefined;
        value = String(sampleSchema(param.schema, sampling, param.name));
      }
      path = path.replace(`{${param.name}}`, encodeURIComponent(String(value)));
    }
    const query: Record<string, string> = {};
    const headers: Record<string, string> = {};
    for (const param of operation.parameters) {
      if (param.in === 'path') continue;
      // An id in the query names an object just as a path id does (`GET /download?documentId=`).
      const known =
        param.in === 'query' && ID_PARAM.test(param.name)
          ? this.queryObject(operation, param.name, options)
          : undefined;
      if (known) {
        query[param.name] = String(known.id);
        target ??= known;
        continue;
      }
      if (!param.required && !options.full) continue;
      const raw = param.example ?? sampleSchema(param.schema, sampling, param.name);
      const value = typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
      if (param.in === 'query') query[param.name] = value;
      else if (param.in === 'header' && !SKIPPED_HEADERS.has(param.name.toLowerCase())) {
        headers[param.name] = value;
      }
    }
    const body = operation.requestBody ? this.body(operation, options.full ?? true) : undefined;
    return {
      method: operation.method.toUpperCase(),
      path,
      query,
      headers,
      ...(body === undefined ? {} : { json: body }),
      ...(options.identity === undefined ? {} : { identity: options.identity }),
      ...(target ? { target } : {}),
    };
  }
}

export function jsonMedia(operation: Operation) {
  return operation.requestBody?.content.find((m) => /json/i.test(m.mediaType));
}
