// API4:2023 / CWE-770: no rate limit. A bounded burst of cheap authenticated reads (scan.burst,
// sent at the scanner's capped rate) as one identity. Proof: every answer was a success and none was
// a 429 or carried Retry-After / RateLimit headers that ran out.
import { location, requiresAuth } from '../engine/classify.js';
import { ok } from '../engine/compare.js';
import type { ScanCheck, ScanResponse } from '../types.js';

export const rateLimit: ScanCheck = {
  id: 'scan:api4:no-rate-limit',
  owasp: 'API4:2023',
  cwe: 'CWE-770',
  severity: 'medium',
  confidence: 'firm',
  title: 'No rate limit: a burst of requests is never throttled',
  remediation:
    'Rate-limit per client and per identity (token bucket or sliding window, shared across instances), answering 429 with Retry-After and RateLimit headers (draft-ietf-httpapi-ratelimit-headers).',
  intrusive: false,
  async run(ctx) {
    const identity = ctx.identities.all.find((i) => !i.admin) ?? ctx.identities.all[0];
    const name = identity?.name ?? null;
    const op = ctx.model.operations.find(
      (o) =>
        o.method === 'get' &&
        !o.path.includes('{') &&
        (name === null || requiresAuth(o, ctx.model)) &&
        ok(ctx.baselines.get(`${name ?? '-'} ${o.key}`)),
    );
    if (!op) return;
    const request = ctx.builder.build(op, { identity: name });
    if (!request) return;
    // A throttle seen earlier in the scan already shows a rate limit: no burst needed to prove one.
    if (ctx.http.wasThrottled(request)) {
      ctx.note(`no-rate-limit: ${op.key} was throttled earlier in the scan: it has a rate limit`);
      return;
    }
    let first: ScanResponse | undefined;
    let last: ScanResponse | undefined;
    let sent = 0;
    // Sequential waves keep the burst honest under the scanner's own concurrency cap.
    const wave = Math.max(1, ctx.settings.concurrency);
    while (sent < ctx.settings.burst && !ctx.signal.aborted) {
      const size = Math.min(wave, ctx.settings.burst - sent);
      const answers = await Promise.all(
        Array.from({ length: size }, () => ctx.http.send({ ...request, retry429: false })),
      );
      sent += size;
      first ??= answers[0];
      for (const answer of answers) {
        if (answer.status === 429 || answer.headers['retry-after'] !== undefined || !ok(answer))
          return;
      }
      last = answers.at(-1);
    }
    if (!first || !last || sent < ctx.settings.burst) return;
    ctx.report({
      location: location(op, last.exchange.request.url),
      message: `${sent} requests to ${op.key} in a burst were all answered ${last.status}; none was throttled.`,
      exchanges: [first, last],
      detail: `Burst of ${sent} requests as '${name ?? 'anonymous'}', all 2xx, no 429 and no Retry-After.`,
    });
  },
};
