// Sliding window counter (the approximation Cloudflare and Kong use): the previous window's count,
// weighted by how much of it still overlaps the sliding window, plus the current count.
// Admit iff prev * (P - e) / P + curr + cost <= L, evaluated as the integer inequality
// prev * (P - e) + (curr + cost) * P <= L * P, so there is no float rounding.
import type { LimitSpec } from '../types.js';
import type { AlgorithmImpl, Verdict } from './types.js';

export interface SlidingCounterState {
  win: number;
  prev: number;
  curr: number;
}

function roll(s: SlidingCounterState, spec: LimitSpec, now: number): number {
  const win = Math.floor(now / spec.periodMs);
  if (win > s.win) {
    s.prev = win === s.win + 1 ? s.curr : 0;
    s.curr = 0;
    s.win = win;
  }
  return now - s.win * spec.periodMs;
}

/** Smallest d >= 1 such that `cost` would be admitted at now + d (state unchanged meanwhile). */
function retryAfter(s: SlidingCounterState, spec: LimitSpec, e: number, cost: number): number {
  const P = spec.periodMs;
  const L = spec.limit;
  const left = P - e; // ms until the next window starts
  if (s.prev > 0 && L - s.curr - cost >= 0) {
    const d = Math.max(1, left - Math.floor(((L - s.curr - cost) * P) / s.prev));
    if (d < left) return d;
  }
  // In the next window the current count becomes `prev`.
  const e2 = s.curr > 0 ? Math.max(0, P - Math.floor(((L - cost) * P) / s.curr)) : 0;
  return left + e2;
}

export const slidingWindowCounter: AlgorithmImpl<SlidingCounterState> = {
  fresh: (spec, now) => ({ win: Math.floor(now / spec.periodMs), prev: 0, curr: 0 }),
  decide(s, spec, now, cost): Verdict {
    const e = roll(s, spec, now);
    const P = spec.periodMs;
    const weighted = s.prev * (P - e);
    const allowed = weighted + (s.curr + cost) * P <= spec.limit * P;
    if (allowed) s.curr += cost;
    const used = s.curr + Math.ceil(weighted / P);
    const resetMs = s.curr > 0 ? 2 * P - e : s.prev > 0 ? P - e : 0;
    let retryAfterMs = 0;
    if (!allowed) retryAfterMs = cost > spec.limit ? P : retryAfter(s, spec, e, cost);
    return { allowed, remaining: Math.max(0, spec.limit - used), resetMs, retryAfterMs };
  },
  refund(s, spec, now, cost) {
    roll(s, spec, now);
    s.curr = Math.max(0, s.curr - cost);
  },
  idleMs(s, spec, now) {
    const e = now - s.win * spec.periodMs;
    return s.curr > 0
      ? Math.max(0, 2 * spec.periodMs - e)
      : s.prev > 0
        ? Math.max(0, spec.periodMs - e)
        : 0;
  },
};
