// API8:2023 / CWE-209: GraphQL errors carrying stack traces or exception details (Apollo's
// `extensions.exception.stacktrace`, graphql-js `originalError` dumps). Proof: the answer to a
// malformed document or a wrongly typed variable.
import { graphqlOperations, send, someone } from '../graphql/client.js';
import { location } from '../engine/classify.js';
import type { ScanCheck } from '../types.js';

const STACK = /\bat [\w.<>$]+ \(|\bat \/|\.(?:js|ts|py|java|rb|go):\d+|stacktrace|Traceback/i;

export const graphqlVerboseErrors: ScanCheck = {
  id: 'scan:api8:graphql-verbose-errors',
  owasp: 'API8:2023',
  cwe: 'CWE-209',
  severity: 'medium',
  confidence: 'certain',
  title: 'GraphQL errors expose stack traces',
  remediation:
    'Send only a message and a code in GraphQL errors (Apollo: includeStacktraceInErrorResponses false; mask internal errors).',
  intrusive: false,
  async run(ctx) {
    for (const op of graphqlOperations(ctx.model)) {
      for (const body of [
        { query: '{ __typename' },
        { query: 'query Q($n: Int) { __typename }', variables: { n: 'not-a-number' } },
      ]) {
        const a = await send(ctx, op, body, someone(ctx));
        const text = JSON.stringify(a.errors);
        if (!STACK.test(text)) continue;
        ctx.report({
          location: location(op, a.response.exchange.request.url),
          message: 'A malformed GraphQL request is answered with a stack trace.',
          exchanges: [a.response],
        });
        break;
      }
    }
  },
};
