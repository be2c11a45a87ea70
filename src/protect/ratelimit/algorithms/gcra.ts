// GCRA (generic cell rate algorithm, ITU-T I.371 virtual scheduling): one number per key, the
// theoretical arrival time (TAT). Emission interval T = periodMs / limit, tolerance = burst * T.
// TAT is kept as `ms + rem / limit` so every step is integer arithmetic and exact; the decisions equal
// the token bucket's with the same parameters (a known equivalence the tests check).
import type { AlgorithmImpl, Verdict } from './types.js';
import { ceilDiv } from './types.js';

export interface GcraState {
  tatMs: number;
  /** Fraction of a ms, in units of 1/limit ms; 0 <= rem < limit. */
  tatRem: number;
}

export const gcra: AlgorithmImpl<GcraState> = {
  fresh: (_spec, now) => ({ tatMs: now, tatRem: 0 }),
  decide(s, spec, now, cost): Verdict {
    const L = spec.limit;
    const tolerance = spec.burst * spec.periodMs; // in units of 1/L ms
    let tatMs = s.tatMs;
    let tatRem = s.tatRem;
    if (tatMs < now) {
      tatMs = now;
      tatRem = 0;
    }
    const total = tatRem + cost * spec.periodMs;
    const newMs = tatMs + Math.floor(total / L);
    const newRem = total % L;
    const newDebt = (newMs - now) * L + newRem;
    if (newDebt <= tolerance) {
      s.tatMs = newMs;
      s.tatRem = newRem;
      return {
        allowed: true,
        remaining: Math.floor((tolerance - newDebt) / spec.periodMs),
        resetMs: ceilDiv(newDebt, L),
        retryAfterMs: 0,
      };
    }
    const debt = (tatMs - now) * L + tatRem;
    const resetMs = ceilDiv(debt, L);
    return {
      allowed: false,
      remaining: Math.floor((tolerance - debt) / spec.periodMs),
      resetMs,
      retryAfterMs:
        cost * spec.periodMs > tolerance ? spec.periodMs : ceilDiv(newDebt - tolerance, L),
    };
  },
  refund(s, spec, now, cost) {
    const L = spec.limit;
    // Move TAT back by cost*T, never before now (a refund cannot create more than a full bucket).
    let debt = (s.tatMs - now) * L + s.tatRem - cost * spec.periodMs;
    if (debt < 0) debt = 0;
    s.tatMs = now + Math.floor(debt / L);
    s.tatRem = debt % L;
  },
  idleMs: (s, spec, now) =>
    Math.max(0, ceilDiv((s.tatMs - now) * spec.limit + s.tatRem, spec.limit)),
};
