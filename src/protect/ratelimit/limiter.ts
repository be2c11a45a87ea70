// The rate limiter: compiled rules, evaluated in order against one store. Rules stack (per client,
// per endpoint, global). Narrow rules run first and global rules last, and evaluation stops at the
// first refusal, so a client that is already over its own limit cannot drain the global budget that
// everyone else shares. A rule consumed before a later refusal is not given back (like Envoy's
// descriptors); order rules narrow-to-wide to keep that cost on the abuser.
import { parseDuration } from './duration.js';
import type { RateLimitConfig, RuleConfig } from './config.js';
import { policyItem, rateLimitItem, retryAfterSeconds } from './headers.js';
import { buildKey, parseKeyPart, type KeyPart, type OnMissingKey } from './keys.js';
import { MemoryStore } from './memory-store.js';
import { inScope, type LimitRequest } from './request.js';
import type { Decision, Enforcement, EventListener, LimitSpec, RateLimitStore } from './types.js';

export interface CompiledRule {
  readonly name: string;
  readonly spec: LimitSpec;
  readonly parts: readonly KeyPart[];
  readonly enforcement: Enforcement;
  readonly onMissing: OnMissingKey;
  readonly operations: ReadonlySet<string> | undefined;
  readonly groups: ReadonlySet<string> | undefined;
  /** Keyed on `global` alone: a refusal is the service's capacity, answered 503 (not the client's fault). */
  readonly global: boolean;
  readonly policyItem: string;
}

export type RefusalCode =
  | 'RATE_LIMITED'
  | 'RATE_LIMIT_BLOCKED'
  | 'RATE_LIMIT_GLOBAL'
  | 'RATE_LIMIT_UNAVAILABLE'
  | 'QUOTA_EXCEEDED'
  | 'LOGIN_THROTTLED';

export interface LimitOutcome {
  readonly allowed: boolean;
  /** 429 or 503 when refused; 0 when allowed. */
  readonly status: number;
  readonly code: RefusalCode | undefined;
  /** Client-safe text: names no limit unless revealLimits. */
  readonly detail: string | undefined;
  /** Operator-only reason (logs). */
  readonly reason: string | undefined;
  readonly rule: string | undefined;
  /** RateLimit-Policy, RateLimit and Retry-After, ready to send. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

export interface LimiterOptions {
  readonly store: RateLimitStore;
  readonly onEvent?: EventListener;
}

export function compileRule(rule: RuleConfig): CompiledRule {
  const algorithm = rule.algorithm ?? 'gcra';
  const periodMs = parseDuration(rule.period);
  const bucket = algorithm === 'token-bucket' || algorithm === 'gcra';
  const enforcement = rule.enforcement ?? 'throttle';
  const block =
    enforcement === 'block' && rule.block
      ? {
          after: rule.block.after,
          withinMs: parseDuration(rule.block.within ?? '10m'),
          durationMs: parseDuration(rule.block.duration),
        }
      : undefined;
  const spec: LimitSpec = Object.freeze({
    algorithm,
    limit: rule.limit,
    periodMs,
    burst: bucket ? (rule.burst ?? rule.limit) : rule.limit,
    ...(block ? { block: Object.freeze(block) } : {}),
  });
  const parts = rule.key.map(parseKeyPart);
  return Object.freeze({
    name: rule.name,
    spec,
    parts,
    enforcement,
    onMissing: rule.onMissingKey ?? 'address',
    operations: rule.operations ? new Set(rule.operations) : undefined,
    groups: rule.groups ? new Set(rule.groups) : undefined,
    global: parts.every((p) => p.kind === 'global'),
    policyItem: policyItem(rule.name, rule.limit, periodMs),
  });
}

const ALLOWED_NO_HEADERS: LimitOutcome = Object.freeze({
  allowed: true,
  status: 0,
  code: undefined,
  detail: undefined,
  reason: undefined,
  rule: undefined,
  headers: Object.freeze([]),
});

export class RateLimiter {
  readonly rules: readonly CompiledRule[];
  private readonly store: RateLimitStore;
  private readonly memory: MemoryStore | undefined;
  private readonly onEvent: EventListener | undefined;
  private readonly headers: boolean;
  private readonly exposePolicy: boolean;
  private readonly revealLimits: boolean;

  constructor(config: RateLimitConfig, options: LimiterOptions) {
    const compiled = (config.rules ?? []).map(compileRule);
    this.rules = Object.freeze([
      ...compiled.filter((r) => !r.global),
      ...compiled.filter((r) => r.global),
    ]);
    this.store = options.store;
    this.memory = options.store instanceof MemoryStore ? options.store : undefined;
    this.onEvent = options.onEvent;
    this.headers = config.headers ?? true;
    this.exposePolicy = config.exposePolicy ?? true;
    this.revealLimits = config.revealLimits ?? false;
  }

  /** Rules that apply to an operation (the stage uses this at compile time, e.g. to check costs). */
  rulesFor(req: Pick<LimitRequest, 'operationId' | 'operationKey' | 'group'>): CompiledRule[] {
    return this.rules.filter((r) => inScope(req as LimitRequest, r.operations, r.groups));
  }

