// Business-flow quotas (API6:2023): e.g. 10 invitations per identity per 24 h, counted only when the
// upstream succeeds (2xx). A quota is reserved BEFORE forwarding (so concurrent requests cannot all
// pass a read-then-act check) and refunded when the answer is not a success; the count is therefore
// exact under concurrency, and failed attempts do not use up the quota.
import { parseDuration } from './duration.js';
import type { QuotaConfig } from './config.js';
import { retryAfterSeconds } from './headers.js';
import { buildKey, parseKeyPart, type KeyPart } from './keys.js';
import type { LimitOutcome } from './limiter.js';
import { inScope, type LimitRequest } from './request.js';
import type { LimitSpec, RateLimitStore } from './types.js';

interface CompiledQuota {
  readonly name: string;
  readonly spec: LimitSpec;
  readonly parts: readonly KeyPart[];
  readonly operations: ReadonlySet<string>;
}

export interface QuotaReservation {
  /** allowed, or a 429 refusal (code QUOTA_EXCEEDED) when a quota is used up. */
  readonly outcome: LimitOutcome;
  /** Call once with the final status: 2xx commits, anything else gives the units back. */
  settle(status: number): Promise<void>;
}

const NOTHING: QuotaReservation = Object.freeze({
  outcome: Object.freeze({
    allowed: true,
    status: 0,
    code: undefined,
    detail: undefined,
    reason: undefined,
    rule: undefined,
    headers: [],
  }),
  settle: () => Promise.resolve(),
});

export class QuotaTracker {
  readonly quotas: readonly CompiledQuota[];

  constructor(
    config: readonly QuotaConfig[],
    private readonly store: RateLimitStore,
    private readonly revealLimits = false,
  ) {
    this.quotas = config.map((q) => {
      const algorithm = q.algorithm ?? 'sliding-window-log';
      return Object.freeze({
        name: q.name,
        spec: Object.freeze({
          algorithm,
          limit: q.limit,
          periodMs: parseDuration(q.period),
          burst: q.limit,
        }),
        parts: (q.key ?? ['identity']).map(parseKeyPart),
        operations: new Set(q.operations),
      });
    });
  }

  /** True when some quota covers this operation (the stage compiles itself away otherwise). */
  covers(req: Pick<LimitRequest, 'operationId' | 'operationKey' | 'group'>): boolean {
    return this.quotas.some((q) => inScope(req as LimitRequest, q.operations, undefined));
  }

  async reserve(req: LimitRequest): Promise<QuotaReservation> {
    const taken: Array<[CompiledQuota, string]> = [];
    const giveBack = async (): Promise<void> => {
      await Promise.all(taken.map(([q, key]) => this.store.refund(q.spec, key, 1)));
    };
    for (const quota of this.quotas) {
      if (!inScope(req, quota.operations, undefined)) continue;
      const key = buildKey(`q:${quota.name}`, quota.parts, 'address', req);
      if (key === undefined) continue;
      const d = await this.store.consume(quota.spec, key, 1);
      if (!d.allowed) {
        await giveBack();
        const reveal = this.revealLimits
          ? ` Quota "${quota.name}": ${quota.spec.limit} per ${Math.ceil(quota.spec.periodMs / 1000)}s.`
          : '';
        return {
          outcome: {
            allowed: false,
            status: d.degraded ? 503 : 429,
            code: d.degraded ? 'RATE_LIMIT_UNAVAILABLE' : 'QUOTA_EXCEEDED',
            detail: `This action is not available again yet. Retry later.${reveal}`,
            reason: `quota "${quota.name}" used up`,
            rule: quota.name,
            headers: [['Retry-After', retryAfterSeconds(d.retryAfterMs)]],
          },
          settle: () => Promise.resolve(),
        };
      }
      taken.push([quota, key]);
    }
    if (taken.length === 0) return NOTHING;
    let settled = false;
    return {
      outcome: NOTHING.outcome,
      settle: async (status) => {
        if (settled) return;
        settled = true;
        if (status < 200 || status > 299) await giveBack();
      },
    };
  }
}
