// API7:2023 / CWE-918: a GraphQL field taking a URL argument that makes the server fetch it. The
// URL points at the scanner's own loopback callback listener; an inbound request proves the fetch.
import { getNamedType, isObjectType, type GraphQLField } from 'graphql';
import {
  graphqlOperations,
  introspect,
  scalarSelection,
  send,
  someone,
} from '../graphql/client.js';
import { location } from '../engine/classify.js';
import type { ScanCheck } from '../types.js';

const URL_ARG = /url|uri|link|callback|webhook|href|src|endpoint|feed/i;
const WAIT_MS = 3000;

function urlFields(fields: readonly GraphQLField<unknown, unknown>[]) {
  return fields.flatMap((f) => {
    const arg = f.args.find((a) => URL_ARG.test(a.name) && /^String!?$/.test(String(a.type)));
    const required = f.args.filter((a) => String(a.type).endsWith('!'));
    return arg && required.every((a) => a === arg) ? [{ f, arg: arg.name }] : [];
  });
}

export const graphqlSsrf: ScanCheck = {
  id: 'scan:api7:graphql-ssrf',
  owasp: 'API7:2023',
  cwe: 'CWE-918',
  severity: 'high',
  confidence: 'certain',
  title: 'GraphQL URL argument fetched by the server (SSRF)',
  remediation:
    'Resolve and check the address of every URL the server fetches (no loopback, private, link-local or metadata), allowlist schemes and hosts, and do not follow redirects.',
  intrusive: true,
  async run(ctx) {
    for (const op of graphqlOperations(ctx.model)) {
      const schema = await introspect(ctx, op);
      if (!schema) continue;
      const roots = [
        ['query', schema.getQueryType()],
        ['mutation', schema.getMutationType()],
      ] as const;
      for (const [kind, root] of roots) {
        if (!root) continue;
        for (const { f, arg } of urlFields(Object.values(root.getFields()))) {
          const { token, url } = ctx.callbacks.mint(`graphql ${f.name}`);
          const type = getNamedType(f.type);
          const sel = isObjectType(type) ? ` { ${scalarSelection(type)} }` : '';
          const a = await send(
            ctx,
            op,
            {
              query: `${kind} Q($u: String!) { ${f.name}(${arg}: $u)${sel} }`,
              variables: { u: url },
            },
            someone(ctx),
          );
          if (!(await ctx.callbacks.waitFor(token, WAIT_MS))) continue;
          ctx.report({
            location: location(op, a.response.exchange.request.url),
            cause: f.name,
            message: `${f.name}(${arg}:) made the server request the scanner's loopback listener.`,
            exchanges: [a.response],
          });
        }
      }
    }
  },
};