  /** Decides a request. Synchronous with the memory store (no promise on the hot path). */
  evaluate(req: LimitRequest): LimitOutcome | Promise<LimitOutcome> {
    if (this.rules.length === 0) return ALLOWED_NO_HEADERS;
    const seen: Array<[CompiledRule, Decision]> = [];
    if (this.memory) {
      for (const rule of this.rules) {
        const key = this.keyFor(rule, req);
        if (key === undefined) continue;
        const d = this.memory.consumeSync(rule.spec, key, req.cost);
        seen.push([rule, d]);
        if (!d.allowed && rule.enforcement !== 'warn') return this.outcome(seen, rule, d);
        if (!d.allowed) this.emitLimited(rule, d);
      }
      return this.outcome(seen, undefined, undefined);
    }
    return this.evaluateAsync(req, seen);
  }

  private async evaluateAsync(
    req: LimitRequest,
    seen: Array<[CompiledRule, Decision]>,
  ): Promise<LimitOutcome> {
    for (const rule of this.rules) {
      const key = this.keyFor(rule, req);
      if (key === undefined) continue;
      const d = await this.store.consume(rule.spec, key, req.cost);
      seen.push([rule, d]);
      if (!d.allowed && rule.enforcement !== 'warn') return this.outcome(seen, rule, d);
      if (!d.allowed) this.emitLimited(rule, d);
    }
    return this.outcome(seen, undefined, undefined);
  }

  private keyFor(rule: CompiledRule, req: LimitRequest): string | undefined {
    if (!inScope(req, rule.operations, rule.groups)) return undefined;
    return buildKey(rule.name, rule.parts, rule.onMissing, req);
  }

  private emitLimited(rule: CompiledRule, d: Decision): void {
    try {
      this.onEvent?.({
        type: 'limited',
        rule: rule.name,
        enforcement: rule.enforcement,
        banned: d.banned,
      });
    } catch {
      // metrics hooks never break decisions
    }
  }

  private outcome(
    seen: ReadonlyArray<[CompiledRule, Decision]>,
    refused: CompiledRule | undefined,
    d: Decision | undefined,
  ): LimitOutcome {
    const headers: Array<readonly [string, string]> = [];
    if (this.headers) {
      // A degraded decision (store down) has no real budget to report, so it sends no item.
      const known = seen.filter(([, dec]) => !dec.degraded);
      if (known.length > 0) {
        if (this.exposePolicy)
          headers.push(['RateLimit-Policy', known.map(([r]) => r.policyItem).join(', ')]);
        headers.push([
          'RateLimit',
          known.map(([r, dec]) => rateLimitItem(r.name, dec.remaining, dec.resetMs)).join(', '),
        ]);
      }
    }
    if (!refused || !d) {
      return headers.length === 0 ? ALLOWED_NO_HEADERS : { ...ALLOWED_NO_HEADERS, headers };
    }
    this.emitLimited(refused, d);
    headers.push(['Retry-After', retryAfterSeconds(d.retryAfterMs)]);
    const code: RefusalCode = d.degraded
      ? 'RATE_LIMIT_UNAVAILABLE'
      : d.banned
        ? 'RATE_LIMIT_BLOCKED'
        : refused.global
          ? 'RATE_LIMIT_GLOBAL'
          : 'RATE_LIMITED';
    const status = code === 'RATE_LIMIT_GLOBAL' || code === 'RATE_LIMIT_UNAVAILABLE' ? 503 : 429;
    const reveal =
      this.revealLimits && !d.degraded
        ? ` Policy "${refused.name}": ${refused.spec.limit} per ${Math.ceil(refused.spec.periodMs / 1000)}s.`
        : '';
    const detail =
      (status === 503 ? 'The service is busy. Retry later.' : 'Too many requests. Retry later.') +
      reveal;
    return {
      allowed: false,
      status,
      code,
      detail,
      reason: `rate limit "${refused.name}" (${code})`,
      rule: refused.name,
      headers,
    };
  }
}
