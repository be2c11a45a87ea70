// The gateway's stage contract. A stage is one named unit (src/protect/stages/<name>.ts) that is
// compiled once at startup against the frozen ApiModel and the resolved policy, and then runs per
// request with no parsing and no per-request compilation. Stages never import each other; they share
// state only through the RequestContext, whose fields are the documented contract between them
// (identity for authn/authz, cost for rate limits, decision/reason/code for logs and metrics).
import type { ApiModel, Operation } from '../../core/openapi/model.js';
import type { CompiledOperation, Router } from './router.js';
import type { ProtectPolicy } from './policy.js';
import type { RequestContext } from './context.js';
import type { UpstreamReply } from './reply.js';
import type { SchemaCompiler } from './schema-compiler.js';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

/**
 * The fixed pipeline order. Each stage declares the phase it runs in; the engine sorts by this list,
 * so a stage added later (issue 5: authn/authz, issue 6: rate-limit and quota) lands in its slot
 * without touching the engine. Request phases run before forwarding, response phases after.
 */
export const REQUEST_PHASES = [
  'hygiene', // framing, path normalisation, size caps: before anything trusts the request
  'inventory', // route match: 404/405, report-only
  'cors', // preflight answered here, before any identity is required
  'lifecycle', // deprecation / sunset (410)
  'authn', // issue 5: sets ctx.identity or refuses 401
  'authz', // issue 5: scopes, RBAC, ABAC, ownership-before-forwarding
  'rate-limit', // issue 6: reads ctx.identity and ctx.cost
  'params', // path/query/header/cookie validation
  'body', // content type, size caps, JSON caps, schema validation
  'guard', // SSRF and other field-level guards that need the parsed body
] as const;
export type RequestPhase = (typeof REQUEST_PHASES)[number];

export const RESPONSE_PHASES = [
  'upstream', // status/media contract, 5xx replacement
  'authz-response', // issue 5: ownership checks on the upstream answer
  'quota', // issue 6: count business flows on 2xx
  'project', // strip undeclared properties
  'headers', // banners out, security headers and CORS in (also runs on refusals)
] as const;
export type ResponsePhase = (typeof RESPONSE_PHASES)[number];

/** A short-circuit answer from a stage: a refusal (problem+json) or a complete answer (preflight). */
export interface Reply {
  readonly status: number;
  /** Stable refusal code (docs/protect/errors.md). Present: body is RFC 9457 problem+json. */
  readonly code?: string;
  /** Client-safe detail. Never carries configured limits unless policy.errors.verbose is set. */
  readonly detail?: string;
  /** Operator-only reason, logged, never sent. */
  readonly reason?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** For non-problem answers (e.g. a 204 preflight). */
  readonly body?: string;
  /** Extra problem members (e.g. `errors` for validation), only ever client-safe data. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export type StageResult = Reply | undefined;
export type MaybePromise<T> = T | Promise<T>;

export interface StageCompileInput {
  readonly model: ApiModel;
  readonly policy: ProtectPolicy;
  readonly router: Router;
  /** Every compiled operation, indexed by CompiledOperation.index. */
  readonly operations: readonly CompiledOperation[];
  /** The resolved JSON Schema compiler shared by all stages (one ajv per direction). */
  readonly schemas: SchemaCompiler;
  /**
   * Where a stage reports events that are not one request's outcome (a store outage, a breaker
   * opening, an enumeration alert): the gateway's pino logger and its private Prometheus registry.
   * Stages register their own metrics here once, at compile time.
   */
  readonly observe: StageObserve;
}

export interface StageObserve {
  readonly logger: Logger;
  readonly metrics: Registry;
}

export interface StageRuntime {
  /** Request phase: return a Reply to stop the pipeline, undefined to continue. */
  request?(ctx: RequestContext): MaybePromise<StageResult>;
  /**
   * Response phase: inspect or rewrite the reply. `reply.json` is set when any response stage asked for
   * a parsed body (needsBody) and the body is JSON. Return a Reply to replace the answer.
   */
  response?(ctx: RequestContext, reply: UpstreamReply): MaybePromise<StageResult>;
  /** Whether this stage needs the upstream body buffered and parsed for this request. */
  needsBody?(ctx: RequestContext, reply: UpstreamReply): boolean;
  /** Also run (response phase) on gateway-made answers: refusals, preflights. */
  readonly onRefusals?: boolean;
  /**
   * Releases what the stage holds outside the process (Redis connections, upstream pools, timers).
   * Called once when the gateway closes, after requests in flight have finished.
   */
  close?(): MaybePromise<void>;
}

export interface StageDefinition {
  readonly name: string;
  readonly summary: string;
  readonly phase: RequestPhase | ResponsePhase;
  /** Returns undefined when the policy disables the stage, so it costs nothing per request. */
  compile(input: StageCompileInput): StageRuntime | undefined;
}

export type { ApiModel, Operation };
