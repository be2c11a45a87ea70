// The scan engine: authenticate every identity, learn the target's objects (discovery), then run each
// registered check against that state. Checks arrive through `options.checks` (the registry); the
// engine never imports one. A ctrl-C aborts in-flight requests and returns what was found so far.
import type { Finding } from '../../core/finding.js';
import { sortFindings } from '../../core/finding.js';
import type { ApiModel, Operation } from '../../core/openapi/model.js';
import { BulwarkError, isBulwarkError } from '../../core/errors.js';
import type { ScanSettings } from '../settings.js';
import type { CheckContext, HttpClient, ScanCheck, ScanResponse, ThrottleStats } from '../types.js';
import { SchemaRequestBuilder } from './builder.js';
import { FindingCollector } from './findings.js';
import { ScanHttpClient } from './http.js';
import { Identities } from './identities.js';
import { HostileServer, LoopbackCallbacks } from './listeners.js';
import { MemoryObjectStore } from './objects.js';
import { Untested, watchThrottles, type UntestedEntry } from './untested.js';
import {
  consumesUrl,
  isAdminOperation,
  isLoginLike,
  isSensitiveFlow,
  requiresAuth,
} from './classify.js';

export interface ScanProgress {
  readonly phase: 'authenticate' | 'discover' | 'check' | 'cleanup' | 'done';
  readonly operations: number;
  readonly checksDone: number;
  readonly checksTotal: number;
  readonly check?: string;
  readonly requests: number;
  readonly findings: number;
}

export interface ScanOptions {
  readonly model: ApiModel;
  readonly settings: ScanSettings;
  readonly checks: readonly ScanCheck[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ScanProgress) => void;
  readonly onFinding?: (finding: Finding) => void;
}

export interface ScanResult {
  readonly findings: Finding[];
  /** True when the scan was interrupted: the findings are what was confirmed before the stop. */
  readonly partial: boolean;
  readonly requests: number;
  readonly checksRun: readonly string[];
  readonly checksSkipped: readonly { id: string; why: string }[];
  readonly notes: readonly string[];
  /** Operations a check could not test because the target throttled it: neither pass nor finding. */
  readonly untested: readonly UntestedEntry[];
  /** How the scan met the target's rate limits: waits, time paused, throttled endpoints. */
  readonly throttle: ThrottleStats;
  readonly durationMs: number;
}

