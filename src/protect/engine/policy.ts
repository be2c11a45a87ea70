// The resolved gateway policy: the config's `protect` section with every default filled in, checked for
// unsafe combinations, and frozen. Stages read only this, never the raw config.
import { BulwarkError } from '../../core/errors.js';
import type {
  HttpMethod as HttpMethodName,
  ProtectConfig as ProtectSection,
} from '../../core/config/sections/protect.js';

export interface OperationPolicy {
  readonly bodyBytes: number | undefined;
  readonly allowUnknownProperties: boolean | undefined;
  readonly sunset: string | undefined;
}

export interface ProtectPolicy {
  readonly upstream: string | undefined;
  readonly listen: { readonly host: string; readonly port: number | undefined };
  readonly admin: { readonly host: string; readonly port: number | undefined };
  readonly trustedProxies: readonly string[];
  readonly tls: {
    readonly cert: string | undefined;
    readonly key: string | undefined;
    readonly passphrase: string | undefined;
    readonly minVersion: 'TLSv1.2' | 'TLSv1.3';
    /** Client-certificate CAs (files); non-empty: the listener requests client certificates. */
    readonly clientCa: readonly string[];
    /** CRL files checked against every client chain (OpenSSL CRL_CHECK_ALL). */
    readonly crl: readonly string[];
    /** true: the handshake refuses clients without a verified certificate. */
    readonly requireClientCert: boolean;
    /** Seconds between checks of the TLS files for changes; 0: never. */
    readonly reloadSeconds: number;
    readonly upstreamVerify: boolean;
    readonly upstreamCa: string | undefined;
  };
  readonly timeouts: {
    readonly headersMs: number;
    readonly bodyMs: number;
    readonly connectMs: number;
    readonly upstreamMs: number;
    readonly upstreamBodyMs: number;
    readonly shutdownMs: number;
  };
  readonly limits: {
    readonly bodyBytes: number;
    readonly headerBytes: number;
    readonly urlLength: number;
    readonly queryParams: number;
    readonly jsonDepth: number;
    readonly jsonKeys: number;
    readonly responseBytes: number;
  };
  readonly inventory: { readonly undocumented: 'block' | 'report' };
  readonly validation: {
    readonly requests: 'block' | 'report' | 'off';
    readonly unknownQueryParams: 'refuse' | 'allow';
  };
  readonly responses: {
    readonly undeclared: 'log' | 'block';
    readonly stripUndeclaredProperties: boolean;
    readonly hideServerErrors: boolean;
    readonly validate: 'off' | 'log' | 'block';
  };
  readonly headers: {
    readonly contentTypeOptions: boolean;
    readonly frameOptions: string | false;
    readonly contentSecurityPolicy: string | false;
    readonly referrerPolicy: string | false;
    readonly hsts: string | false;
    readonly noStoreAuthenticated: boolean;
    readonly removeBanners: boolean;
  };
  readonly cors:
    | {
        readonly origins: readonly string[];
        readonly credentials: boolean;
        readonly methods: readonly HttpMethodName[] | undefined;
        readonly headers: readonly string[];
        readonly exposeHeaders: readonly string[];
        readonly maxAge: number;
      }
    | undefined;
  readonly ssrf: {
    readonly enabled: boolean;
    /** operationId -> JSON pointers guarded besides `format: uri` fields. */
    readonly fields: Readonly<Record<string, readonly string[]>>;
    readonly schemes: readonly string[];
    readonly allowHosts: readonly string[];
  };
  readonly errors: { readonly exposeLimits: boolean };
  /** Keyed by operationId. */
  readonly operations: Readonly<Record<string, OperationPolicy>>;
  /** Sections owned by later stages, passed through unchanged (see resolvePolicy). */
  readonly auth?: unknown;
  readonly rateLimit?: unknown;
  readonly graphql?: unknown;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function hstsValue(h: NonNullable<ProtectSection['headers']>['hsts']): string | false {
  if (h === false) return false;
  const maxAge = h?.maxAge ?? 31_536_000;
  let out = `max-age=${maxAge}`;
  if (h?.includeSubDomains ?? true) out += '; includeSubDomains';
  if (h?.preload) out += '; preload';
  return out;
}

function csp(value: string | boolean | undefined): string | false {
  if (value === false) return false;
  if (value === undefined || value === true) return "default-src 'none'; frame-ancestors 'none'";
  return value;
}

/** Fills defaults and refuses unsafe settings (BULWARK_ERR_CONFIG_UNSAFE). */
export function resolvePolicy(section: ProtectSection = {}): ProtectPolicy {
  const s = section;
  const l = s.limits ?? {};
  const t = s.timeouts ?? {};
  const h = s.headers ?? {};
  const policy: ProtectPolicy = {
    upstream: s.upstream,
    listen: { host: s.listen?.host ?? '127.0.0.1', port: s.listen?.port },
    admin: { host: s.admin?.host ?? '127.0.0.1', port: s.admin?.port },
    trustedProxies: s.trustedProxies ?? [],
    tls: {
      cert: s.tls?.cert,
      key: s.tls?.key,
      passphrase: s.tls?.passphrase,
      minVersion: s.tls?.minVersion ?? 'TLSv1.2',
      clientCa: list(s.tls?.clientCa),
      crl: list(s.tls?.crl),
      requireClientCert: s.tls?.requireClientCert ?? false,
      reloadSeconds: s.tls?.reloadSeconds ?? 60,
      upstreamVerify: s.tls?.upstream?.verify ?? true,
      upstreamCa: s.tls?.upstream?.ca,
    },
    timeouts: {
      headersMs: t.headersMs ?? 10_000,
      bodyMs: t.bodyMs ?? 30_000,
      connectMs: t.connectMs ?? 5_000,
      upstreamMs: t.upstreamMs ?? 30_000,
      upstreamBodyMs: t.upstreamBodyMs ?? 30_000,
      shutdownMs: t.shutdownMs ?? 10_000,
    },
    // Defaults follow the seed's API4 guidance (bounded sizes) and nginx/Envoy practice.
    limits: {
      bodyBytes: l.bodyBytes ?? 1_048_576,
      headerBytes: l.headerBytes ?? 16_384,
      urlLength: l.urlLength ?? 8192,
      queryParams: l.queryParams ?? 100,
      jsonDepth: l.jsonDepth ?? 32,
      jsonKeys: l.jsonKeys ?? 10_000,
      responseBytes: l.responseBytes ?? 8_388_608,
    },
    inventory: { undocumented: s.inventory?.undocumented ?? 'block' },
    validation: {
      requests: s.validation?.requests ?? 'block',
      unknownQueryParams: s.validation?.unknownQueryParams ?? 'refuse',
    },
    responses: {
      undeclared: s.responses?.undeclared ?? 'log',
      stripUndeclaredProperties: s.responses?.stripUndeclaredProperties ?? true,
      hideServerErrors: s.responses?.hideServerErrors ?? true,
      validate: s.responses?.validate ?? 'off',
    },
    headers: {
      contentTypeOptions: h.contentTypeOptions ?? true,
      frameOptions: h.frameOptions ?? 'DENY',
      contentSecurityPolicy: csp(h.contentSecurityPolicy),
      referrerPolicy: h.referrerPolicy ?? 'no-referrer',
      hsts: hstsValue(h.hsts),
      noStoreAuthenticated: h.noStoreAuthenticated ?? true,
      removeBanners: h.removeBanners ?? true,
    },
    cors: s.cors && {
      origins: s.cors.origins,
      credentials: s.cors.credentials ?? false,
      methods: s.cors.methods,
      headers: s.cors.headers ?? [],
      exposeHeaders: s.cors.exposeHeaders ?? [],
      maxAge: s.cors.maxAge ?? 600,
    },
    ssrf: {
      enabled: s.ssrf?.enabled ?? true,
      fields: ssrfFields(s.ssrf?.fields ?? []),
      schemes: s.ssrf?.schemes ?? ['https'],
      allowHosts: s.ssrf?.allowHosts ?? [],
    },
    errors: { exposeLimits: s.errors?.exposeLimits ?? false },
    operations: Object.fromEntries(
      Object.entries(s.operations ?? {}).map(([id, o]) => [
        id,
        {
          bodyBytes: o.bodyBytes,
          allowUnknownProperties: o.allowUnknownProperties,
          sunset: o.sunset,
        },
      ]),
    ),
  };
  checkPolicy(policy);
  // Sections this resolver does not interpret (auth: issue 5; rateLimit: issue 6; graphql...) pass
  // through as validated by the config schema; their stages resolve them at compile time.
  const out = policy as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(s)) if (!(key in out)) out[key] = value;
  return deepFreeze(policy);
}

