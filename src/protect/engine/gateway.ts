// Compiles the spec and policy into a frozen gateway (router, operations, ordered stage runtimes) and
// runs the pipeline for one request. Transport-agnostic: the proxy server and the middleware adapters
// all call runRequest/runResponse, so every face of protect takes the same decisions.
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { BulwarkError } from '../../core/errors.js';
import type { ApiModel, Operation } from '../../core/openapi/model.js';
import type { RequestContext } from './context.js';
import type { ProtectPolicy } from './policy.js';
import type { UpstreamReply } from './reply.js';
import { Router, type CompiledOperation } from './router.js';
import { SchemaCompiler } from './schema-compiler.js';
import {
  REQUEST_PHASES,
  RESPONSE_PHASES,
  type Reply,
  type StageDefinition,
  type StageObserve,
  type StageResult,
  type StageRuntime,
} from './types.js';

interface NamedRuntime {
  readonly name: string;
  readonly runtime: StageRuntime;
}

function isPromise<T>(v: unknown): v is Promise<T> {
  return typeof (v as { then?: unknown } | undefined)?.then === 'function';
}

export class Gateway {
  readonly model: ApiModel;
  readonly policy: ProtectPolicy;
  readonly router = new Router();
  readonly operations: CompiledOperation[] = [];
  /** Stage names in the order they run, for docs, logs and tests. */
  readonly pipeline: readonly string[];
  private readonly requestStages: ((ctx: RequestContext) => unknown)[];
  private readonly responseStages: NamedRuntime[];
  private readonly refusalStages: NamedRuntime[];
  private readonly closers: NamedRuntime[];
  private readonly logger: StageObserve['logger'];
  // The gateway object is frozen; the one piece of state that changes after compile lives here.
  private readonly lifecycle: { closing?: Promise<void> } = {};

  constructor(
    model: ApiModel,
    policy: ProtectPolicy,
    stages: readonly StageDefinition[],
    observe: StageObserve,
  ) {
    this.model = model;
    this.policy = policy;
    this.logger = observe.logger;
    this.compileOperations();
    const schemas = new SchemaCompiler(model);
    const input = {
      model,
      policy,
      router: this.router,
      operations: this.operations,
      schemas,
      observe,
    };
    const ordered = orderStages(stages);
    const compiled: NamedRuntime[] = [];
    try {
      for (const def of ordered) {
        const runtime = def.compile(input);
        if (runtime) compiled.push({ name: def.name, runtime });
      }
    } catch (err) {
      // A later stage's bad config must not leak the connections an earlier stage opened.
      void closeAll(compiled, observe.logger);
      throw err;
    }
    this.closers = compiled.filter((c) => c.runtime.close);
    this.pipeline = compiled.map((c) => c.name);
    this.requestStages = compiled
      .filter((c) => c.runtime.request)
      .map((c) => c.runtime.request!.bind(c.runtime));
    this.responseStages = compiled.filter((c) => c.runtime.response);
    this.refusalStages = this.responseStages.filter((c) => c.runtime.onRefusals);
    Object.freeze(this.operations);
  }

  /**
   * Operation paths are relative to their server URL's path (OpenAPI 3 §4.8.1; Swagger 2.0
   * `basePath`), so `/users` under `https://api.example.com/v1` is routed as `/v1/users`. Each
   * distinct server base path gets the route; variables take their default value.
   */
  private compileOperations(): void {
    const byTemplate = new Map<string, CompiledOperation[]>();
    for (const op of this.model.operations) {
      const compiled = this.compileOperation(op, op.path);
      for (const base of basePaths(op)) {
        const template = base + op.path;
        const list = byTemplate.get(template) ?? [];
        list.push(compiled);
        byTemplate.set(template, list);
      }
    }
    for (const [template, ops] of byTemplate) this.router.add(template, ops);
  }

