import type { AuditRule } from '../types.js';
import { findResponse, responsesPointer } from '../util/responses.js';
import { takesInput } from '../util/operations.js';

export const defineErrorValidation: AuditRule = {
  id: 'owasp:api8:define-error-validation',
  owasp: 'API8:2023',
  cwe: 'CWE-209',
  severity: 'low',
  title: 'No 400/422 validation error response',
  rationale:
    'An operation that takes input should document what invalid input returns (400, 422 or 4XX), so clients and contract tests see a defined error shape rather than a stack trace (CWE-209). Operations with no parameters and no body cannot fail validation and are skipped.',
  remediation: 'Add a 400 (or 422 / 4XX) response with an error schema.',
  spectral: ['owasp:api8:2023-define-error-validation'],
  run(ctx) {
    for (const op of ctx.model.operations) {
      if (!takesInput(op) || findResponse(op, '400', '422', '4XX')) continue;
      ctx.report({
        message: `${op.key} takes input but declares no 400, 422 or 4XX response.`,
        operation: op,
        node: op,
        location: ctx.model.locatePointer(responsesPointer(op), op.location.file) ?? op.location,
      });
    }
  },
};
