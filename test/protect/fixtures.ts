// One small spec that exercises every gateway stage.
import type { ApiModel } from '../../src/core/openapi/model.js';
import { openapi } from './helpers.js';

const user = {
  type: 'object',
  required: ['id', 'name'],
  properties: {
    id: { type: 'string', readOnly: true },
    name: { type: 'string', maxLength: 50 },
    email: { type: 'string', format: 'email' },
    password: { type: 'string', writeOnly: true },
    tags: { type: 'array', items: { type: 'string' } },
    address: { type: 'object', properties: { city: { type: 'string' } } },
  },
};

export function testModel(): ApiModel {
  return openapi(
    {
      '/users': {
        get: {
          operationId: 'listUsers',
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
            { name: 'tags', in: 'query', schema: { type: 'array', items: { type: 'string' } } },
            {
              name: 'ids',
              in: 'query',
              explode: false,
              schema: { type: 'array', items: { type: 'integer' } },
            },
            {
              name: 'filter',
              in: 'query',
              style: 'deepObject',
              schema: { type: 'object', properties: { city: { type: 'string' } } },
            },
            { name: 'X-Tenant', in: 'header', schema: { type: 'string', pattern: '^[a-z]+$' } },
            { name: 'session', in: 'cookie', schema: { type: 'string', minLength: 3 } },
          ],
          responses: {
            '200': {
              description: 'ok',
              content: { 'application/json': { schema: { type: 'array', items: user } } },
            },
          },
        },
        post: {
          operationId: 'createUser',
          security: [{ bearer: [] }],
          requestBody: { required: true, content: { 'application/json': { schema: user } } },
          responses: {
            '201': { description: 'created', content: { 'application/json': { schema: user } } },
            '400': {
              description: 'bad',
              content: { 'application/problem+json': { schema: { type: 'object' } } },
            },
          },
        },
      },
      '/users/{id}': {
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
        ],
        get: {
          operationId: 'getUser',
          responses: {
            '200': { description: 'ok', content: { 'application/json': { schema: user } } },
          },
        },
        put: {
          operationId: 'replaceUser',
          requestBody: { content: { 'application/json': { schema: user } } },
          responses: { '204': { description: 'done' } },
        },
      },
      '/uploads': {
        post: {
          operationId: 'upload',
          requestBody: {
            required: true,
            content: {
              'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
            },
          },
          responses: { '204': { description: 'stored' } },
        },
      },
      '/imports': {
        post: {
          operationId: 'importUrl',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    url: { type: 'string', format: 'uri' },
                    mirrors: { type: 'array', items: { type: 'string', format: 'uri' } },
                  },
                },
              },
            },
          },
          responses: { '202': { description: 'queued' } },
        },
      },
      '/old': {
        get: {
          operationId: 'old',
          deprecated: true,
          'x-bulwark-sunset': '2999-01-01T00:00:00Z',
          responses: { '200': { description: 'ok' } },
        },
      },
      '/gone': {
        get: {
          operationId: 'gone',
          deprecated: true,
          'x-bulwark-sunset': '2001-01-01T00:00:00Z',
          responses: { '200': { description: 'ok' } },
        },
      },
      '/boom': { get: { operationId: 'boom', responses: { '200': { description: 'ok' } } } },
    },
    { components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } },
  );
}
