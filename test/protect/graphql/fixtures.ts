// Shared GraphQL fixtures: the lab's vulnerable schema with its sensitive field declared, and an
// OpenAPI document whose /graphql operation is marked for the GraphQL stage.
import { labSdl } from '../../../src/lab/graphql/sdl.js';
import { GraphqlGate } from '../../../src/protect/graphql/gate.js';
import { resolveOptions } from '../../../src/protect/graphql/options.js';
import { loadSchema } from '../../../src/protect/graphql/schema.js';
import { openapi } from '../helpers.js';

export const SDL = labSdl(true);

export function gateWith(extension: Record<string, unknown> = {}): GraphqlGate {
  const options = resolveOptions(undefined, {
    sdl: SDL,
    sensitive: ['User.passwordHash'],
    ...extension,
  });
  return new GraphqlGate(loadSchema(options, 'test', process.cwd()), options);
}

export const ANON = { roles: [], scopes: [] } as const;

const anyJson = { type: 'object', additionalProperties: true };

export function graphqlSpec(extension: Record<string, unknown> = {}) {
  const marker = {
    sdl: SDL,
    sensitive: ['User.passwordHash'],
    loginFields: ['Mutation.login'],
    ...extension,
  };
  const free = {
    '200': {
      description: 'GraphQL answer',
      content: {
        'application/json': {
          schema: { oneOf: [anyJson, { type: 'array', items: anyJson }] },
        },
      },
    },
  };
  const stringParam = (name: string) => ({ name, in: 'query', schema: { type: 'string' } });
  return openapi({
    '/graphql': {
      post: {
        operationId: 'graphqlPost',
        'x-bulwark-graphql': marker,
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { oneOf: [anyJson, { type: 'array', items: anyJson }] },
            },
          },
        },
        responses: free,
      },
      get: {
        operationId: 'graphqlGet',
        'x-bulwark-graphql': marker,
        parameters: ['query', 'variables', 'operationName', 'extensions'].map(stringParam),
        responses: free,
      },
    },
    '/health': { get: { operationId: 'health', responses: { '200': { description: 'ok' } } } },
  });
}
