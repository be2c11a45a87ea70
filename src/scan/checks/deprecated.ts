// API9:2023 / CWE-1059: operations the spec marks deprecated are still served with no Sunset header
// (RFC 8594), so clients get no date to migrate by. Proof: a success without Sunset.
import { location } from '../engine/classify.js';
import { ok } from '../engine/compare.js';
import type { ScanCheck } from '../types.js';

export const deprecatedOps: ScanCheck = {
  id: 'scan:api9:deprecated-no-sunset',
  owasp: 'API9:2023',
  cwe: 'CWE-1059',
  severity: 'low',
  confidence: 'certain',
  title: 'A deprecated operation is served without a Sunset date',
  remediation:
    'Announce retirement with Deprecation (RFC 9745) and Sunset (RFC 8594) headers, then remove the operation (410 Gone) on that date.',
  intrusive: false,
  async run(ctx) {
    const identity = ctx.identities.all.find((i) => !i.admin) ?? ctx.identities.all[0];
    for (const op of ctx.model.operations) {
      if (!op.deprecated || (op.method !== 'get' && !ctx.intrusive)) continue;
      const request = ctx.builder.build(
        op,
        identity ? { identity: identity.name, owner: identity.name } : {},
      );
      if (!request) continue;
      const response = await ctx.http.send(request);
      if (!ok(response) || response.headers['sunset'] !== undefined) continue;
      ctx.report({
        location: location(op, response.exchange.request.url),
        message: `Deprecated ${op.key} answered ${response.status} with no Sunset header.`,
        exchanges: [response],
      });
    }
  },
};
