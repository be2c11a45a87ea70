// The `protect` section of bulwark.yaml. Mirrors schema/parts/protect.schema.json (owned by the
// protect tool); test/core/config/sections.test.ts checks the two agree on their keys.
import type { AuthConfig } from './auth.js';
import type { GraphqlConfig } from './graphql.js';
import type { RateLimitConfig } from './ratelimit.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | 'TRACE';

export interface ProtectEndpoint {
  readonly host?: string;
  readonly port?: number;
}

export interface ProtectCors {
  readonly origins: readonly string[];
  readonly credentials?: boolean;
  readonly methods?: readonly HttpMethod[];
  readonly headers?: readonly string[];
  readonly exposeHeaders?: readonly string[];
  readonly maxAge?: number;
}

export interface ProtectHeaders {
  readonly contentTypeOptions?: boolean;
  readonly frameOptions?: 'DENY' | 'SAMEORIGIN' | false;
  readonly contentSecurityPolicy?: string | boolean;
  readonly referrerPolicy?: string | false;
  readonly hsts?:
    | false
    | {
        readonly maxAge?: number;
        readonly includeSubDomains?: boolean;
        readonly preload?: boolean;
      };
  readonly noStoreAuthenticated?: boolean;
  readonly removeBanners?: boolean;
}

export interface ProtectLimits {
  readonly bodyBytes?: number;
  readonly headerBytes?: number;
  readonly urlLength?: number;
  readonly queryParams?: number;
  readonly jsonDepth?: number;
  readonly jsonKeys?: number;
  readonly responseBytes?: number;
}

export interface ProtectTls {
  readonly cert?: string;
  readonly key?: string;
  /** Secret: give it as ${ENV_VAR}. */
  readonly passphrase?: string;
  readonly minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** PEM CA file(s) that issue client certificates; set: the listener asks for one (mTLS). */
  readonly clientCa?: string | readonly string[];
  /** PEM CRL file(s) for the client CAs; a revoked client certificate is not verified. */
  readonly crl?: string | readonly string[];
  /** Refuse the TLS handshake without a verified client certificate (default: the authn stage decides). */
  readonly requireClientCert?: boolean;
  /** Seconds between checks of the TLS files for changes (0: never; default 60). */
  readonly reloadSeconds?: number;
  readonly upstream?: { readonly verify?: boolean; readonly ca?: string };
}

export interface ProtectTimeouts {
  readonly headersMs?: number;
  readonly bodyMs?: number;
  readonly connectMs?: number;
  readonly upstreamMs?: number;
  readonly upstreamBodyMs?: number;
  readonly shutdownMs?: number;
}

export interface ProtectSsrf {
  readonly enabled?: boolean;
  readonly fields?: readonly string[];
  readonly schemes?: readonly string[];
  readonly allowHosts?: readonly string[];
}

export interface ProtectOperation {
  readonly bodyBytes?: number;
  readonly allowUnknownProperties?: boolean;
  readonly sunset?: string;
}

export interface ProtectConfig {
  readonly upstream?: string;
  readonly listen?: ProtectEndpoint;
  readonly admin?: ProtectEndpoint;
  readonly trustedProxies?: readonly string[];
  readonly cors?: ProtectCors;
  readonly headers?: ProtectHeaders;
  readonly limits?: ProtectLimits;
  readonly inventory?: { readonly undocumented?: 'block' | 'report' };
  readonly responses?: {
    readonly undeclared?: 'log' | 'block';
    readonly stripUndeclaredProperties?: boolean;
    readonly hideServerErrors?: boolean;
    readonly validate?: 'off' | 'log' | 'block';
  };
  readonly validation?: {
    readonly requests?: 'block' | 'report' | 'off';
    readonly unknownQueryParams?: 'refuse' | 'allow';
  };
  readonly errors?: { readonly exposeLimits?: boolean };
  readonly tls?: ProtectTls;
  readonly timeouts?: ProtectTimeouts;
  readonly ssrf?: ProtectSsrf;
  /** Authentication and authorization (section type in ./auth.ts). */
  readonly auth?: AuthConfig;
  /** GraphQL endpoint defaults (section type in ./graphql.ts, docs/graphql.md). */
  readonly graphql?: GraphqlConfig;
  /** Rate limits, quotas, login and enumeration guards (./ratelimit.ts, docs/protect/rate-limiting.md). */
  readonly rateLimit?: RateLimitConfig;
  /** Keyed by operationId. */
  readonly operations?: Readonly<Record<string, ProtectOperation>>;
}

/** Top-level keys, kept in step with the schema part by a test. */
export const PROTECT_KEYS = [
  'upstream',
  'listen',
  'admin',
  'trustedProxies',
  'cors',
  'headers',
  'limits',
  'inventory',
  'responses',
  'validation',
  'errors',
  'tls',
  'timeouts',
  'ssrf',
  'auth',
  'graphql',
  'rateLimit',
  'operations',
] as const satisfies readonly (keyof ProtectConfig)[];
