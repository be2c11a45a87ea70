import type { AuditRule } from '../types.js';
import { isAdminOperation } from '../util/operations.js';
import { snake } from '../util/names.js';

// Properties that grant privilege or money when a client can set them.
const PRIVILEGED =
  /^(is_)?(admin|administrator|superuser|super_user|staff|root)$|^(role|roles|user_role|permission|permissions|privilege|privileges|access_level|owner|owner_id|account_balance|balance|is_verified|email_verified|verified|is_approved|approved)$/;

export const massAssignment: AuditRule = {
  id: 'owasp:api3:mass-assignment',
  owasp: 'API3:2023',
  cwe: 'CWE-915',
  severity: 'medium',
  title: 'Privilege field writable by clients',
  rationale:
    'A request body that accepts `role`, `is_admin`, `owner_id`, `permissions` or `balance` lets a client grant itself privileges or money if the server binds the body to its model (mass assignment, OWASP API3:2023, CWE-915). `readOnly` properties and operations that are only administrative are not reported.',
  remediation:
    'Mark the property `readOnly`, drop it from the request schema, or accept it only on an admin operation with its own authorization.',
  run(ctx) {
    const byKey = new Map(ctx.model.operations.map((op) => [op.key, op]));
    for (const site of ctx.schemas.sites) {
      if (!site.request || site.propertyName === undefined) continue;
      if (!PRIVILEGED.test(snake(site.propertyName))) continue;
      const operations = ctx.schemas.operationsOf(site.node, 'request');
      const exposed = operations.filter((key) => {
        const op = byKey.get(key);
        return op !== undefined && op.method !== 'get' && !isAdminOperation(op);
      });
      if (exposed.length === 0) continue;
      ctx.report({
        message: `Request property '${site.propertyName}' can be set by clients (mass assignment).`,
        node: site.node,
        operations: exposed,
      });
    }
  },
};
