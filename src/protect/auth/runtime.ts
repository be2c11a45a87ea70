// The compiled auth policy shared by the authn, authz and ownership stages of one gateway: verifiers
// per scheme and, per operation, the plan of what it requires. Compiled once at startup.
import { Counter, Gauge, type Registry } from 'prom-client';
import { Agent } from 'undici';
import type { AuthConfig } from '../../core/config/sections/auth.js';
import { BulwarkError } from '../../core/errors.js';
import type { ApiModel } from '../../core/openapi/model.js';
import type { ProtectPolicy } from '../engine/policy.js';
import type { CompiledOperation } from '../engine/router.js';
import type { StageObserve } from '../engine/types.js';
import { createRevocation, type RevocationList, type StoreHealth } from './revocation.js';
import { buildVerifiers, type SchemeDeps } from './schemes.js';
import type { CredentialVerifier } from './types.js';

export interface PlanPart {
  readonly name: string;
  readonly verifier: CredentialVerifier;
  /** Scopes (OAuth 2 / OIDC schemes) or roles (other schemes, OpenAPI 3.1 §4.8.30) required. */
  readonly required: readonly string[];
  readonly requires: 'scopes' | 'roles';
}

export interface OperationPlan {
  readonly public: boolean;
  /**
   * Anonymous access is one alternative (`security: [{}, {bearer: []}]`), but a credential that is
   * sent is still verified: a forged or expired token is a 401, never forwarded unverified to an
   * upstream that may read it (CWE-287).
   */
  readonly optional: boolean;
  /** OR of alternatives, each an AND of parts. Empty when the spec declares nothing: deny. */
  readonly alternatives: readonly (readonly PlanPart[])[];
  /** Challenge schemes for WWW-Authenticate. */
  readonly challenges: readonly string[];
  /** The one part when the plan is a single scheme (the common case: no per-request Map). */
  readonly single?: PlanPart | undefined;
}

export interface AuthRuntime {
  readonly config: AuthConfig;
  readonly plans: readonly OperationPlan[];
  readonly verifiers: ReadonlyMap<string, CredentialVerifier>;
  readonly revocation: RevocationList | undefined;
  readonly forward: { subject: string; roles: string; scopes: string } | undefined;
  /** Lower-case names of every identity header, stripped from client requests. */
  readonly strip: readonly string[];
  /** Releases the revocation store's connection and the HTTP pool (JWKS, introspection). */
  close(): Promise<void>;
}

/** The policy's auth section (wired from protect.auth; absent = the auth stages are off). */
export function authSection(policy: ProtectPolicy): AuthConfig | undefined {
  const section = (policy as ProtectPolicy & { readonly auth?: unknown }).auth;
  return section !== null && typeof section === 'object' ? (section as AuthConfig) : undefined;
}

const compiled = new WeakMap<readonly CompiledOperation[], AuthRuntime>();

export function authRuntime(
  model: ApiModel,
  operations: readonly CompiledOperation[],
  config: AuthConfig,
  observe?: StageObserve,
): AuthRuntime {
  let rt = compiled.get(operations);
  if (!rt) {
    rt = compile(model, operations, config, observe);
    compiled.set(operations, rt);
  }
  return rt;
}

/** Registers a metric once per registry (another gateway on the same registry reuses it). */
function metric<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/**
 * IdP outages are counted every time, and reach the log at most once per scheme and kind every
 * 30 s, not once per request (CWE-779).
 */
function reporter(observe: StageObserve | undefined) {
  if (!observe) return undefined;
  const { logger, metrics } = observe;
  const failures = metric(
    metrics,
    'bulwark_auth_idp_failures_total',
    () =>
      new Counter({
        name: 'bulwark_auth_idp_failures_total',
        help: 'Failed JWKS refreshes, OIDC discoveries and introspection calls, by scheme and source.',
        labelNames: ['scheme', 'source'],
        registers: [metrics],
      }),
  );
  const last = new Map<string, number>();
  return (scheme: string, what: string, err: Error): void => {
    failures.inc({ scheme, source: what });
    const key = `${scheme}\0${what}`;
    const now = Date.now();
    if (now - (last.get(key) ?? -Infinity) < 30_000) return;
    last.set(key, now);
    logger.warn(
      { event: 'auth.idp_unavailable', scheme, source: what, err: err.message },
      `${what} call for scheme ${scheme} failed: known keys stay in use, anything they cannot verify is refused`,
    );
  };
}

/** The revocation store's transitions: a 0/1 gauge, an error when it goes, info when it is back. */
function storeHealth(observe: StageObserve | undefined): StoreHealth | undefined {
  if (!observe) return undefined;
  const { logger, metrics } = observe;
  const up = metric(
    metrics,
    'bulwark_auth_revocation_store_up',
    () =>
      new Gauge({
        name: 'bulwark_auth_revocation_store_up',
        help: '1 while the Redis revocation store answers; 0 while every token with a jti is refused.',
        registers: [metrics],
      }),
  );
  up.set(0); // until the first answer
  let wasDown = false;
  return (answering, err) => {
    up.set(answering ? 1 : 0);
    if (!answering) {
      wasDown = true;
      logger.error(
        { event: 'auth.revocation_store_down', err: err?.message },
        'revocation store unreachable: every token with a jti is refused until it answers',
      );
    } else if (wasDown) {
      wasDown = false;
      logger.info({ event: 'auth.revocation_store_up' }, 'revocation store reachable again');
    }
  };
}