function list(value: string | readonly string[] | undefined): readonly string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
}

function ssrfFields(list: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const entry of list) {
    const at = entry.indexOf(':');
    const id = entry.slice(0, at);
    (out[id] ??= []).push(entry.slice(at + 1));
  }
  return out;
}

function unsafe(message: string, hint: string): BulwarkError {
  return new BulwarkError('BULWARK_ERR_CONFIG_UNSAFE', message, { hint });
}

function checkPolicy(p: ProtectPolicy): void {
  // A wildcard origin with credentials lets any site read authenticated answers (CWE-942).
  if (p.cors?.credentials && p.cors.origins.includes('*')) {
    throw unsafe(
      'protect.cors: a wildcard origin cannot be combined with credentials',
      'list the exact origins that may call the API with credentials',
    );
  }
  if (p.tls.upstreamVerify === false && p.tls.upstreamCa !== undefined) {
    throw unsafe(
      'protect.tls.upstream: a CA is configured but verification is turned off',
      'remove verify: false; the CA is enough to trust a private upstream',
    );
  }
  if ((p.tls.cert === undefined) !== (p.tls.key === undefined)) {
    throw new BulwarkError('BULWARK_ERR_CONFIG_INVALID', 'protect.tls: cert and key go together');
  }
  checkClientCertificates(p.tls);
  for (const [, date] of Object.entries(p.operations)) {
    if (date.sunset !== undefined && Number.isNaN(Date.parse(date.sunset))) {
      throw new BulwarkError(
        'BULWARK_ERR_CONFIG_INVALID',
        'protect.operations: sunset is not a date',
      );
    }
  }
}

/** Mutual TLS needs the gateway to terminate TLS, and a CRL or a requirement needs the CAs. */
function checkClientCertificates(tls: ProtectPolicy['tls']): void {
  const invalid = (message: string, hint: string) =>
    new BulwarkError('BULWARK_ERR_CONFIG_INVALID', message, { hint });
  if (tls.clientCa.length > 0 && tls.cert === undefined) {
    throw invalid(
      'protect.tls.clientCa: client certificates need the gateway to serve HTTPS',
      'set protect.tls.cert and protect.tls.key',
    );
  }
  if (tls.clientCa.length === 0 && (tls.crl.length > 0 || tls.requireClientCert)) {
    throw invalid(
      `protect.tls.${tls.crl.length > 0 ? 'crl' : 'requireClientCert'}: no protect.tls.clientCa to verify client certificates against`,
      'list the CA file(s) that issue client certificates in protect.tls.clientCa',
    );
  }
}
