import type { AuditRule } from '../types.js';
import { findResponse, responsesPointer } from '../util/responses.js';

export const rateLimitResponses429: AuditRule = {
  id: 'owasp:api4:rate-limit-responses-429',
  owasp: 'API4:2023',
  cwe: 'CWE-770',
  severity: 'low',
  title: 'No 429 Too Many Requests response',
  rationale:
    'Declaring 429 (RFC 6585 §4) documents that a rate limit exists and what clients receive when they hit it; contract tests can then check it.',
  remediation: 'Add a 429 response with an error body and a Retry-After header.',
  spectral: ['owasp:api4:2023-rate-limit-responses-429'],
  run(ctx) {
    for (const op of ctx.model.operations) {
      const response = findResponse(op, '429');
      if (response && response.content.length > 0) continue;
      ctx.report({
        message: response
          ? `${op.key}: the 429 response has no body schema.`
          : `${op.key} declares no 429 response.`,
        operation: op,
        node: op,
        location:
          response?.location ??
          ctx.model.locatePointer(responsesPointer(op), op.location.file) ??
          op.location,
      });
    }
  },
};