function compile(
  model: ApiModel,
  operations: readonly CompiledOperation[],
  config: AuthConfig,
  observe: StageObserve | undefined,
): AuthRuntime {
  const redis = config.revocation?.store === 'redis';
  const revocation = createRevocation(config.revocation, redis ? storeHealth(observe) : undefined);
  // Keep-alive connections to the IdP (JWKS, discovery, introspection) live in this pool, so
  // closing the gateway closes them.
  const dispatcher = new Agent({ connections: 8, keepAliveTimeout: 10_000 });
  const close = async (): Promise<void> => {
    await Promise.all([revocation?.close(), dispatcher.close()]);
  };
  const deps: SchemeDeps = {
    revocation,
    cacheEntries: config.tokenCache?.maxEntries ?? 10_000,
    cacheMs: (config.tokenCache?.maxSeconds ?? 300) * 1000,
    dispatcher,
    report: reporter(observe),
  };
  try {
    return finish(model, operations, config, deps, close);
  } catch (err) {
    // A refused config must not leave the Redis connection it already opened behind.
    void close();
    throw err;
  }
}

/** The part of the compile that can refuse the config, after the outside resources exist. */
function finish(
  model: ApiModel,
  operations: readonly CompiledOperation[],
  config: AuthConfig,
  deps: SchemeDeps,
  close: () => Promise<void>,
): AuthRuntime {
  const revocation = deps.revocation;
  const verifiers = buildVerifiers(model.securitySchemes, config, deps);
  const publicIds = new Set(config.public ?? []);
  for (const id of publicIds) {
    if (!operations.some((o) => o.operationId === id)) {
      throw new BulwarkError('BULWARK_ERR_CONFIG_INVALID', `auth.public: no operation ${id}`);
    }
  }
  const plans = operations.map((op) => plan(op, verifiers, publicIds, config));
  const f = config.forwardHeaders;
  const forward =
    f === false
      ? undefined
      : {
          subject: (f?.subject ?? 'X-Bulwark-Subject').toLowerCase(),
          roles: (f?.roles ?? 'X-Bulwark-Roles').toLowerCase(),
          scopes: (f?.scopes ?? 'X-Bulwark-Scopes').toLowerCase(),
        };
  // Client copies of the default names are stripped even when forwarding is renamed or off, so an
  // upstream that trusts them is never fooled (CWE-290).
  const strip = [
    ...new Set([
      'x-bulwark-subject',
      'x-bulwark-roles',
      'x-bulwark-scopes',
      ...(forward ? [forward.subject, forward.roles, forward.scopes] : []),
    ]),
  ];
  return Object.freeze({ config, plans, verifiers, revocation, forward, strip, close });
}

function plan(
  op: CompiledOperation,
  verifiers: ReadonlyMap<string, CredentialVerifier>,
  publicIds: ReadonlySet<string>,
  config: AuthConfig,
): OperationPlan {
  const id = op.operationId;
  const declared = op.op.security.declared;
  const configuredPublic =
    (id !== undefined && (publicIds.has(id) || config.operations?.[id]?.public === true)) || false;
  // security: [] is public; an empty alternative ({}) beside schemes is optional authentication.
  const specPublic = declared !== undefined && declared.every((r) => r.schemes.length === 0);
  if (configuredPublic || specPublic) {
    return { public: true, optional: false, alternatives: [], challenges: [] };
  }
  const optional = declared !== undefined && declared.some((r) => r.schemes.length === 0);
  const required = (declared ?? []).filter((r) => r.schemes.length > 0);
  const alternatives = required.map((req) =>
    req.schemes.map(({ scheme, scopes }): PlanPart => {
      const verifier = verifiers.get(scheme.name);
      if (!verifier) {
        throw new BulwarkError(
          'BULWARK_ERR_CONFIG_INVALID',
          `operation ${op.key} requires security scheme ${scheme.name}, which auth.schemes does not configure`,
          { hint: `add auth.schemes.${scheme.name} (every declared scheme is enforced)` },
        );
      }
      const oauth = scheme.type === 'oauth2' || scheme.type === 'openIdConnect';
      return {
        name: scheme.name,
        verifier,
        required: scopes,
        requires: oauth ? 'scopes' : 'roles',
      };
    }),
  );
  const challenges = alternatives.flatMap((a) => a.map((p) => p.verifier.challenge));
  const single =
    alternatives.length === 1 && alternatives[0]!.length === 1 ? alternatives[0]![0] : undefined;
  return {
    public: false,
    optional,
    alternatives,
    challenges: challenges.length ? challenges : ['Bearer'],
    single,
  };
}
