import type { AuditRule } from '../types.js';
import { isAnonymous } from '../util/operations.js';
import { findResponse, responsesPointer } from '../util/responses.js';

export const defineErrorResponses401: AuditRule = {
  id: 'owasp:api8:define-error-responses-401',
  owasp: 'API8:2023',
  cwe: 'CWE-209',
  severity: 'low',
  title: 'Secured operation without a 401 response',
  rationale:
    'A secured operation should document its 401 (RFC 9110 §15.5.2) with a body schema, so clients handle expired tokens and contract tests can check no internals leak (CWE-209). Operations without security cannot answer 401 and are skipped (write-restricted / read-restricted report them).',
  remediation: 'Add a 401 response with an error schema and a WWW-Authenticate header.',
  spectral: ['owasp:api8:2023-define-error-responses-401'],
  run(ctx) {
    for (const op of ctx.model.operations) {
      const anonymous = isAnonymous(op);
      if (anonymous === 'undeclared' || anonymous === 'public') continue;
      const response = findResponse(op, '401', '4XX');
      if (response && response.content.length > 0) continue;
      ctx.report({
        message: response
          ? `${op.key}: the ${response.status} response has no body schema.`
          : `${op.key} is secured but declares no 401 response.`,
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
