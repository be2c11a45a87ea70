// API3:2023 / CWE-213: a schema field holding a secret (password hash, token, key) that an ordinary
// identity can read. Proof: the field's value in an answer, not just its name in the schema.
import { getNamedType, isObjectType, isLeafType } from 'graphql';
import { graphqlOperations, introspect, openRootFields, send, someone } from '../graphql/client.js';
import { location } from '../engine/classify.js';
import type { ScanCheck } from '../types.js';

const SENSITIVE =
  /pass(word)?_?hash|^password$|secret|api_?key|private_?key|^ssn$|credit_?card|refresh_?token|mfa_?seed/i;

export const graphqlSensitiveFields: ScanCheck = {
  id: 'scan:api3:graphql-sensitive-fields',
  owasp: 'API3:2023',
  cwe: 'CWE-213',
  severity: 'high',
  confidence: 'certain',
  title: 'GraphQL exposes a sensitive field',
  remediation:
    'Remove secrets from the schema, or guard the field (field-level authorization; bulwark protect denies fields marked sensitive by default).',
  intrusive: false,
  async run(ctx) {
    for (const op of graphqlOperations(ctx.model)) {
      const schema = await introspect(ctx, op);
      if (!schema) continue;
      const who = someone(ctx);
      for (const root of openRootFields(schema)) {
        const type = getNamedType(root.type);
        if (!isObjectType(type)) continue;
        const secrets = Object.values(type.getFields()).filter(
          (f) => SENSITIVE.test(f.name) && f.args.length === 0 && isLeafType(getNamedType(f.type)),
        );
        for (const field of secrets) {
          const a = await send(ctx, op, { query: `{ r: ${root.name} { ${field.name} } }` }, who);
          const value = a.data?.['r'];
          const first = Array.isArray(value) ? value[0] : value;
          const leaked = (first as Record<string, unknown> | null | undefined)?.[field.name];
          if (leaked === undefined || leaked === null || leaked === '') continue;
          ctx.report({
            location: location(op, a.response.exchange.request.url),
            cause: `${type.name}.${field.name}`,
            message: `${type.name}.${field.name} is readable through ${root.name}.`,
            exchanges: [a.response],
          });
        }
      }
    }
  },
};
