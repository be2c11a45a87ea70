// Reference models: the textbook definition of each algorithm, written naively with BigInt (no
// overflow, no shortcuts, full history kept) so they can judge the optimised implementations.
// Each model is plain data (structuredClone-able) so tests can probe "what if the client retried at t".
import type { LimitSpec } from '../../../src/protect/ratelimit/types.js';

export interface ModelVerdict {
  allowed: boolean;
  remaining: number;
  resetMs: number;
}

export interface Model {
  decide(now: number, cost: number): ModelVerdict;
}

const big = BigInt;
const ceilDivB = (a: bigint, b: bigint): bigint => (a <= 0n ? 0n : (a + b - 1n) / b);

/** Token bucket: tokens(t) = min(B, tokens(t0) + (t - t0) * L / P); stored as tokens * P. */
export function tokenBucketModel(spec: LimitSpec, t0: number): Model {
  const P = big(spec.periodMs);
  const L = big(spec.limit);
  const capP = big(spec.burst) * P;
  let tokensP = capP;
  let last = big(t0);
  return {
    decide(now, cost) {
      const t = big(now);
      if (t > last) {
        const refilled = tokensP + (t - last) * L;
        tokensP = refilled < capP ? refilled : capP;
        last = t;
      }
      const need = big(cost) * P;
      const allowed = need <= tokensP;
      if (allowed) tokensP -= need;
      return {
        allowed,
        remaining: Number(tokensP / P),
        resetMs: Number(ceilDivB(capP - tokensP, L)),
      };
    },
  };
}

/** GCRA virtual scheduling with rational TAT (stored times L). */
export function gcraModel(spec: LimitSpec, t0: number): Model {
  const L = big(spec.limit);
  const T = big(spec.periodMs); // emission interval, scaled by L
  const tau = big(spec.burst) * T;
  let tat = big(t0) * L;
  return {
    decide(now, cost) {
      const t = big(now) * L;
      const base = tat > t ? tat : t;
      const next = base + big(cost) * T;
      const allowed = next - t <= tau;
      if (allowed) tat = next;
      const debt = (tat > t ? tat : t) - t;
      return {
        allowed,
        remaining: Number((tau - debt) / T),
        resetMs: Number(ceilDivB(debt, L)),
      };
    },
  };
}

/** Fixed window: a count per window index, kept forever. */
export function fixedWindowModel(spec: LimitSpec): Model {
  const counts = new Map<number, number>();
  let maxWin = -Infinity;
  return {
    decide(now, cost) {
      maxWin = Math.max(maxWin, Math.floor(now / spec.periodMs));
      const w = maxWin;
      const c = counts.get(w) ?? 0;
      const allowed = c + cost <= spec.limit;
      const after = allowed ? c + cost : c;
      counts.set(w, after);
      return {
        allowed,
        remaining: spec.limit - after,
        resetMs: after === 0 ? 0 : (w + 1) * spec.periodMs - now,
      };
    },
  };
}

/** Sliding window counter: estimate = prev * (P - e) / P + curr, compared exactly with BigInt. */
export function slidingCounterModel(spec: LimitSpec): Model {
  const counts = new Map<number, number>();
  let maxWin = -Infinity;
  const P = big(spec.periodMs);
  return {
    decide(now, cost) {
      maxWin = Math.max(maxWin, Math.floor(now / spec.periodMs));
      const w = maxWin;
      const e = big(now - w * spec.periodMs);
      const prev = big(counts.get(w - 1) ?? 0);
      const curr = counts.get(w) ?? 0;
      const allowed = prev * (P - e) + big(curr + cost) * P <= big(spec.limit) * P;
      const after = allowed ? curr + cost : curr;
      counts.set(w, after);
      const used = after + Number(ceilDivB(prev * (P - e), P));
      const resetMs =
        after > 0 ? 2 * spec.periodMs - Number(e) : prev > 0n ? spec.periodMs - Number(e) : 0;
      return { allowed, remaining: Math.max(0, spec.limit - used), resetMs };
    },
  };
}

/** Sliding window log: every admitted (time, cost), the window sum recomputed from scratch. */
export function slidingLogModel(spec: LimitSpec): Model {
  const log: Array<[number, number]> = [];
  return {
    decide(now, cost) {
      const live = log.filter(([t]) => t + spec.periodMs > now);
      const sum = live.reduce((a, [, c]) => a + c, 0);
      const allowed = sum + cost <= spec.limit;
      if (allowed && cost > 0) log.push([Math.max(now, log.at(-1)?.[0] ?? now), cost]);
      const after = allowed ? sum + cost : sum;
      const newest = log.filter(([t]) => t + spec.periodMs > now).at(-1);
      return {
        allowed,
        remaining: spec.limit - after,
        resetMs: newest ? newest[0] + spec.periodMs - now : 0,
      };
    },
  };
}
