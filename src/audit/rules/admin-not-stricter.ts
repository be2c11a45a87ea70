import type { SecurityRequirement } from '../../core/openapi/model.js';
import type { AuditRule } from '../types.js';
import { isAdminOperation, requirementKey } from '../util/operations.js';

/** A token that satisfies `user` also satisfies `admin`: same schemes, admin scopes a subset. */
function satisfiedBy(admin: SecurityRequirement, user: SecurityRequirement): boolean {
  if (admin.schemes.length === 0) return true;
  return admin.schemes.every((a) => {
    const u = user.schemes.find((s) => s.scheme.name === a.scheme.name);
    return u !== undefined && a.scopes.every((scope) => u.scopes.includes(scope));
  });
}

export const adminNotStricter: AuditRule = {
  id: 'owasp:api5:admin-not-stricter',
  owasp: 'API5:2023',
  cwe: 'CWE-285',
  severity: 'high',
  title: 'Admin operation requires no more than a user operation',
  rationale:
    'If the credentials a user operation requires are enough for an admin operation (same schemes, admin scopes a subset of the user scopes), every user can call the admin function (OWASP API5:2023, CWE-285). Identical requirements are reported by owasp:api5:admin-security-unique instead.',
  remediation: 'Require an admin-only scope or scheme on administrative operations.',
  run(ctx) {
    const users = ctx.model.operations.filter((op) => !isAdminOperation(op));
    for (const op of ctx.model.operations) {
      if (!isAdminOperation(op) || op.security.declared === undefined) continue;
      for (const admin of op.security.declared) {
        const key = requirementKey(admin);
        const user = users.find((u) =>
          (u.security.declared ?? []).some(
            (req) =>
              req.schemes.length > 0 && requirementKey(req) !== key && satisfiedBy(admin, req),
          ),
        );
        if (!user) continue;
        ctx.report({
          message: `Admin operation ${op.key} can be called with the credentials of ${user.key}${admin.schemes.length === 0 ? ' (it allows anonymous access)' : ''}.`,
          operation: op,
          node: op,
        });
        break;
      }
    }
  },
};
