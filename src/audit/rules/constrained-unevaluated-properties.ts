import type { AuditRule } from '../types.js';
import { hasType, isObject, reportSites } from '../util/schema.js';

export const constrainedUnevaluatedProperties: AuditRule = {
  id: 'owasp:api3:constrained-unevaluated-properties',
  owasp: 'API3:2023',
  cwe: 'CWE-770',
  severity: 'low',
  title: 'Request object with unevaluatedProperties schema but no maxProperties',
  rationale:
    'An `unevaluatedProperties` schema makes the object an open-ended map; without `maxProperties` its size is unbounded (CWE-770).',
  remediation: 'Add `maxProperties` to the object.',
  spectral: ['owasp:api3:2023-constrained-unevaluatedProperties'],
  run(ctx) {
    reportSites(ctx, 'request', (node) =>
      hasType(node, 'object') &&
      isObject(node['unevaluatedProperties']) &&
      typeof node['maxProperties'] !== 'number'
        ? 'Request object (`unevaluatedProperties` schema) has no `maxProperties`.'
        : undefined,
    );
  },
};
