// API8:2023 / CWE-209: "Did you mean ...?" suggestions in validation errors let tools such as
// Clairvoyance rebuild the schema even when introspection is off. Proof: a misspelt field answered
// with a suggestion.
import { graphqlOperations, introspect, send, someone, SUGGESTION } from '../graphql/client.js';
import { location } from '../engine/classify.js';
import type { ScanCheck } from '../types.js';

const COMMON = ['mee', 'use', 'viewe', 'nod', 'serch', 'accoun', 'produc', 'orde', 'logi'];

export const graphqlSuggestions: ScanCheck = {
  id: 'scan:api8:graphql-suggestions',
  owasp: 'API8:2023',
  cwe: 'CWE-209',
  severity: 'low',
  confidence: 'certain',
  title: 'GraphQL errors suggest field names',
  remediation:
    'Strip "Did you mean" suggestions from errors (bulwark protect masks them; graphql-armor block-field-suggestions).',
  intrusive: false,
  async run(ctx) {
    for (const op of graphqlOperations(ctx.model)) {
      // One letter off a real root field when the schema is known, else off common root names;
      // graphql-js suggests names within a small edit distance.
      const schema = await introspect(ctx, op);
      const real = Object.keys(schema?.getQueryType()?.getFields() ?? {}).filter(
        (n) => n.length > 2,
      );
      const names = [...real.slice(0, 3).map((n) => n.slice(0, -1)), ...COMMON];
      const misspelt = names.map((n) => `${n}: ${n}`).join(' ');
      const a = await send(ctx, op, { query: `{ ${misspelt} }` }, someone(ctx));
      const hit = a.errors.find((e) => typeof e.message === 'string' && SUGGESTION.test(e.message));
      if (!hit) continue;
      ctx.report({
        location: location(op, a.response.exchange.request.url),
        message: `A misspelt field is answered with a suggestion: ${String(hit.message).slice(0, 120)}`,
        exchanges: [a.response],
      });
    }
  },
};
