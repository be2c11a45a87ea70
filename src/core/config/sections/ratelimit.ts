// The `protect.rateLimit` section of bulwark.yaml, as written (after ${ENV} substitution). Mirrors
// schema/parts/ratelimit.schema.json; src/protect/ratelimit/config.ts validates and normalises it.

export type Duration = number | string;

/** Same names as ALGORITHMS in src/protect/ratelimit/types.ts (a type test keeps them equal). */
export type RateLimitAlgorithm =
  'token-bucket' | 'gcra' | 'sliding-window-log' | 'sliding-window-counter' | 'fixed-window';

/** Graduated enforcement (API4:2023): warn = headers only, throttle = 429, block = 429 + ban. */
export type RateLimitEnforcement = 'warn' | 'throttle' | 'block';

/** What a decision does while the shared store is unreachable. */
export type RateLimitFailMode = 'open' | 'closed' | 'local';

/** Whose clock times the Redis store's windows: the Redis server's TIME, or each gateway's own. */
export type RateLimitClock = 'redis' | 'gateway';

/** The section as written (after ${ENV} substitution). */
export interface RateLimitConfig {
  readonly store?:
    | { readonly type: 'memory'; readonly maxKeys?: number }
    | {
        readonly type: 'redis';
        readonly url: string;
        readonly prefix?: string;
        readonly timeout?: Duration;
        readonly failMode?: RateLimitFailMode;
        readonly clock?: RateLimitClock;
        readonly breaker?: { readonly failures?: number; readonly cooldown?: Duration };
      };
  readonly headers?: boolean;
  readonly exposePolicy?: boolean;
  readonly revealLimits?: boolean;
  readonly rules?: readonly RuleConfig[];
  readonly quotas?: readonly QuotaConfig[];
  readonly login?: LoginConfig;
  readonly enumeration?: EnumerationConfig;
}

export interface RuleConfig {
  readonly name: string;
  readonly key: readonly string[];
  readonly algorithm?: RateLimitAlgorithm;
  readonly limit: number;
  readonly period: Duration;
  readonly burst?: number;
  readonly operations?: readonly string[];
  readonly groups?: readonly string[];
  readonly enforcement?: RateLimitEnforcement;
  readonly block?: {
    readonly after: number;
    readonly within?: Duration;
    readonly duration: Duration;
  };
  readonly onMissingKey?: 'address' | 'skip' | 'shared';
}

export interface QuotaConfig {
  readonly name: string;
  readonly operations: readonly string[];
  readonly key?: readonly string[];
  readonly limit: number;
  readonly period: Duration;
  readonly algorithm?: 'sliding-window-log' | 'fixed-window' | 'sliding-window-counter';
}

export interface LoginConfig {
  readonly operations: readonly string[];
  readonly account?: { readonly body?: string; readonly header?: string };
  readonly failureStatuses?: readonly number[];
  readonly perAccount?: { readonly failures: number; readonly within: Duration };
  readonly perAddress?: { readonly failures: number; readonly within: Duration };
  readonly penalty?: 'backoff' | 'lockout';
  readonly base?: Duration;
  readonly max?: Duration;
  readonly lockout?: Duration;
  readonly maxKeys?: number;
}

export interface EnumerationConfig {
  readonly operations?: readonly string[];
  readonly window?: Duration;
  readonly maxDistinctIds?: number;
  readonly maxErrorRatio?: number;
  readonly minRequests?: number;
  readonly sequentialRun?: number;
  readonly block?: Duration;
  readonly maxKeys?: number;
}
