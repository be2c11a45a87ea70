import type { AuditRule } from '../types.js';
import { describe, hasEnumOrConst, hasType, reportSites } from '../util/schema.js';

export const integerFormat: AuditRule = {
  id: 'owasp:api4:integer-format',
  owasp: 'API4:2023',
  cwe: 'CWE-190',
  severity: 'low',
  title: 'Request integer without int32/int64 format',
  rationale:
    'Without `format: int32|int64` and without bounds, the server and its clients may disagree on the range, leading to overflow or truncation (CWE-190). Integers bounded by both minimum and maximum, or by an enum, are not reported.',
  remediation:
    'Add `format: int32` or `format: int64`, or bound the value with minimum and maximum.',
  spectral: ['owasp:api4:2023-integer-format'],
  run(ctx) {
    reportSites(ctx, 'request', (node, site) => {
      if (!hasType(node, 'integer') || node['format'] !== undefined || hasEnumOrConst(node))
        return undefined;
      if (typeof node['minimum'] === 'number' && typeof node['maximum'] === 'number')
        return undefined;
      return `Request integer (${describe(ctx, site)}) has no format.`;
    });
  },
};
