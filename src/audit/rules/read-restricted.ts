import type { AuditRule } from '../types.js';
import { isAnonymous, READ_METHODS } from '../util/operations.js';

export const readRestricted: AuditRule = {
  id: 'owasp:api2:read-restricted',
  owasp: 'API2:2023',
  cwe: 'CWE-306',
  severity: 'low',
  title: 'Read operation without authentication',
  rationale:
    'Reads without any security requirement expose their data to anyone (CWE-306). Optional authentication (`security: [{}]`) on reads is a common, deliberate pattern and is not reported.',
  remediation:
    'Declare a security requirement, or document that the data is public with `x-bulwark-ignore` and a reason.',
  spectral: ['owasp:api2:2023-read-restricted'],
  run(ctx) {
    for (const op of ctx.model.operations) {
      if (!READ_METHODS.has(op.method)) continue;
      const anonymous = isAnonymous(op);
      if (anonymous !== 'undeclared' && anonymous !== 'public') continue;
      const why =
        anonymous === 'public' ? 'is explicitly public' : 'declares no security requirement';
      ctx.report({ message: `Read operation ${op.key} ${why}.`, operation: op, node: op });
    }
  },
};
