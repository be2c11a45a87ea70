// Sliding window log: the exact sliding window. Every admitted request is logged with its time and
// cost until it leaves the window, so memory per key is bounded by `limit` entries (cost >= 1 each).
import type { LimitSpec } from '../types.js';
import type { AlgorithmImpl, Verdict } from './types.js';

export interface SlidingLogState {
  times: number[];
  costs: number[];
  /** Index of the oldest live entry; the arrays are compacted lazily to keep shifting O(1). */
  head: number;
  sum: number;
}

/** Drop entries that left the window (t + P <= now). */
function expire(s: SlidingLogState, spec: LimitSpec, now: number): void {
  while (s.head < s.times.length && (s.times[s.head] as number) + spec.periodMs <= now) {
    s.sum -= s.costs[s.head] as number;
    s.head++;
  }
  if (s.head === s.times.length) {
    s.times.length = 0;
    s.costs.length = 0;
    s.head = 0;
  } else if (s.head > 32 && s.head * 2 > s.times.length) {
    s.times.splice(0, s.head);
    s.costs.splice(0, s.head);
    s.head = 0;
  }
}

function newestExpiry(s: SlidingLogState, spec: LimitSpec, now: number): number {
  const n = s.times.length;
  return n > s.head ? (s.times[n - 1] as number) + spec.periodMs - now : 0;
}

export const slidingWindowLog: AlgorithmImpl<SlidingLogState> = {
  fresh: () => ({ times: [], costs: [], head: 0, sum: 0 }),
  decide(s, spec, now, cost): Verdict {
    expire(s, spec, now);
    // Time must not run backwards inside the log, or expiry order breaks.
    const last = s.times.length > s.head ? (s.times[s.times.length - 1] as number) : now;
    const t = Math.max(now, last);
    const allowed = s.sum + cost <= spec.limit;
    if (allowed && cost > 0) {
      s.times.push(t);
      s.costs.push(cost);
      s.sum += cost;
    }
    const resetMs = newestExpiry(s, spec, now);
    let retryAfterMs = 0;
    if (!allowed) {
      retryAfterMs = spec.periodMs; // only when cost > limit: it can never pass
      let freed = 0;
      for (let i = s.head; i < s.times.length; i++) {
        freed += s.costs[i] as number;
        if (s.sum - freed + cost <= spec.limit) {
          retryAfterMs = (s.times[i] as number) + spec.periodMs - now;
          break;
        }
      }
    }
    return { allowed, remaining: spec.limit - s.sum, resetMs, retryAfterMs };
  },
  refund(s, spec, now, cost) {
    expire(s, spec, now);
    // Remove the newest entries first: they were the reservation being refunded.
    let left = cost;
    while (left > 0 && s.times.length > s.head) {
      const i = s.costs.length - 1;
      const c = s.costs[i] as number;
      if (c <= left) {
        s.times.pop();
        s.costs.pop();
        s.sum -= c;
        left -= c;
      } else {
        s.costs[i] = c - left;
        s.sum -= left;
        left = 0;
      }
    }
  },
  idleMs: (s, spec, now) => Math.max(0, newestExpiry(s, spec, now)),
};
