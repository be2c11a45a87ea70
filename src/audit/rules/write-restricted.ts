import type { AuditRule } from '../types.js';
import { isAnonymous, WRITE_METHODS } from '../util/operations.js';

export const writeRestricted: AuditRule = {
  id: 'owasp:api2:write-restricted',
  owasp: 'API2:2023',
  cwe: 'CWE-306',
  severity: 'high',
  title: 'Write operation without authentication',
  rationale:
    'An operation that creates, changes or deletes data with no security requirement lets anyone do it (CWE-306, OWASP API2:2023). An alternative with no scheme (`security: [{}]`) makes authentication optional, which is the same.',
  remediation:
    'Declare a security requirement on the operation or at the root. If it is public on purpose, say why with `x-bulwark-ignore`.',
  spectral: ['owasp:api2:2023-write-restricted'],
  run(ctx) {
    for (const op of ctx.model.operations) {
      if (!WRITE_METHODS.has(op.method)) continue;
      const anonymous = isAnonymous(op);
      if (anonymous === false) continue;
      const why = {
        undeclared: 'declares no security requirement',
        public: 'is explicitly public (`security: []`)',
        optional: 'allows anonymous access (`security: [{}]`)',
      }[anonymous];
      ctx.report({ message: `Write operation ${op.key} ${why}.`, operation: op, node: op });
    }
  },
};
