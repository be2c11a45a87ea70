// Fixed window: windows aligned on multiples of periodMs since the epoch, so every gateway agrees
// on the window boundaries without coordination.
import type { AlgorithmImpl, Verdict } from './types.js';

export interface FixedWindowState {
  win: number;
  count: number;
}

export const fixedWindow: AlgorithmImpl<FixedWindowState> = {
  fresh: (spec, now) => ({ win: Math.floor(now / spec.periodMs), count: 0 }),
  decide(s, spec, now, cost): Verdict {
    const win = Math.floor(now / spec.periodMs);
    if (win > s.win) {
      s.win = win;
      s.count = 0;
    }
    const resetMs = (s.win + 1) * spec.periodMs - now;
    const allowed = s.count + cost <= spec.limit;
    if (allowed) s.count += cost;
    return {
      allowed,
      remaining: Math.max(0, spec.limit - s.count),
      resetMs: s.count === 0 ? 0 : resetMs,
      retryAfterMs: allowed ? 0 : resetMs,
    };
  },
  refund(s, spec, now, cost) {
    if (Math.floor(now / spec.periodMs) === s.win) s.count = Math.max(0, s.count - cost);
  },
  idleMs: (s, spec, now) => (s.count === 0 ? 0 : Math.max(0, (s.win + 1) * spec.periodMs - now)),
};
