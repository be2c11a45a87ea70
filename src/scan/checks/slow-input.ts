// API4:2023 / CWE-1333: response time grows abnormally with input size, a hint of catastrophic
// regex backtracking (ReDoS) or quadratic parsing. The check sends a short and a long string in
// pattern-constrained or search-like query inputs. Proof is statistical, so this is a tentative,
// low-severity hint: the long input must be slower than the short one by a large factor, twice.
import { location } from '../engine/classify.js';
import type { ScanCheck, ScanResponse } from '../types.js';

const SEARCHY = /^(q|query|search|filter|email|name|pattern|regex|term|keyword)$/i;
const SLOW_MS = 1_500;
const FACTOR = 10;
// Long enough to show super-linear growth, short enough for a 16 KiB request line (Node's default).
const LONG = 10_000;

export const slowInput: ScanCheck = {
  id: 'scan:api4:slow-input',
  owasp: 'API4:2023',
  cwe: 'CWE-1333',
  severity: 'low',
  confidence: 'tentative',
  title: 'Response time grows abnormally with input size (ReDoS hint)',
  remediation:
    'Bound input lengths (maxLength) before matching, and use linear-time regular expressions (no nested quantifiers), or a regex engine without backtracking (RE2).',
  intrusive: false,
  async run(ctx) {
    const identity = ctx.identities.all.find((i) => !i.admin) ?? ctx.identities.all[0];
    let tested = 0;
    for (const op of ctx.model.operations) {
      if (op.method !== 'get' || tested >= 5) continue;
      const param = op.parameters.find(
        (p) =>
          p.in === 'query' &&
          typeof p.schema === 'object' &&
          (p.schema['pattern'] !== undefined || SEARCHY.test(p.name)),
      );
      if (!param) continue;
      const request = ctx.builder.build(
        op,
        identity ? { identity: identity.name, owner: identity.name } : {},
      );
      if (!request) continue;
      tested++;
      const timed = async (value: string): Promise<ScanResponse | undefined> =>
        ctx.http
          .send({
            ...request,
            query: { ...request.query, [param.name]: value },
            timeoutMs: SLOW_MS * 4,
          })
          .catch(() => undefined);
      const short = await timed(`${'a'.repeat(64)}!`);
      const long = await timed(`${'a'.repeat(LONG)}!`);
      if (!short || !long || long.elapsedMs < SLOW_MS || long.elapsedMs < short.elapsedMs * FACTOR)
        continue;
      const again = await timed(`${'a'.repeat(LONG)}!`);
      if (!again || again.elapsedMs < SLOW_MS) continue;
      ctx.report({
        location: location(op, long.exchange.request.url),
        message: `${op.key}: a ${LONG}-character '${param.name}' took ${Math.round(long.elapsedMs)} ms against ${Math.round(short.elapsedMs)} ms for 65 characters.`,
        exchanges: [short, long],
      });
    }
  },
};
