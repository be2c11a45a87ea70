// API4:2023 / CWE-770: page size is unbounded. A list's size parameter is sent far above any sane
// page (and above the schema's maximum when it has one). Proof: the answer is a success, twice.
import { location } from '../engine/classify.js';
import { ok } from '../engine/compare.js';
import type { ScanCheck } from '../types.js';

const SIZE_PARAM =
  /^(limit|page_?size|per_?page|size|count|max|max_?results|top|take|first|pagesize|perpage)$/i;
const HUGE = 1_000_000;

export const pageSize: ScanCheck = {
  id: 'scan:api4:unbounded-page-size',
  owasp: 'API4:2023',
  cwe: 'CWE-770',
  severity: 'medium',
  confidence: 'certain',
  title: 'Page size is unbounded',
  remediation:
    'Cap page size on the server (for example `maximum: 100` in the schema, enforced with 400 above it) and paginate with cursors.',
  intrusive: false,
  async run(ctx) {
    const identity = ctx.identities.all.find((i) => !i.admin) ?? ctx.identities.all[0];
    for (const op of ctx.model.operations) {
      if (op.method !== 'get') continue;
      const param = op.parameters.find((p) => p.in === 'query' && SIZE_PARAM.test(p.name));
      if (!param) continue;
      const request = ctx.builder.build(
        op,
        identity ? { identity: identity.name, owner: identity.name } : {},
      );
      if (!request) continue;
      const control = await ctx.http.send(request);
      if (!ok(control)) continue;
      const schema = typeof param.schema === 'object' ? param.schema : {};
      const declaredMax = typeof schema['maximum'] === 'number' ? schema['maximum'] : undefined;
      const value = String(Math.max(HUGE, (declaredMax ?? 0) + 1));
      const attack = await ctx.http.send({
        ...request,
        query: { ...request.query, [param.name]: value },
      });
      if (!ok(attack)) continue;
      const replay = await ctx.http.send({
        ...request,
        query: { ...request.query, [param.name]: value },
      });
      if (!ok(replay)) continue;
      ctx.report({
        location: location(op, attack.exchange.request.url),
        message: `${op.key} accepted ${param.name}=${value} (${attack.status})${declaredMax === undefined ? '' : `, above the declared maximum ${declaredMax}`}.`,
        exchanges: [control, attack],
      });
    }
  },
};
