// Wraps a shared store (Redis) so that its outage can never crash or hang the gateway: every call has
// a short timeout, a circuit breaker stops calling a dead store, and the configured fail mode decides
// meanwhile. The outage is visible through `onEvent` (breaker transitions, errors, degraded
// decisions; observe.ts makes them metrics and log lines) and `log` (each store failure's cause).
//   open   - admit (availability first; the upstream takes the load).
//   closed - refuse with 503 (protection first).
//   local  - decide with a per-process memory store (each gateway enforces the limit on its own, so
//            N gateways admit up to N times the limit; bounded, and better than nothing).
import { BulwarkError } from '../../core/errors.js';
import { CircuitBreaker, type BreakerOptions } from './breaker.js';
import { capacity, MemoryStore } from './memory-store.js';
import type {
  Decision,
  EventListener,
  LimitSpec,
  RateLimitEvent,
  RateLimitStore,
} from './types.js';

export type FailMode = 'open' | 'closed' | 'local';

export type LogFn = (
  level: 'warn' | 'error' | 'info',
  message: string,
  fields?: Record<string, unknown>,
) => void;

export interface ResilientStoreOptions {
  readonly name?: string;
  readonly failMode: FailMode;
  /** Per-call timeout in ms (default 100). Keep it well below the gateway's own request timeout. */
  readonly timeoutMs?: number;
  readonly breaker?: BreakerOptions;
  readonly onEvent?: EventListener;
  readonly log?: LogFn;
  /** Capacity of the local fallback store (fail mode `local`). */
  readonly localMaxKeys?: number;
  /**
   * Resolves when the store is first connected. Until then decisions wait for it (within the
   * timeout) instead of falling to the fail mode, so a gateway that starts serving a moment before
   * its Redis connection is up does not admit a burst unchecked.
   */
  readonly ready?: Promise<unknown>;
}

const TIMEOUT = Symbol('timeout');

export class ResilientStore implements RateLimitStore {
  readonly breaker: CircuitBreaker;
  private readonly name: string;
  private readonly timeoutMs: number;
  private readonly local: MemoryStore | undefined;
  private degradedCount = 0;
  private ready: Promise<unknown> | undefined;

  constructor(
    private readonly inner: RateLimitStore,
    private readonly options: ResilientStoreOptions,
  ) {
    this.name = options.name ?? 'redis';
    this.timeoutMs = options.timeoutMs ?? 100;
    this.ready = options.ready;
    this.ready?.then(
      () => (this.ready = undefined),
      () => undefined,
    );
    if (!(this.timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
    this.local =
      options.failMode === 'local'
        ? new MemoryStore({ maxKeys: options.localMaxKeys ?? 10_000 })
        : undefined;
    this.breaker = new CircuitBreaker({
      ...options.breaker,
      onStateChange: (state) => {
        options.breaker?.onStateChange?.(state);
        const type =
          state === 'open'
            ? 'breaker-open'
            : state === 'half-open'
              ? 'breaker-half-open'
              : 'breaker-closed';
        // Transitions are events only: observe.ts turns them into metrics and (throttled) log lines.
        this.emit({ type, store: this.name });
      },
    });
  }

  /** Decisions taken by the fail mode since start (a gauge for dashboards). */
  get degradedDecisions(): number {
    return this.degradedCount;
  }

  async consume(spec: LimitSpec, key: string, cost: number): Promise<Decision> {
    if (!this.breaker.allow()) return this.degraded(spec, key, cost);
    try {
      if (this.ready) await this.withTimeout(this.ready);
      const decision = await this.withTimeout(this.inner.consume(spec, key, cost));
      this.breaker.success();
      return decision;
    } catch (error) {
      this.fail(error);
      return this.degraded(spec, key, cost);
    }
  }

  async refund(spec: LimitSpec, key: string, cost: number): Promise<void> {
    if (this.breaker.state !== 'closed') return;
    try {
      await this.withTimeout(this.inner.refund(spec, key, cost));
    } catch (error) {
      this.fail(error);
    }
  }

  async close(): Promise<void> {
    await this.local?.close();
    await this.inner.close();
  }

  private withTimeout<T>(promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMEOUT>((resolve) => {
      timer = setTimeout(resolve, this.timeoutMs, TIMEOUT);
    });
    // A late rejection after the timeout must not become an unhandled rejection.
    promise.catch(() => undefined);
    return Promise.race([promise, timeout]).then(
      (value) => {
        clearTimeout(timer);
        if (value === TIMEOUT) throw new Error('timed out');
        return value as T;
      },
      (error: unknown) => {
        clearTimeout(timer);
        throw error;
      },
    );
  }

  private fail(cause: unknown): void {
    this.breaker.failure();
    const error = new BulwarkError(
      'BULWARK_ERR_RATELIMIT_STORE',
      'the rate-limit store failed or timed out',
      { cause },
    );
    this.emit({ type: 'store-error', store: this.name, error });
    this.log('warn', error.message, {
      code: error.code,
      cause: cause instanceof Error ? cause.message : String(cause),
    });
  }

  private degraded(spec: LimitSpec, key: string, cost: number): Decision {
    this.degradedCount++;
    let decision: Decision;
    if (this.local) {
      decision = { ...this.local.consumeSync(spec, key, cost), degraded: true };
    } else if (this.options.failMode === 'open') {
      decision = {
        allowed: true,
        limit: capacity(spec),
        remaining: capacity(spec),
        resetMs: 0,
        retryAfterMs: 0,
        banned: false,
        at: Date.now(),
        degraded: true,
      };
    } else {
      const wait = Math.max(1_000, this.breaker.retryInMs());
      decision = {
        allowed: false,
        limit: capacity(spec),
        remaining: 0,
        resetMs: wait,
        retryAfterMs: wait,
        banned: false,
        at: Date.now(),
        degraded: true,
      };
    }
    this.emit({ type: 'degraded-decision', store: this.name, allowed: decision.allowed });
    return decision;
  }

  private emit(event: RateLimitEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A faulty metrics hook must not break decisions.
    }
  }

  private log(
    level: 'warn' | 'error' | 'info',
    message: string,
    fields?: Record<string, unknown>,
  ): void {
    try {
      this.options.log?.(level, message, fields);
    } catch {
      // Same as emit: logging never breaks a decision.
    }
  }
}
