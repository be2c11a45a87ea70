// API5:2023 / CWE-285: admin functions work for a low-privilege identity. Admin operations are found
// by tag, path, security scopes or config. Proof: the low-privilege call succeeds where the anonymous
// one is refused, and (when an admin identity exists) the admin's control call succeeds too. Writes
// are tried only with --intrusive and only on objects this scan created.
import { isAdminOperation, location } from '../engine/classify.js';
import { ok } from '../engine/compare.js';
import type { ScanCheck } from '../types.js';

export const bfla: ScanCheck = {
  id: 'scan:api5:bfla',
  owasp: 'API5:2023',
  cwe: 'CWE-285',
  severity: 'high',
  confidence: 'certain',
  title: 'An admin function works for a non-admin identity',
  remediation:
    "Check the caller's role or scope on every privileged operation, deny by default, and keep admin routes behind a separate authorization middleware (and ideally a separate host).",
  intrusive: false,
  async run(ctx) {
    const pair = ctx.identities.lowAndAdmin();
    if (!pair) return;
    const { low, admin } = pair;
    for (const op of ctx.model.operations) {
      if (!isAdminOperation(op, ctx.settings)) continue;
      const safe = op.method === 'get' || op.method === 'head';
      if (!safe && !ctx.intrusive) continue;
      // Writes aim only at objects this scan made; never at the seeded admin's or users' data.
      const request = ctx.builder.build(op, {
        identity: low.name,
        ...(safe ? {} : { createdByScannerOnly: true }),
      });
      if (!request || (!safe && op.path.includes('{') && !request.target)) continue;
      const anonymous = await ctx.http.send({ ...request, identity: null });
      if (ok(anonymous)) continue; // public: not a function-level question
      const control =
        admin && safe ? await ctx.http.send({ ...request, identity: admin.name }) : undefined;
      if (control && !ok(control)) continue;
      const attack = await ctx.http.send(request);
      if (!ok(attack)) continue;
      ctx.report({
        location: location(op, attack.exchange.request.url),
        message: `Admin operation ${op.key} answered ${attack.status} to '${low.name}' (role ${low.role}).`,
        exchanges: [...(control ? [control] : []), anonymous, attack],
        detail: `Anonymous: ${anonymous.status}. ${control ? `Admin '${admin?.name}': ${control.status}. ` : ''}'${low.name}': ${attack.status}.`,
      });
    }
  },
};
