// Makes the resource controls visible to operators: the library's events become Prometheus metrics
// on the gateway's registry and its messages become pino log lines. An outage must show (issue 6)
// without flooding: breaker boundaries (open after closed, closed again) are always logged, while
// repeated lines (store errors, half-open probes that fail again, fail-open / fail-closed decisions)
// are logged at most once per `intervalMs` per message, with the number of lines held back, so a
// Redis outage under load costs a few lines a minute, never one per request (CWE-779: logging
// excessive data hides the signal and can itself exhaust disk).
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { EnumerationAlert } from './enumeration.js';
import type { LogFn } from './resilient-store.js';
import type { EventListener, RateLimitEvent } from './types.js';

export interface ObserveTargets {
  readonly logger: Logger;
  readonly metrics: Registry;
}

export interface ObserveHooks {
  readonly onEvent: EventListener;
  readonly log: LogFn;
  readonly onEnumerationAlert: (alert: EnumerationAlert) => void;
  /** A shared store starts closed: the gauge exists before the first transition. */
  readonly storeStarted: (store: string) => void;
}

const STATES = ['closed', 'half-open', 'open'] as const;

/** Registers a metric once per registry (a second toolkit on the same registry reuses it). */
function metric<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

function counter(registry: Registry, name: string, help: string, labelNames: string[]): Counter {
  return metric(
    registry,
    name,
    () => new Counter({ name, help, labelNames, registers: [registry] }),
  );
}

/** Logs each message at most once per interval; the next line says how many were held back. */
export class ThrottledLog {
  private readonly last = new Map<string, { at: number; held: number }>();
  constructor(
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  write(level: 'warn' | 'error' | 'info', message: string, fields: Record<string, unknown> = {}) {
    const now = this.clock();
    const seen = this.last.get(message);
    if (seen && now - seen.at < this.intervalMs) {
      seen.held++;
      return;
    }
    const held = seen?.held ?? 0;
    this.last.set(message, { at: now, held: 0 });
    this.logger[level]({ ...fields, ...(held > 0 ? { suppressed: held } : {}) }, message);
  }

  /** Logs now, whatever the interval (outage boundaries), and restarts the message's interval. */
  always(level: 'warn' | 'error' | 'info', message: string, fields: Record<string, unknown> = {}) {
    this.last.delete(message);
    this.write(level, message, fields);
  }
}

export function observeResourceControls(
  targets: ObserveTargets,
  options: { readonly intervalMs?: number; readonly clock?: () => number } = {},
): ObserveHooks {
  const registry = targets.metrics;
  const logger = targets.logger.child({ component: 'rate-limit' });
  const throttled = new ThrottledLog(logger, options.intervalMs ?? 10_000, options.clock);
  const state = metric(
    registry,
    'bulwark_ratelimit_store_state',
    () =>
      new Gauge({
        name: 'bulwark_ratelimit_store_state',
        help: 'Circuit breaker state of the shared rate-limit store: 1 for the current state',
        labelNames: ['store', 'state'],
        registers: [registry],
      }),
  );
  const errors = counter(
    registry,
    'bulwark_ratelimit_store_errors_total',
    'Rate-limit store calls that failed or timed out',
    ['store'],
  );
  const transitions = counter(
    registry,
    'bulwark_ratelimit_breaker_transitions_total',
    'Circuit breaker transitions of the rate-limit store, by the state entered',
    ['store', 'to'],
  );
  const degraded = counter(
    registry,
    'bulwark_ratelimit_degraded_decisions_total',
    'Decisions taken by the fail mode while the store was unavailable (allow = fail-open)',
    ['store', 'decision'],
  );
  const limited = counter(
    registry,
    'bulwark_ratelimit_limited_total',
    'Requests over a rate-limit rule, by rule and enforcement',
    ['rule', 'enforcement'],
  );
  const bans = counter(registry, 'bulwark_ratelimit_bans_total', 'Temporary bans started', [
    'rule',
  ]);
  const logins = counter(
    registry,
    'bulwark_ratelimit_login_penalties_total',
    'Login penalties started (backoff or lockout), per account or per address',
    ['scope'],
  );
  const alerts = counter(
    registry,
    'bulwark_ratelimit_enumeration_alerts_total',
    'Object-id enumeration alerts (API1), by signal',
    ['reason', 'blocked'],
  );
  const setState = (store: string, current: (typeof STATES)[number]): void => {
    for (const s of STATES) state.set({ store, state: s }, s === current ? 1 : 0);
  };
  let opened = false; // whether the current outage was already announced

  const onEvent = (event: RateLimitEvent): void => {
    switch (event.type) {
      case 'store-error':
        errors.inc({ store: event.store });
        return;
      case 'breaker-open':
        transitions.inc({ store: event.store, to: 'open' });
        setState(event.store, 'open');
        if (!opened) {
          opened = true;
          throttled.always('error', 'rate-limit store unavailable; circuit breaker open', {
            store: event.store,
          });
        } else {
          throttled.write('warn', 'rate-limit store still unavailable; probe failed', {
            store: event.store,
          });
        }
        return;
      case 'breaker-half-open':
        transitions.inc({ store: event.store, to: 'half-open' });
        setState(event.store, 'half-open');
        throttled.write('info', 'rate-limit store probe; circuit breaker half-open', {
          store: event.store,
        });
        return;
      case 'breaker-closed':
        transitions.inc({ store: event.store, to: 'closed' });
        setState(event.store, 'closed');
        opened = false;
        throttled.always('info', 'rate-limit store recovered; circuit breaker closed', {
          store: event.store,
        });
        return;
      case 'degraded-decision':
        degraded.inc({ store: event.store, decision: event.allowed ? 'allow' : 'deny' });
        throttled.write(
          'warn',
          event.allowed
            ? 'rate-limit store unavailable; fail-open: admitting without a limit'
            : 'rate-limit store unavailable; fail-closed: refusing',
          { store: event.store },
        );
        return;
      case 'evicted':
        return; // no store emits it yet (the memory store evicts silently, by design of CLOCK)
      case 'limited':
        limited.inc({ rule: event.rule, enforcement: event.enforcement });
        return;
      case 'ban':
        bans.inc({ rule: event.rule });
        return;
      case 'login-penalty':
        logins.inc({ scope: event.scope });
        return;
      case 'enumeration':
        return; // counted by onEnumerationAlert, which also logs it
    }
  };

  return {
    onEvent,
    storeStarted: (store) => setState(store, 'closed'),
    // The store's own lines (each failed call, the client's connection errors) repeat per call
    // during an outage, so they go through the throttle.
    log: (level, message, fields) => throttled.write(level, message, fields),
    onEnumerationAlert: (alert) => {
      alerts.inc({ reason: alert.reason, blocked: String(alert.blocked) });
      // Not throttled: each alert is a distinct security event, and the detector already raises at
      // most one per identity, signal and window.
      logger.warn({ ...alert }, 'object-id enumeration suspected');
    },
  };
}
