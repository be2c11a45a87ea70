// Public surface of the rate-limit library (engine-independent; the gateway stage adapts it).
export * from './types.js';
export { algorithms } from './algorithms/index.js';
export { MemoryStore, DEFAULT_MAX_KEYS, capacity } from './memory-store.js';
export { RedisStore, type RedisStoreOptions } from './redis-store.js';
export {
  ResilientStore,
  type FailMode,
  type LogFn,
  type ResilientStoreOptions,
} from './resilient-store.js';
export { CircuitBreaker, type BreakerState } from './breaker.js';
export { createRateLimitRedis, redisClientOptions, waitReady } from './redis-client.js';
export {
  RateLimiter,
  compileRule,
  type CompiledRule,
  type LimitOutcome,
  type RefusalCode,
} from './limiter.js';
export { QuotaTracker, type QuotaReservation } from './quota.js';
export { LoginGuard, type LoginVerdict } from './login-guard.js';
export {
  EnumerationDetector,
  type EnumerationAlert,
  type EnumerationReason,
} from './enumeration.js';
export {
  checkRateLimitConfig,
  type RateLimitConfig,
  type RuleConfig,
  type QuotaConfig,
} from './config.js';
export { createResourceControls, controlsFor, type ResourceControls } from './create.js';
export type { LimitRequest } from './request.js';
export { parseDuration } from './duration.js';
