// API4:2023 / CWE-770: request bodies have no size cap. A valid body is padded to
// scan.oversizedBodyBytes (2 MiB by default) in one string property. Proof: the write succeeds.
import { isLoginLike, isSensitiveFlow, location, consumesUrl } from '../engine/classify.js';
import { jsonMedia } from '../engine/builder.js';
import { ok } from '../engine/compare.js';
import type { ScanCheck } from '../types.js';

export const oversizedBody: ScanCheck = {
  id: 'scan:api4:oversized-body',
  owasp: 'API4:2023',
  cwe: 'CWE-770',
  severity: 'medium',
  confidence: 'certain',
  title: 'Oversized request bodies are accepted',
  remediation:
    'Cap request bodies before parsing (for example 1 MiB, answering 413), and declare maxLength on string properties.',
  intrusive: true,
  async run(ctx) {
    const identity = ctx.identities.all.find((i) => !i.admin);
    if (!identity) return;
    const candidates = ctx.model.operations.filter(
      (op) =>
        ['post', 'put', 'patch'].includes(op.method) &&
        jsonMedia(op) &&
        !isLoginLike(op) &&
        !isSensitiveFlow(op, ctx.settings) &&
        !consumesUrl(op),
    );
    // Prefer rewriting our own object over creating a new one.
    candidates.sort((a, b) => Number(b.path.includes('{')) - Number(a.path.includes('{')));
    for (const op of candidates) {
      const request = ctx.builder.build(op, {
        identity: identity.name,
        owner: identity.name,
        createdByScannerOnly: op.path.includes('{'),
      });
      const body = request?.json;
      if (!request || typeof body !== 'object' || body === null || Array.isArray(body)) continue;
      const key = Object.keys(body).find(
        (k) =>
          typeof (body as Record<string, unknown>)[k] === 'string' &&
          !/email|url|password/i.test(k),
      );
      if (!key) continue;
      const padded = { ...body, [key]: 'A'.repeat(ctx.settings.oversizedBodyBytes) };
      const attack = await ctx.http
        .send({ ...request, json: padded, timeoutMs: ctx.settings.timeoutMs * 2 })
        .catch(() => undefined);
      if (!ok(attack)) continue;
      if (op.method === 'post') ctx.objects.harvest(op, identity.name, attack, true);
      ctx.report({
        location: location(op, attack.exchange.request.url),
        message: `${op.key} accepted a ${Math.round(ctx.settings.oversizedBodyBytes / 1024)} KiB JSON body (${attack.status}).`,
        exchanges: [attack],
        detail: `Property '${key}' padded to ${ctx.settings.oversizedBodyBytes} bytes; the evidence body is cut, the curl reproduces it with the cut body only.`,
      });
      return; // one proof is enough: a body cap is global middleware
    }
  },
};
