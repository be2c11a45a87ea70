// Shared types of the rate-limit library. Everything here is engine-independent: the gateway stage
// (src/protect/stages/ratelimit.ts) adapts a request to these types and a decision to HTTP.
// Time is integer milliseconds everywhere, and all arithmetic is integer so that decisions are exact
// (no float drift between gateways, unlike Kong/kong#5311); see algorithms/*.ts.

export const ALGORITHMS = [
  'token-bucket',
  'gcra',
  'sliding-window-log',
  'sliding-window-counter',
  'fixed-window',
] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** Graduated enforcement (API4:2023): warn = headers only, throttle = 429, block = 429 + temporary ban. */
export type Enforcement = 'warn' | 'throttle' | 'block';

/** Temporary ban after repeated violations. */
export interface BlockParams {
  /** Violations (denied decisions) that trigger the ban. */
  readonly after: number;
  /** Violations are counted within this many ms. */
  readonly withinMs: number;
  /** How long the ban lasts, in ms. */
  readonly durationMs: number;
}

/** One limit, compiled: what every store needs to decide. */
export interface LimitSpec {
  readonly algorithm: Algorithm;
  /** Quota per period (requests or cost units). */
  readonly limit: number;
  /** Period (window) in ms. */
  readonly periodMs: number;
  /** Bucket capacity for token-bucket and gcra; defaults to `limit`. Ignored by the window algorithms. */
  readonly burst: number;
  readonly block?: BlockParams;
}

/** The answer of one limit for one key. */
export interface Decision {
  readonly allowed: boolean;
  /** The quota this decision was measured against (capacity). */
  readonly limit: number;
  /** Units left after this decision (0 when denied). */
  readonly remaining: number;
  /** Ms until the quota is fully available again (RateLimit `t`). */
  readonly resetMs: number;
  /** Ms until this same request could be admitted (0 when allowed). */
  readonly retryAfterMs: number;
  /** True when the key is serving a temporary ban (enforcement: block). */
  readonly banned: boolean;
  /** When it was decided (ms since the epoch, on the store's clock: Redis TIME for Redis, except the
   * Redis fixed window, which reads no clock on its common path: there, the gateway's clock when the
   * answer arrived). */
  readonly at: number;
  /** True when the store failed and the fail mode decided (see resilient-store.ts). */
  readonly degraded?: boolean;
}

/** A store keeps the per-key state of every limit. Stores are interchangeable. */
export interface RateLimitStore {
  /** Decide and, when allowed, consume `cost` units for `key`. Atomic per key. */
  consume(spec: LimitSpec, key: string, cost: number): Promise<Decision>;
  /** Give back `cost` units previously consumed (quotas counted only on success). Best effort. */
  refund(spec: LimitSpec, key: string, cost: number): Promise<void>;
  close(): Promise<void>;
}

/** Observable events, for metrics and logs. Listeners must not throw. */
export type RateLimitEvent =
  | { readonly type: 'store-error'; readonly store: string; readonly error: unknown }
  | { readonly type: 'breaker-open'; readonly store: string }
  | { readonly type: 'breaker-half-open'; readonly store: string }
  | { readonly type: 'breaker-closed'; readonly store: string }
  | { readonly type: 'degraded-decision'; readonly store: string; readonly allowed: boolean }
  | { readonly type: 'evicted'; readonly store: string; readonly count: number }
  | {
      readonly type: 'limited';
      readonly rule: string;
      readonly enforcement: Enforcement;
      readonly banned: boolean;
    }
  | { readonly type: 'ban'; readonly rule: string; readonly durationMs: number }
  | { readonly type: 'login-penalty'; readonly scope: 'account' | 'address'; readonly ms: number }
  | {
      readonly type: 'enumeration';
      readonly reason: 'distinct-ids' | 'error-ratio' | 'sequential-ids';
      readonly blocked: boolean;
    };

export type EventListener = (event: RateLimitEvent) => void;

/** A clock in integer ms; injected in tests so no test sleeps. */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();