export async function runScan(options: ScanOptions): Promise<ScanResult> {
  const started = Date.now();
  const { model, settings } = options;
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) controller.abort(options.signal.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const signal = controller.signal;

  let progress: ScanProgress = {
    phase: 'authenticate',
    operations: model.operations.length,
    checksDone: 0,
    checksTotal: 0,
    requests: 0,
    findings: 0,
  };
  const emit = (patch: Partial<ScanProgress>): void => {
    progress = {
      ...progress,
      ...patch,
      requests: http.requestCount,
      findings: collector.findings.length,
    };
    options.onProgress?.(progress);
  };
  const http = new ScanHttpClient({
    base: settings.base,
    scopeHosts: settings.scopeHosts,
    requestsPerSecond: settings.requestsPerSecond,
    concurrency: settings.concurrency,
    timeoutMs: settings.timeoutMs,
    waitBudgetMs: settings.throttleWaitBudgetMs,
    maxResponseBytes: settings.maxResponseBytes,
    signal,
    onRequest: () => emit({}),
  });
  const collector = new FindingCollector(options.onFinding);
  const callbacks = new LoopbackCallbacks();
  const hostile =
    settings.consumers.length > 0 ? new HostileServer(settings.hostileSlowMs) : undefined;
  const notes: string[] = [];
  const checksRun: string[] = [];
  const checksSkipped: { id: string; why: string }[] = [];
  const untested = new Untested(model, settings);
  try {
    await callbacks.start();
    await hostile?.start(settings.hostilePort);
    const identities = new Identities(settings.identities, model, http);
    http.setAuthProvider((name, refresh) => identities.headers(name, refresh));
    await identities.authenticateAll();
    await verifyIdentities(model, http, identities);
    const objects = new MemoryObjectStore(
      model,
      (name) => identities.get(name)?.userId,
      () => identities.all.map((i) => i.name),
    );
    const builder = new SchemaRequestBuilder(objects, () => callbacks.mint('sample').url);
    const baselines = new Map<string, ScanResponse>();
    emit({ phase: 'discover' });
    // Throttled discovery leaves the store without objects, so the object-level checks that follow
    // have nothing to aim at: list those operations as untested by `discovery`.
    await discover({
      model,
      settings,
      http: watchThrottles(http, (url, method) => untested.seen('discovery', url, method)),
      identities,
      objects,
      builder,
      baselines,
      notes,
      signal,
    });

    const selects = (selectors: readonly string[], check: ScanCheck): boolean =>
      selectors.some((x) => check.id === x || check.owasp === x || check.id.startsWith(`${x}:`));
    const runnable = options.checks.filter((check) => {
      if (settings.include.length > 0 && !selects(settings.include, check)) {
        checksSkipped.push({ id: check.id, why: 'not included by config' });
        return false;
      }
      if (selects(settings.exclude, check)) {
        checksSkipped.push({ id: check.id, why: 'excluded by config' });
        return false;
      }
      if (check.intrusive && !settings.intrusive) {
        checksSkipped.push({ id: check.id, why: 'changes state: needs --intrusive' });
        return false;
      }
      return true;
    });
    const ctx: CheckContext = {
      model,
      settings,
      http,
      identities,
      objects,
      builder,
      callbacks,
      hostile,
      baselines,
      intrusive: settings.intrusive,
      signal,
      report: () => undefined,
      note: (message) => notes.push(message),
      untested: () => undefined,
    };
    emit({ phase: 'check', checksTotal: runnable.length });
    for (const check of runnable) {
      if (signal.aborted) break;
      emit({ check: check.id });
      try {
        await check.run({
          ...ctx,
          http: watchThrottles(http, (url, method) => untested.seen(check.id, url, method)),
          report: (draft) => void collector.add(check, draft),
          untested: (operation, reason) => untested.add(check.id, operation, reason),
        });
        checksRun.push(check.id);
      } catch (error) {
        if (signal.aborted) break;
        notes.push(
          `${check.id}: stopped early: ${isBulwarkError(error) ? error.toLine() : String(error)}`,
        );
        checksRun.push(check.id);
      }
      emit({ checksDone: checksRun.length });
    }
    if (settings.intrusive && !signal.aborted) {
      emit({ phase: 'cleanup' });
      await cleanup(model, settings, http, identities, objects, builder, notes, signal);
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await Promise.allSettled([callbacks.stop(), hostile?.stop(), http.close()]);
  }
  emit({ phase: 'done' });
  return {
    findings: sortFindings(collector.findings),
    partial: signal.aborted,
    requests: http.requestCount,
    checksRun,
    checksSkipped,
    notes,
    untested: untested.entries(collector.findings),
    throttle: http.throttle,
    durationMs: Date.now() - started,
  };
}

/** Deleting more than this many leftovers is a job for the target's owner, not for a scanner. */
const MAX_CLEANUP = 100;

/**
 * Deletes what this scan created, as the identity that created it (admin operations as the admin),
 * so a scan leaves the target as it found it where the API allows. Failures are notes, not errors.
 */
async function cleanup(
  model: ApiModel,
  settings: ScanSettings,
  http: ScanHttpClient,
  identities: Identities,
  objects: MemoryObjectStore,
  builder: SchemaRequestBuilder,
  notes: string[],
  signal: AbortSignal,
): Promise<void> {
  let budget = MAX_CLEANUP;
  const admin = identities.all.find((i) => i.admin)?.name;
  for (const op of model.operations.filter((o) => o.method === 'delete' && o.path.includes('{'))) {
    const param = [...op.path.matchAll(/\{([^}]+)\}/g)].at(-1)?.[1];
    if (!param) continue;
    for (const object of objects.find(builder.resourceOf(op, param), { createdByScanner: true })) {
      if (signal.aborted || budget-- <= 0) return;
      const as = isAdminOperation(op, settings) ? admin : object.owner;
      const request = builder.build(op, {
        pathParams: { [param]: object.id },
        ...(as ? { identity: as } : {}),
      });
      if (!request || request.path.includes('{')) continue;
      await http.send(request).catch((error: unknown) => {
        notes.push(`cleanup: ${op.key}: ${isBulwarkError(error) ? error.toLine() : String(error)}`);
      });
    }
  }
}

