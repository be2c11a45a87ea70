import { graphqlEndpoints, hasAuth, objectTypes, reportAll, sdlLine } from '../graphql/sdl.js';
import type { AuditRule } from '../types.js';

/** Mutations that are public by nature. */
const PUBLIC = /^(log_?in|sign_?in|sign_?up|register|refresh\w*|reset\w*|forgot\w*|verify\w*)$/i;

export const graphqlMutationUnauthenticated: AuditRule = {
  id: 'owasp:api2:graphql-mutation-unauthenticated',
  owasp: 'API2:2023',
  cwe: 'CWE-306',
  severity: 'high',
  title: 'GraphQL mutation without authentication',
  rationale:
    'The HTTP operation serving the GraphQL endpoint requires no credentials and the mutation carries no authentication directive, so anyone can change state through it (API2:2023, CWE-306).',
  remediation:
    'Require credentials on the endpoint (OpenAPI security) or mark each state-changing mutation with an authentication directive; keep only login-type mutations public.',
  run(ctx) {
    for (const ep of graphqlEndpoints(ctx.model)) {
      const declared = ep.operation.security.declared;
      const requiresAuth =
        declared !== undefined &&
        declared.length > 0 &&
        declared.every((r) => r.schemes.length > 0);
      if (requiresAuth) continue;
      const schemaDef = ep.document.definitions.find((d) => d.kind === 'SchemaDefinition');
      const mutationName =
        (schemaDef && 'operationTypes' in schemaDef
          ? schemaDef.operationTypes?.find((o) => o.operation === 'mutation')?.type.name.value
          : undefined) ?? 'Mutation';
      const items: string[] = [];
      for (const type of objectTypes(ep.document)) {
        if (type.name.value !== mutationName || hasAuth(type.directives)) continue;
        for (const field of type.fields ?? []) {
          if (PUBLIC.test(field.name.value) || hasAuth(field.directives)) continue;
          items.push(`${field.name.value}${sdlLine(field)}`);
        }
      }
      reportAll(ctx, ep, items, (l) => `Mutations reachable without credentials: ${l}.`);
    }
  },
};
