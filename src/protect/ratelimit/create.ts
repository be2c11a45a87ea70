// Builds the whole resource-control toolkit from a validated `protect.rateLimit` section: the store
// (memory, or Redis behind timeouts, a breaker and the fail mode), the limiter, quotas, the login
// guard and the enumeration detector. The gateway stage calls this once at startup.
import type { Redis } from 'ioredis';
import { checkRateLimitConfig, type RateLimitConfig } from './config.js';
import { parseDuration } from './duration.js';
import { EnumerationDetector, type EnumerationAlert } from './enumeration.js';
import { RateLimiter } from './limiter.js';
import { LoginGuard } from './login-guard.js';
import { MemoryStore } from './memory-store.js';
import { observeResourceControls, type ObserveHooks, type ObserveTargets } from './observe.js';
import { QuotaTracker } from './quota.js';
import { createRateLimitRedis, waitReady } from './redis-client.js';
import { RedisStore } from './redis-store.js';
import { ResilientStore, type LogFn } from './resilient-store.js';
import type { EventListener, RateLimitStore } from './types.js';

export interface ResourceControls {
  readonly store: RateLimitStore;
  readonly limiter: RateLimiter;
  readonly quotas: QuotaTracker;
  readonly login: LoginGuard | undefined;
  readonly enumeration: EnumerationDetector | undefined;
  readonly redis: Redis | undefined;
  close(): Promise<void>;
}

export interface CreateOptions {
  readonly onEvent?: EventListener;
  readonly log?: LogFn;
  readonly onEnumerationAlert?: (alert: EnumerationAlert) => void;
  /** The gateway's logger and metrics registry: events become metrics and log lines (observe.ts). */
  readonly observe?: ObserveTargets;
}

/** Both listeners, when both are given (the caller's own hooks and the gateway's metrics). */
function both<A extends unknown[]>(
  a: ((...args: A) => void) | undefined,
  b: ((...args: A) => void) | undefined,
): ((...args: A) => void) | undefined {
  if (!a || !b) return a ?? b;
  return (...args) => {
    a(...args);
    b(...args);
  };
}

function withObserve(options: CreateOptions, hooks: ObserveHooks | undefined): CreateOptions {
  if (!hooks) return options;
  const onEvent = both(hooks.onEvent, options.onEvent);
  const log = both(hooks.log, options.log);
  const onAlert = both(hooks.onEnumerationAlert, options.onEnumerationAlert);
  return {
    ...(onEvent ? { onEvent } : {}),
    ...(log ? { log } : {}),
    ...(onAlert ? { onEnumerationAlert: onAlert } : {}),
  };
}

export function createResourceControls(raw: unknown, given: CreateOptions = {}): ResourceControls {
  const config: RateLimitConfig = checkRateLimitConfig(raw ?? {});
  const observed = given.observe ? observeResourceControls(given.observe) : undefined;
  const options = withObserve(given, observed);
  const s = config.store ?? { type: 'memory' as const };
  let store: RateLimitStore;
  let redis: Redis | undefined;
  if (s.type === 'redis') {
    const timeoutMs = parseDuration(s.timeout ?? '100ms');
    redis = createRateLimitRedis(s.url, {
      commandTimeoutMs: timeoutMs,
      ...(options.log ? { log: options.log } : {}),
    });
    const redisStore = new RedisStore(redis, {
      prefix: s.prefix ?? 'bulwark:rl:',
      // Read at each decision (not captured), so the clock is the gateway's at that moment.
      ...(s.clock === 'gateway' ? { now: () => Date.now() } : {}),
    });
    store = new ResilientStore(redisStore, {
      failMode: s.failMode ?? 'open',
      timeoutMs,
      ready: waitReady(redis, 60_000),
      breaker: {
        failureThreshold: s.breaker?.failures ?? 5,
        cooldownMs: parseDuration(s.breaker?.cooldown ?? '1s'),
      },
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
    observed?.storeStarted('redis');
  } else {
    store = new MemoryStore({ maxKeys: s.maxKeys ?? 100_000 });
  }
  const hooks = options.onEvent ? { onEvent: options.onEvent } : {};
  let closing: Promise<void> | undefined;
  return {
    store,
    redis,
    limiter: new RateLimiter(config, { store, ...hooks }),
    quotas: new QuotaTracker(config.quotas ?? [], store, config.revealLimits ?? false),
    login: config.login ? new LoginGuard(config.login, hooks) : undefined,
    enumeration: config.enumeration
      ? new EnumerationDetector(config.enumeration, {
          ...hooks,
          ...(options.onEnumerationAlert ? { onAlert: options.onEnumerationAlert } : {}),
        })
      : undefined,
    // Three stages share one toolkit and each closes it: the first call closes, the rest share it.
    close() {
      closing ??= (async () => {
        try {
          await store.close();
        } finally {
          // disconnect, not quit: quit waits for a reply that a dead Redis never sends.
          redis?.disconnect();
        }
      })();
      return closing;
    },
  };
}

const shared = new WeakMap<object, ResourceControls>();

/**
 * One toolkit per compiled gateway: its rate-limit stages (request, guard and settle phases) compile
 * separately but must share counters. `scope` is an object unique to one gateway compilation (the
 * stage compile input's operation list), so two gateways built from the same config never share
 * state by accident.
 */
export function controlsFor(
  scope: object,
  raw: object,
  options: CreateOptions = {},
): ResourceControls {
  let controls = shared.get(scope);
  if (!controls) {
    controls = createResourceControls(raw, options);
    shared.set(scope, controls);
  }
  return controls;
}