  private compileOperation(op: Operation, template: string): CompiledOperation {
    const cost = op.extensions['x-bulwark-cost'];
    const declared = op.security.declared;
    const compiled: CompiledOperation = Object.freeze({
      index: this.operations.length,
      op,
      key: op.key,
      method: op.method.toUpperCase(),
      operationId: op.operationId,
      template,
      pathParamNames: [...template.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1] ?? ''),
      requiresAuth:
        declared !== undefined &&
        declared.length > 0 &&
        declared.every((r) => r.schemes.length > 0),
      cost: typeof cost === 'number' && cost >= 0 ? cost : 1,
      policy: op.operationId === undefined ? undefined : this.policy.operations[op.operationId],
    });
    this.operations.push(compiled);
    return compiled;
  }

  /** Runs the request phases. Resolves to a Reply when a stage answered, undefined to forward. */
  runRequest(ctx: RequestContext): StageResult | Promise<StageResult> {
    const stages = this.requestStages;
    for (let i = 0; i < stages.length; i++) {
      const r = stages[i]!(ctx);
      if (r === undefined) continue;
      if (isPromise<StageResult>(r)) return this.continueAsync(ctx, r, i + 1);
      return r as Reply;
    }
    return undefined;
  }

  private async continueAsync(
    ctx: RequestContext,
    pending: Promise<StageResult>,
    next: number,
  ): Promise<StageResult> {
    const first = await pending;
    if (first) return first;
    const stages = this.requestStages;
    for (let i = next; i < stages.length; i++) {
      let r = stages[i]!(ctx);
      if (isPromise<StageResult>(r)) r = await r;
      if (r) return r as Reply;
    }
    return undefined;
  }

  /** Whether any response stage wants the upstream body buffered for this answer. */
  needsBody(ctx: RequestContext, reply: UpstreamReply): boolean {
    for (const s of this.responseStages) if (s.runtime.needsBody?.(ctx, reply)) return true;
    return false;
  }

  /** Runs the response phases on an upstream answer; a Reply replaces it. */
  async runResponse(ctx: RequestContext, reply: UpstreamReply): Promise<StageResult> {
    for (const s of this.responseStages) {
      let r = s.runtime.response!(ctx, reply);
      if (isPromise<StageResult>(r)) r = await r;
      if (r) return r;
    }
    return undefined;
  }

  /** Runs the response stages that also dress gateway-made answers (security headers, CORS). */
  decorateRefusal(ctx: RequestContext, reply: UpstreamReply): void {
    for (const s of this.refusalStages) s.runtime.response!(ctx, reply);
  }

  /** Releases every stage's outside resources once; later calls share the first. */
  close(): Promise<void> {
    this.lifecycle.closing ??= closeAll(this.closers, this.logger);
    return this.lifecycle.closing;
  }

  /** The per-operation body cap: the operation's own, else the global one. */
  bodyLimit(ctx: RequestContext): number {
    return ctx.operation?.policy?.bodyBytes ?? this.policy.limits.bodyBytes;
  }
}

function basePaths(op: Operation): string[] {
  const out = new Set<string>();
  for (const server of op.servers) {
    let url = server.url;
    for (const [name, v] of Object.entries(server.variables ?? {})) {
      url = url.split(`{${name}}`).join(v.default);
    }
    let path: string;
    try {
      path = new URL(url, 'http://base.invalid').pathname;
    } catch {
      continue;
    }
    out.add(decodeURI(path).replace(/\/+$/, ''));
  }
  return out.size === 0 ? [''] : [...out];
}

const PHASE_ORDER: readonly string[] = [...REQUEST_PHASES, ...RESPONSE_PHASES];

/** Stable sort by phase; unknown phases and duplicate names are programming errors. */
export function orderStages(stages: readonly StageDefinition[]): StageDefinition[] {
  const names = new Set<string>();
  for (const s of stages) {
    if (names.has(s.name)) {
      throw new BulwarkError(
        'BULWARK_ERR_INTERNAL',
        `gateway stage '${s.name}' is registered twice`,
      );
    }
    names.add(s.name);
    if (!PHASE_ORDER.includes(s.phase)) {
      throw new BulwarkError(
        'BULWARK_ERR_INTERNAL',
        `gateway stage '${s.name}' has no known phase`,
      );
    }
  }
  return [...stages].sort((a, b) => PHASE_ORDER.indexOf(a.phase) - PHASE_ORDER.indexOf(b.phase));
}

/** Closes every runtime; one failing close is logged and does not stop the others. */
async function closeAll(runtimes: readonly NamedRuntime[], logger: StageObserve['logger']) {
  await Promise.all(
    runtimes.map(async ({ name, runtime }) => {
      try {
        await runtime.close?.();
      } catch (err) {
        logger.warn({ stage: name, err: (err as Error).message }, 'stage close failed');
      }
    }),
  );
}

/** A silent logger and a private registry, for gateways compiled without a running server. */
export function quietObserve(): StageObserve {
  return { logger: pino({ level: 'silent' }), metrics: new Registry() };
}

export function createGateway(
  model: ApiModel,
  policy: ProtectPolicy,
  stages: readonly StageDefinition[],
  observe: StageObserve = quietObserve(),
): Gateway {
  const gateway = new Gateway(model, policy, stages, observe);
  Object.freeze(gateway);
  return gateway;
}
