// Circuit breaker for the shared store. When Redis is down, every request would otherwise wait for a
// timeout; after `failureThreshold` consecutive failures the breaker opens and decisions go straight
// to the fail mode. After `cooldownMs` one probe is let through (half-open); its success closes the
// breaker, so the gateway recovers by itself when Redis returns.
import { systemClock, type Clock } from './types.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  readonly failureThreshold?: number;
  readonly cooldownMs?: number;
  readonly clock?: Clock;
  readonly onStateChange?: (state: BreakerState) => void;
}

export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  readonly failureThreshold: number;
  readonly cooldownMs: number;
  private readonly clock: Clock;
  private readonly onStateChange: ((state: BreakerState) => void) | undefined;

  constructor(options: BreakerOptions = {}) {
    this.failureThreshold = options.failureThreshold ?? 5;
    this.cooldownMs = options.cooldownMs ?? 1_000;
    if (!(this.failureThreshold >= 1) || !(this.cooldownMs >= 0)) {
      throw new RangeError('breaker threshold must be >= 1 and cooldown >= 0');
    }
    this.clock = options.clock ?? systemClock;
    this.onStateChange = options.onStateChange;
  }

  get state(): BreakerState {
    return this.current;
  }

  /** May a call go to the store now? In half-open only one probe at a time is allowed. */
  allow(): boolean {
    if (this.current === 'closed') return true;
    if (this.current === 'open') {
      if (this.clock() - this.openedAt < this.cooldownMs) return false;
      this.set('half-open');
    }
    if (this.probing) return false;
    this.probing = true;
    return true;
  }

  /** Ms until the next probe may run (0 when closed). */
  retryInMs(): number {
    if (this.current === 'closed') return 0;
    return Math.max(0, this.openedAt + this.cooldownMs - this.clock());
  }

  success(): void {
    this.failures = 0;
    this.probing = false;
    if (this.current !== 'closed') this.set('closed');
  }

  failure(): void {
    this.probing = false;
    if (this.current === 'half-open') return this.open();
    if (++this.failures >= this.failureThreshold) this.open();
  }

  private open(): void {
    this.openedAt = this.clock();
    this.failures = 0;
    this.set('open');
  }

  private set(state: BreakerState): void {
    if (state === this.current) return;
    this.current = state;
    this.onStateChange?.(state);
  }
}
