// API8:2023 / CWE-200: GraphQL introspection answers the whole schema (every type, field and
// argument), a map for every other attack. Proof: the `__schema` answer.
import { graphqlOperations, send, someone } from '../graphql/client.js';
import { location } from '../engine/classify.js';
import type { ScanCheck } from '../types.js';

export const graphqlIntrospection: ScanCheck = {
  id: 'scan:api8:graphql-introspection',
  owasp: 'API8:2023',
  cwe: 'CWE-200',
  severity: 'medium',
  confidence: 'certain',
  title: 'GraphQL introspection is enabled',
  remediation:
    'Disable introspection in production (graphql-js NoSchemaIntrospectionCustomRule, or bulwark protect, which refuses __schema and __type unless a role allows it).',
  intrusive: false,
  async run(ctx) {
    for (const op of graphqlOperations(ctx.model)) {
      for (const identity of [null, someone(ctx)]) {
        const a = await send(ctx, op, { query: '{ __schema { queryType { name } } }' }, identity);
        const schema = a.data?.['__schema'] as { queryType?: { name?: unknown } } | undefined;
        if (typeof schema?.queryType?.name !== 'string') continue;
        ctx.report({
          location: location(op, a.response.exchange.request.url),
          message: `Introspection answers the schema${identity === null ? ' without credentials' : ''}.`,
          exchanges: [a.response],
        });
        break;
      }
    }
  },
};
