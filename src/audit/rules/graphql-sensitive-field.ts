import {
  graphqlEndpoints,
  guardedByBulwark,
  hasAuth,
  objectTypes,
  reportAll,
  sdlLine,
} from '../graphql/sdl.js';
import type { AuditRule } from '../types.js';

const SENSITIVE =
  /pass(word)?_?hash|^password$|secret|api_?key|private_?key|^ssn$|credit_?card|card_?number|refresh_?token|mfa_?seed|salary|internal_?notes/i;

export const graphqlSensitiveField: AuditRule = {
  id: 'owasp:api3:graphql-sensitive-field',
  owasp: 'API3:2023',
  cwe: 'CWE-213',
  severity: 'high',
  title: 'GraphQL sensitive field without an authorization directive',
  rationale:
    'A GraphQL field is readable by anyone who can reach its type; a secret-named field (password hash, key, token) with no authorization directive on it or its type is exposed through every path to that type, fragments included (API3:2023, CWE-213).',
  remediation:
    'Remove the field from the schema, or guard it: an authorization directive (@auth, @requiresScopes...), or x-bulwark-graphql.sensitive / fields so bulwark protect denies it by default.',
  run(ctx) {
    for (const ep of graphqlEndpoints(ctx.model)) {
      const items: string[] = [];
      for (const type of objectTypes(ep.document)) {
        if (hasAuth(type.directives)) continue;
        for (const field of type.fields ?? []) {
          const coordinate = `${type.name.value}.${field.name.value}`;
          if (!SENSITIVE.test(field.name.value) || hasAuth(field.directives)) continue;
          if (guardedByBulwark(ep.settings, coordinate)) continue;
          items.push(`${coordinate}${sdlLine(field)}`);
        }
      }
      reportAll(
        ctx,
        ep,
        items,
        (l) => `Sensitive-looking fields without an authorization directive: ${l}.`,
      );
    }
  },
};
