import type { AuditRule } from '../types.js';

export const noApiKeysInUrl: AuditRule = {
  id: 'owasp:api2:no-api-keys-in-url',
  owasp: 'API2:2023',
  cwe: 'CWE-598',
  severity: 'high',
  title: 'API key sent in the URL',
  rationale:
    'Query strings are written to access logs, browser history, Referer headers and proxy caches, so a key in the URL leaks to everyone who can read them (CWE-598). Swagger 2.0 `in: query` keys are covered too.',
  remediation:
    'Send the key in a header (e.g. `Authorization` or `X-API-Key`) instead of the query.',
  spectral: ['owasp:api2:2023-no-api-keys-in-url'],
  run(ctx) {
    for (const scheme of Object.values(ctx.model.securitySchemes)) {
      if (scheme.type !== 'apiKey') continue;
      const where = (scheme as { in: string }).in;
      if (where !== 'query' && where !== 'path') continue;
      ctx.report({
        message: `API key scheme '${scheme.name}' is sent in the ${where} ('${(scheme as { paramName: string }).paramName}').`,
        node: scheme,
        location: scheme.location,
      });
    }
  },
};
