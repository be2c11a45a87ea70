// API2:2023: operations the spec protects answer without any credentials. Proof: the identity's read
// succeeds (control), the anonymous read succeeds with the same content, twice.
import { location, requiresAuth } from '../engine/classify.js';
import { ok, sameContent } from '../engine/compare.js';
import type { ScanCheck } from '../types.js';

export const authMissing: ScanCheck = {
  id: 'scan:api2:auth-missing',
  owasp: 'API2:2023',
  cwe: 'CWE-306',
  severity: 'high',
  confidence: 'certain',
  title: 'A protected operation answers without authentication',
  remediation:
    'Authenticate every operation the spec protects, by default (deny unless an operation is explicitly public), in one middleware rather than per handler.',
  intrusive: false,
  async run(ctx) {
    const identity = ctx.identities.all.find((i) => !i.admin) ?? ctx.identities.all[0];
    if (!identity) return;
    for (const op of ctx.model.operations) {
      if (op.method !== 'get' || !requiresAuth(op, ctx.model)) continue;
      const request = ctx.builder.build(op, { identity: identity.name, owner: identity.name });
      if (!request) continue;
      const control = await ctx.http.send(request);
      if (!ok(control)) continue;
      const anonymous = await ctx.http.send({ ...request, identity: null });
      if (!ok(anonymous) || !sameContent(control, anonymous)) continue;
      const replay = await ctx.http.send({ ...request, identity: null });
      if (!ok(replay)) continue;
      ctx.report({
        location: location(op, anonymous.exchange.request.url),
        message: `${op.key} requires authentication in the spec but answered ${anonymous.status} with no credentials.`,
        exchanges: [control, anonymous],
      });
    }
  },
};
