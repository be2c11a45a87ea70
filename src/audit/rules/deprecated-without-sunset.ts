import type { Operation } from '../../core/openapi/model.js';
import type { AuditRule } from '../types.js';
import { hasHeader } from '../util/responses.js';

const REPLACEMENT =
  /(replaced by|superseded|successor|use\s+\S+\s+instead|instead use|migrate to|sunset|will be removed|removal)/i;

function hasRetirementPlan(op: Operation): boolean {
  if (op.responses.some((r) => hasHeader(r, 'Sunset') || hasHeader(r, 'Deprecation'))) return true;
  if (Object.keys(op.extensions).some((k) => /sunset|replace|successor|removal/i.test(k)))
    return true;
  return REPLACEMENT.test(`${op.summary ?? ''} ${op.description ?? ''}`);
}

export const deprecatedWithoutSunset: AuditRule = {
  id: 'owasp:api9:deprecated-without-sunset',
  owasp: 'API9:2023',
  cwe: 'CWE-1059',
  severity: 'low',
  title: 'Deprecated operation without sunset or replacement',
  rationale:
    'A deprecated operation with no sunset date (RFC 8594 `Sunset`, RFC 9745 `Deprecation`) or named replacement tends to live forever, unpatched and unmonitored (OWASP API9:2023).',
  remediation:
    'Declare a `Sunset` header on its responses (or an `x-sunset` date) and name the replacement in the description.',
  run(ctx) {
    for (const op of ctx.model.operations) {
      if (!op.deprecated || hasRetirementPlan(op)) continue;
      ctx.report({
        message: `${op.key} is deprecated but has no sunset date or named replacement.`,
        operation: op,
        node: op,
      });
    }
  },
};
