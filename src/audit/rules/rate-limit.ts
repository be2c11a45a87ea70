import type { AuditRule } from '../types.js';
import { hasHeader } from '../util/responses.js';

// The IETF draft (draft-ietf-httpapi-ratelimit-headers) and the common vendor spellings.
const HEADER_SETS: readonly (readonly string[])[] = [
  ['RateLimit'],
  ['RateLimit-Policy'],
  ['RateLimit-Limit', 'RateLimit-Reset'],
  ['X-RateLimit-Limit'],
  ['X-Rate-Limit-Limit'],
];

export const rateLimit: AuditRule = {
  id: 'owasp:api4:rate-limit',
  owasp: 'API4:2023',
  cwe: 'CWE-770',
  severity: 'low',
  title: 'Responses do not declare rate-limit headers',
  rationale:
    'Rate-limit headers (draft-ietf-httpapi-ratelimit-headers, or X-RateLimit-*) tell clients their budget and show that a limit exists (OWASP API4:2023, CWE-770). Reported once per operation, listing every 2XX/4XX response without them.',
  remediation:
    'Declare `RateLimit` (or `RateLimit-Limit` + `RateLimit-Reset`) headers on 2XX and 4XX responses.',
  spectral: ['owasp:api4:2023-rate-limit'],
  run(ctx) {
    for (const op of ctx.model.operations) {
      const missing = op.responses.filter(
        (r) =>
          /^[24]/.test(r.status) && !HEADER_SETS.some((set) => set.every((h) => hasHeader(r, h))),
      );
      const [first, ...rest] = missing;
      if (!first) continue;
      ctx.report({
        message: `${op.key}: ${missing.length} 2XX/4XX response(s) declare no rate-limit headers (${missing.map((r) => r.status).join(', ')}).`,
        operation: op,
        node: op,
        location: first.location,
        related: rest.map((r) => r.location),
      });
    }
  },
};
