// `bulwark scan --graphql URL` without --spec: a one-operation description of that endpoint, so the
// engine (scope, identities, pacing, reports) treats it like any API and the graphql-* checks find
// it through `x-bulwark-graphql`.
import { parseSpecText } from '../../core/openapi/load.js';
import type { ApiModel } from '../../core/openapi/model.js';

export function graphqlModel(endpoint: URL): ApiModel {
  const json = { type: 'object', additionalProperties: true };
  const doc = {
    openapi: '3.0.3',
    info: { title: `GraphQL endpoint ${endpoint.pathname}`, version: '1' },
    servers: [{ url: endpoint.origin }],
    paths: {
      [endpoint.pathname]: {
        post: {
          operationId: 'graphql',
          'x-bulwark-graphql': true,
          requestBody: { required: true, content: { 'application/json': { schema: json } } },
          responses: {
            '200': {
              description: 'GraphQL answer',
              content: { 'application/json': { schema: json } },
            },
          },
        },
      },
    },
  };
  return parseSpecText(JSON.stringify(doc), endpoint.href);
}