/**
 * A credential can be obtained and still be wrong (a static header with a stale key, a token sent in
 * the wrong header). Each identity calls one protected read; a 401 there stops the scan, for the same
 * reason a failed login does.
 */
async function verifyIdentities(
  model: ApiModel,
  http: ScanHttpClient,
  identities: Identities,
): Promise<void> {
  const probe = model.operations.find(
    (op) => op.method === 'get' && !op.path.includes('{') && requiresAuth(op, model),
  );
  if (!probe) return;
  for (const identity of identities.all) {
    const response = await http.send({ method: 'GET', path: probe.path, identity: identity.name });
    if (response.status === 401) {
      throw new BulwarkError(
        'BULWARK_ERR_SCAN_IDENTITY',
        `identity '${identity.name}': its credentials are refused (401) by ${probe.key}`,
        { hint: 'check the header name, scheme and value configured for this identity' },
      );
    }
  }
}

interface DiscoverContext {
  readonly model: ApiModel;
  readonly settings: ScanSettings;
  readonly http: HttpClient;
  readonly identities: Identities;
  readonly objects: MemoryObjectStore;
  readonly builder: SchemaRequestBuilder;
  readonly baselines: Map<string, ScanResponse>;
  readonly notes: string[];
  readonly signal: AbortSignal;
}

/** How many objects each identity creates per producer, so destructive checks have victims. */
const CREATE_PER_PRODUCER = 2;

// Discovery: read what each identity can see (lists, `me`), create objects of our own when allowed,
// then read each object back. Every answer seeds the object store and the baselines checks compare to.
async function discover(d: DiscoverContext): Promise<void> {
  const gets = d.model.operations.filter((op) => op.method === 'get');
  const listLike = gets.filter((op) => !op.path.includes('{'));
  const itemLike = gets.filter((op) => op.path.includes('{'));
  const names = d.identities.all.map((i) => i.name);
  for (const name of names) {
    for (const op of listLike) await baseline(d, op, name, false);
  }
  if (d.settings.intrusive) {
    const producers = d.model.operations.filter(
      (op) =>
        op.method === 'post' &&
        !op.path.includes('{') &&
        op.requestBody !== undefined &&
        !isLoginLike(op) &&
        !isSensitiveFlow(op, d.settings) &&
        !isAdminOperation(op, d.settings) &&
        !consumesUrl(op),
    );
    for (const identity of d.identities.all.filter((i) => !i.admin)) {
      for (const op of producers) {
        for (let i = 0; i < CREATE_PER_PRODUCER; i++) await baseline(d, op, identity.name, true);
      }
    }
  }
  for (const name of names) {
    for (const op of itemLike) await baseline(d, op, name, false);
  }
  for (const op of [...listLike, ...itemLike]) await baseline(d, op, null, false);
}

async function baseline(
  d: DiscoverContext,
  op: Operation,
  identity: string | null,
  create: boolean,
): Promise<void> {
  if (d.signal.aborted) return;
  const request = d.builder.build(op, identity === null ? {} : { identity, owner: identity });
  if (!request) return;
  try {
    const response = await d.http.send(request);
    d.baselines.set(`${identity ?? '-'} ${op.key}`, response);
    if (identity !== null) {
      d.objects.harvest(op, identity, response, create);
      learnSelf(d, op, identity, response);
    }
  } catch (error) {
    if (d.signal.aborted) return;
    d.notes.push(`discovery: ${op.key}: ${isBulwarkError(error) ? error.toLine() : String(error)}`);
  }
}

/** `GET /users/me`-style answers name the identity's own user id (used to attribute owners). */
function learnSelf(
  d: DiscoverContext,
  op: Operation,
  identity: string,
  response: ScanResponse,
): void {
  if (!/\/(me|self|current|whoami)$/i.test(op.path) || response.status !== 200) return;
  const id = (response.json as Record<string, unknown> | undefined)?.['id'];
  const info = d.identities.get(identity);
  if (info && (typeof id === 'string' || typeof id === 'number')) info.userId = id;
}
