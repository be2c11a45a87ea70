import type { AuditRule } from '../types.js';
import { hasType, isObject, reportSites } from '../util/schema.js';

export const constrainedAdditionalProperties: AuditRule = {
  id: 'owasp:api3:constrained-additional-properties',
  owasp: 'API3:2023',
  cwe: 'CWE-770',
  severity: 'low',
  title: 'Request map without maxProperties',
  rationale:
    'A request object whose `additionalProperties` is a schema is an open-ended map: without `maxProperties` a client can send millions of keys (CWE-770).',
  remediation: 'Add `maxProperties` to the object.',
  spectral: ['owasp:api3:2023-constrained-additionalProperties'],
  run(ctx) {
    reportSites(ctx, 'request', (node) =>
      hasType(node, 'object') &&
      isObject(node['additionalProperties']) &&
      typeof node['maxProperties'] !== 'number'
        ? 'Request map (`additionalProperties` schema) has no `maxProperties`.'
        : undefined,
    );
  },
};
