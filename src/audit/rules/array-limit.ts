import type { AuditRule } from '../types.js';
import { describe, hasType, reportSites } from '../util/schema.js';

export const arrayLimit: AuditRule = {
  id: 'owasp:api4:array-limit',
  owasp: 'API4:2023',
  cwe: 'CWE-770',
  severity: 'medium',
  title: 'Request array without maxItems',
  rationale:
    'An unbounded array in a request lets one call carry millions of items, each costing parse, validation and processing time (OWASP API4:2023, CWE-770). Only arrays a client can send are checked, each shared schema once.',
  remediation: 'Add `maxItems` (and bound the item schema too).',
  spectral: ['owasp:api4:2023-array-limit'],
  run(ctx) {
    reportSites(ctx, 'request', (node, site) =>
      hasType(node, 'array') && typeof node['maxItems'] !== 'number'
        ? `Request array (${describe(ctx, site)}) has no maxItems.`
        : undefined,
    );
  },
};
