// Token bucket: capacity `burst`, refilled at `limit` tokens per `periodMs`.
// Exact integer arithmetic: a token is `periodMs` units and the bucket refills `limit` units per ms,
// so `tokens` is always an integer and two gateways computing the same inputs agree to the unit.
import type { LimitSpec } from '../types.js';
import { ceilDiv, type AlgorithmImpl, type Verdict } from './types.js';

export interface TokenBucketState {
  /** Scaled tokens: real tokens * periodMs. */
  tokens: number;
  /** Last refill time (ms); never moves backwards, so a clock step back cannot mint tokens. */
  last: number;
}

function refill(s: TokenBucketState, spec: LimitSpec, now: number): number {
  const cap = spec.burst * spec.periodMs;
  const elapsed = now - s.last;
  if (elapsed > 0) {
    // Compare before multiplying so a long idle key cannot overflow 2^53.
    s.tokens =
      elapsed >= ceilDiv(cap - s.tokens, spec.limit) ? cap : s.tokens + elapsed * spec.limit;
    s.last = now;
  }
  return cap;
}

export const tokenBucket: AlgorithmImpl<TokenBucketState> = {
  fresh: (spec, now) => ({ tokens: spec.burst * spec.periodMs, last: now }),
  decide(s, spec, now, cost): Verdict {
    const cap = refill(s, spec, now);
    const need = cost * spec.periodMs;
    const allowed = need <= s.tokens;
    if (allowed) s.tokens -= need;
    const resetMs = ceilDiv(cap - s.tokens, spec.limit);
    // A cost above capacity can never pass; answer one period rather than a misleading 0.
    const retryAfterMs = allowed
      ? 0
      : need > cap
        ? spec.periodMs
        : ceilDiv(need - s.tokens, spec.limit);
    return { allowed, remaining: Math.floor(s.tokens / spec.periodMs), resetMs, retryAfterMs };
  },
  refund(s, spec, now, cost) {
    const cap = refill(s, spec, now);
    s.tokens = Math.min(cap, s.tokens + cost * spec.periodMs);
  },
  idleMs: (s, spec, now) =>
    Math.max(0, s.last - now) + ceilDiv(spec.burst * spec.periodMs - s.tokens, spec.limit),
};
