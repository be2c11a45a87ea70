import type { AuditRule } from '../types.js';
import { hasType, reportSites } from '../util/schema.js';

export const noAdditionalProperties: AuditRule = {
  id: 'owasp:api3:no-additional-properties',
  owasp: 'API3:2023',
  cwe: 'CWE-915',
  severity: 'low',
  title: 'Request object allows any additional property',
  rationale:
    '`additionalProperties: true` on a request object lets clients send fields the API never declared, the root of mass assignment (CWE-915). Only request-side schemas are checked: a response cannot be mass-assigned.',
  remediation: 'Set `additionalProperties: false`, or give it a schema and a `maxProperties`.',
  spectral: ['owasp:api3:2023-no-additionalProperties'],
  run(ctx) {
    reportSites(ctx, 'request', (node) =>
      hasType(node, 'object') && node['additionalProperties'] === true
        ? 'Request object sets `additionalProperties: true`.'
        : undefined,
    );
  },
};
