import type { AuditRule } from '../types.js';
import { findResponse, responsesPointer } from '../util/responses.js';

export const defineErrorResponses500: AuditRule = {
  id: 'owasp:api8:define-error-responses-500',
  owasp: 'API8:2023',
  cwe: 'CWE-209',
  severity: 'low',
  title: 'No 500 response',
  rationale:
    'Documenting the 500 body lets contract tests check that server errors return a generic error shape instead of stack traces and internals (CWE-209, OWASP API8:2023).',
  remediation: 'Add a 500 (or 5XX) response with a generic error schema.',
  spectral: ['owasp:api8:2023-define-error-responses-500'],
  run(ctx) {
    for (const op of ctx.model.operations) {
      const response = findResponse(op, '500', '5XX');
      if (response && response.content.length > 0) continue;
      ctx.report({
        message: response
          ? `${op.key}: the ${response.status} response has no body schema.`
          : `${op.key} declares no 500 response.`,
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
