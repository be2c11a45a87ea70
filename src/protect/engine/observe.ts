// Logs and metrics. One JSON log line per request (pino) with the request id, operation, decision,
// code and reason; tokens, keys, cookies and passwords never reach it: the gateway logs no header
// values, no bodies and no query strings (only the normalised path). Prometheus metrics use a private registry
// and label children bound once per operation and decision.
import { pino, type Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestContext } from './context.js';

// pino's redact list would cost a path walk on every line; the gateway's lines are built from fixed
// fields (ids, the normalised path, codes, its own reasons), so there is nothing to redact. Error
// lines carry only the message. test/protect/engine/proxy.test.ts proves no secret reaches the log.
export function createLogger(destination?: NodeJS.WritableStream, level = 'info'): Logger {
  return pino(
    {
      level,
      base: { service: 'bulwark-protect' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination({ dest: 2, sync: false }),
  );
}

type Child<T> = { inc?: (n?: number) => void; observe?: (v: number) => void } & T;

export class Observer {
  readonly logger: Logger;
  readonly registry = new Registry();
  private readonly requests: Counter<'operation' | 'decision' | 'code'>;
  private readonly duration: Histogram<'operation'>;
  private readonly upstreamErrors: Counter<'kind'>;
  readonly inFlight: Gauge;
  private readonly children = new Map<string, Child<object>>();

  constructor(logger: Logger) {
    this.logger = logger;
    collectDefaultMetrics({ register: this.registry, prefix: 'bulwark_' });
    this.requests = new Counter({
      name: 'bulwark_requests_total',
      help: 'Requests by operation, decision and refusal code',
      labelNames: ['operation', 'decision', 'code'],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: 'bulwark_request_duration_seconds',
      help: 'Time from request to the end of the answer, by operation',
      labelNames: ['operation'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [this.registry],
    });
    this.upstreamErrors = new Counter({
      name: 'bulwark_upstream_errors_total',
      help: 'Upstream failures by kind (connect, timeout, tls, reset, too_large, contract)',
      labelNames: ['kind'],
      registers: [this.registry],
    });
    this.inFlight = new Gauge({
      name: 'bulwark_requests_in_flight',
      help: 'Requests being processed',
      registers: [this.registry],
    });
  }

  upstreamError(kind: string): void {
    this.upstreamErrors.inc({ kind });
  }

  /** Called once per request when the answer is finished or the client went away. */
  done(ctx: RequestContext, status: number, aborted: boolean): void {
    const seconds = (performance.now() - ctx.startedAt) / 1000;
    const operation = ctx.operation?.key ?? 'undocumented';
    const code = ctx.code ?? '';
    const key = `${operation}\u0000${ctx.decision}\u0000${code}`;
    let counter = this.children.get(key);
    if (!counter) {
      counter = this.requests.labels(operation, ctx.decision, code);
      this.children.set(key, counter);
    }
    counter.inc!();
    let hist = this.children.get(operation);
    if (!hist) {
      hist = this.duration.labels(operation);
      this.children.set(operation, hist);
    }
    hist.observe!(seconds);
    if (!this.logger.isLevelEnabled('info')) return;
    this.logger.info({
      requestId: ctx.id,
      method: ctx.method,
      path: ctx.path || undefined,
      operation: ctx.operation?.key,
      status,
      decision: ctx.decision,
      code: ctx.code,
      reason: ctx.reason,
      violations: ctx.violations,
      client: ctx.clientAddress,
      subject: ctx.identity?.subject,
      ms: Math.round(seconds * 1e6) / 1e3,
      aborted: aborted || undefined,
    });
  }
}
