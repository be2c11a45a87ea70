// The OpenAPI description of the purpose-built test target (target.ts): a tiny document API whose
// every flaw can be switched on or off, so each check is tested against a target that has the flaw
// and one that does not.
import { loadSpecFromString } from '../../../src/core/openapi/load.js';
import type { ApiModel } from '../../../src/core/openapi/model.js';

const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const User = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'email', 'role'],
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', enum: ['user', 'admin'] },
  },
};
const Doc = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'owner_id', 'title'],
  properties: {
    id: { type: 'string' },
    owner_id: { type: 'string' },
    title: { type: 'string' },
    label: { type: ['string', 'null'] },
  },
};
const DocInput = {
  type: 'object',
  additionalProperties: false,
  required: ['title'],
  properties: { title: { type: 'string', maxLength: 200000000 } },
};
/** A reference to a document in a request body (API1 with body ids). */
const DocRef = {
  type: 'object',
  additionalProperties: false,
  required: ['docId'],
  properties: { docId: { type: 'string' } },
};
const problem = {
  description: 'error',
  content: { 'application/problem+json': { schema: { type: 'object' } } },
};
const errors = {
  '400': problem,
  '401': problem,
  '403': problem,
  '404': problem,
  '413': problem,
  '429': problem,
};

export const TARGET_SPEC = {
  openapi: '3.1.0',
  info: { title: 'scan test target', version: '2.0.0' },
  servers: [{ url: '/api/v2' }],
  security: [{ bearer: [] }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
  },
  paths: {
    '/login': {
      post: {
        operationId: 'login',
        security: [],
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['email', 'password'],
            properties: { email: { type: 'string' }, password: { type: 'string' } },
          }),
        },
        responses: {
          '200': {
            description: 'ok',
            ...json({
              type: 'object',
              properties: { access_token: { type: 'string' }, expires_in: { type: 'integer' } },
            }),
          },
          ...errors,
        },
      },
    },
    '/me': {
      get: {
        operationId: 'getMe',
        responses: { '200': { description: 'ok', ...json(User) }, ...errors },
      },
      patch: {
        operationId: 'updateMe',
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            additionalProperties: false,
            properties: { name: { type: 'string' } },
          }),
        },
        responses: { '200': { description: 'ok', ...json(User) }, ...errors },
      },
    },
    '/docs': {
      get: {
        operationId: 'listDocs',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 50 } },
          { name: 'q', in: 'query', schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'ok',
            ...json({ type: 'object', properties: { items: { type: 'array', items: Doc } } }),
          },
          ...errors,
        },
      },
      post: {
        operationId: 'createDoc',
        requestBody: { required: true, ...json(DocInput) },
        responses: {
          '201': {
            description: 'created',
            ...json(Doc),
            links: { get: { operationId: 'getDoc', parameters: { docId: '$response.body#/id' } } },
          },
          ...errors,
        },
      },
    },
    '/docs/lookup': {
      post: {
        operationId: 'lookupDoc',
        requestBody: { required: true, ...json(DocRef) },
        responses: { '200': { description: 'ok', ...json(Doc) }, ...errors },
      },
    },
    '/shares': {
      post: {
        operationId: 'shareDoc',
        requestBody: { required: true, ...json(DocRef) },
        responses: {
          '201': {
            description: 'created',
            ...json({
              type: 'object',
              additionalProperties: false,
              required: ['id', 'docId', 'url'],
              properties: {
                id: { type: 'string' },
                docId: { type: 'string' },
                url: { type: 'string' },
              },
            }),
          },
          ...errors,
        },
      },
    },
    '/docs/{docId}': {
      parameters: [{ name: 'docId', in: 'path', required: true, schema: { type: 'string' } }],
      get: {
        operationId: 'getDoc',
        responses: { '200': { description: 'ok', ...json(Doc) }, ...errors },
      },
      put: {
        operationId: 'putDoc',
        requestBody: { required: true, ...json(DocInput) },
        responses: { '200': { description: 'ok', ...json(Doc) }, ...errors },
      },
      delete: {
        operationId: 'deleteDoc',
        responses: { '204': { description: 'gone' }, ...errors },
      },
    },
    '/docs/{docId}/classify': {
      parameters: [{ name: 'docId', in: 'path', required: true, schema: { type: 'string' } }],
      post: {
        operationId: 'classifyDoc',
        responses: { '200': { description: 'ok', ...json(Doc) }, '502': problem, ...errors },
      },
    },
    '/import': {
      post: {
        operationId: 'importDoc',
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['url'],
            properties: { url: { type: 'string', format: 'uri' } },
          }),
        },
        responses: { '201': { description: 'ok', ...json(Doc) }, ...errors },
      },
    },
    '/invites': {
      post: {
        operationId: 'invite',
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['email'],
            properties: { email: { type: 'string', format: 'email' } },
          }),
        },
        responses: {
          '202': {
            description: 'ok',
            ...json({ type: 'object', properties: { id: { type: 'string' } } }),
          },
          ...errors,
        },
      },
    },
    '/admin/users': {
      get: {
        operationId: 'adminUsers',
        tags: ['admin'],
        responses: {
          '200': { description: 'ok', ...json({ type: 'array', items: User }) },
          ...errors,
        },
      },
    },
    '/export': {
      get: {
        operationId: 'exportDoc',
        parameters: [{ name: 'docId', in: 'query', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'ok', ...json(Doc) }, ...errors },
      },
    },
    '/legacy/report': {
      get: {
        operationId: 'legacyReport',
        deprecated: true,
        responses: { '200': { description: 'ok', ...json({ type: 'object' }) }, ...errors },
      },
    },
  },
};

export function targetModel(): Promise<ApiModel> {
  return loadSpecFromString(JSON.stringify(TARGET_SPEC), { file: 'target.json' });
}
