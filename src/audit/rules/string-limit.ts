import type { AuditRule } from '../types.js';
import { describe, hasType, isLengthBounded, reportSites } from '../util/schema.js';

export const stringLimit: AuditRule = {
  id: 'owasp:api4:string-limit',
  owasp: 'API4:2023',
  cwe: 'CWE-770',
  severity: 'medium',
  title: 'Request string without maxLength',
  rationale:
    'Unbounded strings let a single field carry megabytes into parsers, databases and logs (OWASP API4:2023, CWE-770). Strings that are already bounded are not reported: `enum`/`const`, length-bounding formats (uuid, date, date-time, time, ipv4, ipv6) and anchored patterns with no unbounded quantifier. `readOnly` properties are not sent by clients and response-only schemas are skipped.',
  remediation: 'Add `maxLength` (or an `enum`, or a bounded `format`/`pattern`).',
  spectral: ['owasp:api4:2023-string-limit'],
  run(ctx) {
    reportSites(ctx, 'request', (node, site) =>
      hasType(node, 'string') && !isLengthBounded(node)
        ? `Request string (${describe(ctx, site)}) has no maxLength.`
        : undefined,
    );
  },
};
