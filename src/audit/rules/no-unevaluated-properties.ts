import type { AuditRule } from '../types.js';
import { hasType, reportSites } from '../util/schema.js';

export const noUnevaluatedProperties: AuditRule = {
  id: 'owasp:api3:no-unevaluated-properties',
  owasp: 'API3:2023',
  cwe: 'CWE-915',
  severity: 'low',
  title: 'Request object allows any unevaluated property',
  rationale:
    '`unevaluatedProperties: true` (OpenAPI 3.1 / JSON Schema 2020-12) accepts undeclared fields in requests, the root of mass assignment (CWE-915).',
  remediation: 'Set `unevaluatedProperties: false`, or give it a schema and a `maxProperties`.',
  spectral: ['owasp:api3:2023-no-unevaluatedProperties'],
  run(ctx) {
    reportSites(ctx, 'request', (node) =>
      hasType(node, 'object') && node['unevaluatedProperties'] === true
        ? 'Request object sets `unevaluatedProperties: true`.'
        : undefined,
    );
  },
};
