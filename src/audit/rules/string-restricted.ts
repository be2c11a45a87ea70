import type { AuditRule } from '../types.js';
import { describe, hasEnumOrConst, hasType, reportSites } from '../util/schema.js';

export const stringRestricted: AuditRule = {
  id: 'owasp:api4:string-restricted',
  owasp: 'API4:2023',
  cwe: 'CWE-20',
  severity: 'low',
  title: 'Request string without format, pattern or enum',
  rationale:
    'A string with no `format`, `pattern`, `enum` or `const` accepts any characters, so validation cannot reject injection payloads or garbage early (CWE-20). Only request-side strings are checked.',
  remediation: 'Add a `format`, an anchored `pattern`, or an `enum`.',
  spectral: ['owasp:api4:2023-string-restricted'],
  run(ctx) {
    reportSites(ctx, 'request', (node, site) =>
      hasType(node, 'string') &&
      node['format'] === undefined &&
      node['pattern'] === undefined &&
      !hasEnumOrConst(node)
        ? `Request string (${describe(ctx, site)}) has no format, pattern or enum.`
        : undefined,
    );
  },
};
