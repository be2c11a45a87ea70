import type { LimitSpec } from '../types.js';

/** What an algorithm answers for one decision; the store adds `banned`/`degraded`. */
export interface Verdict {
  allowed: boolean;
  remaining: number;
  resetMs: number;
  retryAfterMs: number;
}

/**
 * One algorithm over a mutable per-key state. The memory store owns the state objects and lets the
 * algorithm mutate them in place (no allocation per decision); redis-scripts.ts mirrors the same
 * integer arithmetic in Lua, and test/protect/ratelimit checks both against reference models.
 */
export interface AlgorithmImpl<S> {
  fresh(spec: LimitSpec, now: number): S;
  decide(state: S, spec: LimitSpec, now: number, cost: number): Verdict;
  refund(state: S, spec: LimitSpec, now: number, cost: number): void;
  /** Ms from `now` after which the state equals a fresh one, so the store may forget it. */
  idleMs(state: S, spec: LimitSpec, now: number): number;
}

export const ceilDiv = (a: number, b: number): number => Math.ceil(a / b);
