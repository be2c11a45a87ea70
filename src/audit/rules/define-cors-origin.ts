import type { AuditRule } from '../types.js';
import { hasHeader } from '../util/responses.js';

export const defineCorsOrigin: AuditRule = {
  id: 'owasp:api8:define-cors-origin',
  owasp: 'API8:2023',
  cwe: 'CWE-942',
  severity: 'info',
  title: 'Responses declare headers but no CORS origin',
  rationale:
    'Declaring `Access-Control-Allow-Origin` documents which browser origins may read the API (Fetch standard, CORS protocol); a missing or wildcard policy is a common misconfiguration (OWASP API8:2023, CWE-942). Reported once per operation whose responses declare headers without it.',
  remediation: 'Declare `Access-Control-Allow-Origin` with the allowed origin(s) on the responses.',
  spectral: ['owasp:api8:2023-define-cors-origin'],
  run(ctx) {
    for (const op of ctx.model.operations) {
      const missing = op.responses.filter(
        (r) => r.headers.length > 0 && !hasHeader(r, 'Access-Control-Allow-Origin'),
      );
      const [first, ...rest] = missing;
      if (!first) continue;
      ctx.report({
        message: `${op.key}: responses ${missing.map((r) => r.status).join(', ')} declare headers but no Access-Control-Allow-Origin.`,
        operation: op,
        node: op,
        location: first.location,
        related: rest.map((r) => r.location),
      });
    }
  },
};
