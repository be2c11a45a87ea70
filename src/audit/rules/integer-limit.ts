import type { AuditRule } from '../types.js';
import { describe, hasEnumOrConst, hasType, reportSites } from '../util/schema.js';

const has = (node: Record<string, unknown>, key: string) => typeof node[key] === 'number';

export const integerLimit: AuditRule = {
  id: 'owasp:api4:integer-limit',
  owasp: 'API4:2023',
  cwe: 'CWE-1284',
  severity: 'low',
  title: 'Request integer without minimum and maximum',
  rationale:
    'Unbounded integers drive loops, page sizes and allocations: `limit=100000000` or a negative quantity (CWE-1284, OWASP API4:2023). Only request-side integers are checked.',
  remediation: 'Add `minimum` and `maximum` (or their exclusive forms).',
  spectral: ['owasp:api4:2023-integer-limit', 'owasp:api4:2023-integer-limit-legacy'],
  run(ctx) {
    reportSites(ctx, 'request', (node, site) => {
      if (!hasType(node, 'integer') || hasEnumOrConst(node)) return undefined;
      // In 3.1 exclusiveMinimum/Maximum are numbers; in 3.0 and 2.0 booleans that need minimum.
      const min = has(node, 'minimum') || has(node, 'exclusiveMinimum');
      const max = has(node, 'maximum') || has(node, 'exclusiveMaximum');
      if (min && max) return undefined;
      const missing = [min ? undefined : 'minimum', max ? undefined : 'maximum'].filter(Boolean);
      return `Request integer (${describe(ctx, site)}) has no ${missing.join(' or ')}.`;
    });
  },
};
