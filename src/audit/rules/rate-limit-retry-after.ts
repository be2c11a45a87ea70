import type { AuditRule } from '../types.js';
import { findResponse, hasHeader } from '../util/responses.js';

export const rateLimitRetryAfter: AuditRule = {
  id: 'owasp:api4:rate-limit-retry-after',
  owasp: 'API4:2023',
  cwe: 'CWE-770',
  severity: 'low',
  title: '429 response without Retry-After',
  rationale:
    'RFC 6585 §4 says a 429 response MAY include Retry-After; without it well-meaning clients retry at once and amplify the overload.',
  remediation: 'Declare a `Retry-After` header on the 429 response.',
  spectral: ['owasp:api4:2023-rate-limit-retry-after'],
  run(ctx) {
    for (const op of ctx.model.operations) {
      const response = findResponse(op, '429');
      if (!response || hasHeader(response, 'Retry-After')) continue;
      ctx.report({
        message: `${op.key}: the 429 response declares no Retry-After header.`,
        operation: op,
        node: op,
        location: response.location,
      });
    }
  },
};
