import type { AuditRule } from '../types.js';
import { isAdminOperation, requirementKey } from '../util/operations.js';

export const adminSecurityUnique: AuditRule = {
  id: 'owasp:api5:admin-security-unique',
  owasp: 'API5:2023',
  cwe: 'CWE-285',
  severity: 'high',
  title: 'Admin operation accepts the same credentials as user operations',
  rationale:
    'When an administrative operation has exactly the security requirement of ordinary ones, any user token can call it unless the code checks roles itself (OWASP API5:2023, CWE-285). Admin operations are found by path, tag or operationId, and inherited root security counts.',
  remediation:
    'Give admin operations their own scheme or an admin-only scope, so the gateway can refuse user tokens.',
  spectral: ['owasp:api5:2023-admin-security-unique'],
  run(ctx) {
    const userKeys = new Map<string, string>();
    for (const op of ctx.model.operations) {
      if (isAdminOperation(op)) continue;
      for (const req of op.security.declared ?? []) {
        if (req.schemes.length > 0 && !userKeys.has(requirementKey(req)))
          userKeys.set(requirementKey(req), op.key);
      }
    }
    for (const op of ctx.model.operations) {
      if (!isAdminOperation(op)) continue;
      const shared = (op.security.declared ?? []).find(
        (req) => req.schemes.length > 0 && userKeys.has(requirementKey(req)),
      );
      if (!shared) continue;
      const user = userKeys.get(requirementKey(shared)) as string;
      ctx.report({
        message: `Admin operation ${op.key} accepts the same security (${requirementKey(shared)}) as ${user}.`,
        operation: op,
        node: op,
        location:
          (op.security.fromOperation
            ? ctx.model.locatePointer(`${op.location.pointer}/security`, op.location.file)
            : undefined) ?? op.location,
      });
    }
  },
};
