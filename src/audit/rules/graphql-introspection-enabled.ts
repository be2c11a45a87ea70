import { graphqlEndpoints, reportAll } from '../graphql/sdl.js';
import type { AuditRule } from '../types.js';

function obj(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
}

export const graphqlIntrospectionEnabled: AuditRule = {
  id: 'owasp:api8:graphql-introspection-enabled',
  owasp: 'API8:2023',
  cwe: 'CWE-200',
  severity: 'medium',
  title: 'GraphQL introspection or debug output enabled for everyone',
  rationale:
    'Introspection for every caller publishes the whole schema; suggestions off-mask, exposed limits and debug output tell an attacker what to try next (API8:2023, CWE-200, CWE-209).',
  remediation:
    'Allow introspection per role only (x-bulwark-graphql.introspection.roles), keep maskSuggestions on, exposeLimits and debug off in production.',
  run(ctx) {
    for (const ep of graphqlEndpoints(ctx.model)) {
      const s = ep.settings;
      const problems: string[] = [];
      if (obj(s['introspection'])['allow'] === true)
        problems.push('introspection is allowed for every caller');
      if (s['maskSuggestions'] === false) problems.push('field suggestions are not masked');
      if (s['exposeLimits'] === true) problems.push('refusals name the limits');
      if (s['debug'] === true) problems.push('debug output is on');
      reportAll(ctx, ep, problems, (l) => `GraphQL endpoint ${ep.operation.key}: ${l}.`);
    }
  },
};
