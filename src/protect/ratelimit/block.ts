// Temporary bans (graduated enforcement "block", API4:2023): after `after` denied decisions within
// `withinMs` of the first one, the key is refused outright for `durationMs`. The Redis script
// (redis-scripts.ts) implements the same rule with an INCR counter and a PX ban key.
import type { BlockParams } from './types.js';

export interface BanState {
  bannedUntil: number;
  violations: number;
  violationsSince: number;
}

export const noBan = (): BanState => ({ bannedUntil: 0, violations: 0, violationsSince: 0 });

/** Records one violation; returns the ban length in ms when this violation starts a ban, else 0. */
export function recordViolation(b: BanState, block: BlockParams, now: number): number {
  if (b.violations === 0 || now - b.violationsSince >= block.withinMs) {
    b.violations = 0;
    b.violationsSince = now;
  }
  b.violations++;
  if (b.violations < block.after) return 0;
  b.violations = 0;
  b.bannedUntil = now + block.durationMs;
  return block.durationMs;
}
