// A description that passes every audit rule, and helpers to audit variations of it. Each rule test
// mutates a fresh copy, so a rule's "invalid" case differs from the clean document in one place.
import type { BulwarkConfig } from '../../src/core/config/types.js';
import { parseSpecText } from '../../src/core/openapi/load.js';
import type { Finding } from '../../src/core/finding.js';
import {
  auditModel,
  type ModelAuditResult,
  type RuleOverride,
} from '../../src/audit/engine/run.js';
import { rules } from '../../src/audit/registry.js';

export type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const json = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

function headers(extra: Doc = {}): Doc {
  return {
    RateLimit: { schema: { type: 'string' } },
    'Access-Control-Allow-Origin': { schema: { type: 'string' } },
    ...extra,
  };
}

/** The standard responses of a clean operation: fresh objects each call. */
export function std(schema: Doc): Doc {
  return {
    '200': { description: 'ok', headers: headers(), content: { 'application/json': { schema } } },
    '400': { description: 'bad request', headers: headers(), content: json },
    '401': { description: 'unauthorized', headers: headers(), content: json },
    '429': {
      description: 'slow down',
      headers: headers({
        'Retry-After': { schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 3600 } },
      }),
      content: json,
    },
    '500': { description: 'error', headers: headers(), content: json },
  };
}

export function clean(): Doc {
  return {
    openapi: '3.0.3',
    info: { title: 'Clean', version: '1.0.0' },
    servers: [{ url: 'https://api.example.com', description: 'Production', 'x-internal': false }],
    security: [{ bearer: ['items:read'] }],
    paths: {
      '/items': {
        get: {
          operationId: 'listItems',
          parameters: [
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 100 },
            },
          ],
          responses: std({ type: 'array', items: { $ref: '#/components/schemas/Item' } }),
        },
        post: {
          operationId: 'createItem',
          security: [{ bearer: ['items:write'] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } },
          },
          responses: std({ $ref: '#/components/schemas/Item' }),
        },
      },
      '/items/{itemId}': {
        get: {
          operationId: 'getItem',
          parameters: [
            {
              name: 'itemId',
              in: 'path',
              required: true,
              schema: { type: 'string', format: 'uuid' },
            },
          ],
          responses: std({ $ref: '#/components/schemas/Item' }),
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A JWS access token following RFC 8725.',
        },
      },
      schemas: {
        Item: {
          type: 'object',
          additionalProperties: false,
          properties: {
            id: { type: 'string', format: 'uuid', readOnly: true },
            name: { type: 'string', maxLength: 100, pattern: '^[A-Za-z ]+$' },
          },
        },
        // Used only in responses: request-side limits do not apply.
        Error: { type: 'object', properties: { message: { type: 'string' } } },
      },
    },
  };
}

export function cleanSwagger(): Doc {
  return {
    swagger: '2.0',
    info: { title: 'Clean', version: '1.0.0' },
    host: 'api.example.com',
    schemes: ['https'],
    securityDefinitions: {
      bearer: { type: 'apiKey', in: 'header', name: 'Authorization' },
    },
    security: [{ bearer: [] }],
    paths: {},
  };
}

export interface AuditOptions {
  readonly config?: BulwarkConfig | Doc;
  readonly overrides?: Readonly<Record<string, RuleOverride>>;
  readonly only?: string;
}

export function audit(doc: Doc, options: AuditOptions = {}): ModelAuditResult {
  const model = parseSpecText(JSON.stringify(doc, null, 2), 'spec.json');
  return auditModel(model, {
    rules: options.only ? rules.filter((r) => r.id === options.only) : rules,
    ...(options.overrides ? { overrides: options.overrides } : {}),
    ...(options.config ? { config: options.config as BulwarkConfig } : {}),
  });
}

export function idsOf(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.id).sort();
}
