// The `protect.auth` section of bulwark.yaml: identity (authn) and permission (authz) stages of the
// gateway. Mirrors schema/parts/auth.schema.json (owned by the auth stages); see
// docs/protect/authentication.md and docs/protect/authorization.md.

/** JWS algorithms the gateway can verify (RFC 7518 §3.1, RFC 8037). `none` is never one of them. */
export type JwtAlgorithm =
  | 'HS256'
  | 'HS384'
  | 'HS512'
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA';

/** One static verification key: exactly one of secret, pem, jwk. */
export interface AuthStaticKey {
  readonly kid?: string;
  /** HMAC secret (HS*). Secret: give it as ${ENV_VAR}. At least the hash size (RFC 7518 §3.2). */
  readonly secret?: string;
  /** Accept an HMAC secret shorter than RFC 7518 §3.2 requires. Only for a lab you cannot fix. */
  readonly unsafeShortSecret?: boolean;
  /** A PEM public key (SPKI) or certificate, inline text. */
  readonly pem?: string;
  /** A public JWK (RFC 7517). */
  readonly jwk?: Readonly<Record<string, unknown>>;
}

export interface AuthRemoteKeys {
  readonly url: string;
  readonly cacheSeconds?: number;
  readonly cooldownSeconds?: number;
  readonly timeoutMs?: number;
}

export interface AuthClaimsMapping {
  readonly subject?: string;
  readonly roles?: string;
  readonly scopes?: string;
}

export interface AuthJwtScheme {
  readonly type: 'jwt';
  readonly algorithms: readonly JwtAlgorithm[];
  readonly issuer?: string | readonly string[];
  readonly audience?: string | readonly string[];
  readonly typ?: string;
  readonly clockToleranceSeconds?: number;
  readonly maxTokenAgeSeconds?: number;
  readonly requiredClaims?: readonly string[];
  readonly keys?: readonly AuthStaticKey[];
  readonly jwks?: AuthRemoteKeys;
  /** OpenID Connect issuer; keys come from its discovery document's jwks_uri. */
  readonly oidc?: { readonly issuer: string; readonly timeoutMs?: number };
  readonly claims?: AuthClaimsMapping;
  /** RFC 8705: require cnf.x5t#S256 to match the client certificate (mTLS listener). */
  readonly certificateBound?: boolean;
}

export interface AuthApiKey {
  readonly id: string;
  /** `hmac-sha256:<base64url>` (with the scheme's pepper) or `scrypt:<N>:<r>:<p>:<salt>:<hash>`. */
  readonly digest: string;
  readonly subject?: string;
  readonly roles?: readonly string[];
  readonly scopes?: readonly string[];
  readonly notBefore?: string;
  readonly expires?: string;
}

export interface AuthApiKeyScheme {
  readonly type: 'apiKey';
  /** Server secret for hmac-sha256 digests. Secret: give it as ${ENV_VAR}. */
  readonly pepper?: string;
  readonly apiKeys: readonly AuthApiKey[];
}

export interface AuthIntrospectionScheme {
  readonly type: 'introspection';
  readonly url: string;
  readonly clientId: string;
  /** Secret: give it as ${ENV_VAR}. */
  readonly clientSecret: string;
  readonly cacheSeconds?: number;
  readonly timeoutMs?: number;
  readonly issuer?: string;
  readonly audience?: string;
  readonly claims?: AuthClaimsMapping;
}

export interface AuthMtlsScheme {
  readonly type: 'mtls';
  /** Where the identity comes from: the subject CN, or the first SAN of a kind. */
  readonly subjectFrom?: 'cn' | 'san-dns' | 'san-email' | 'san-uri';
  readonly roles?: readonly string[];
}

export type AuthScheme =
  AuthJwtScheme | AuthApiKeyScheme | AuthIntrospectionScheme | AuthMtlsScheme;

export interface AuthOwnership {
  /** Before forwarding: a path parameter that must equal the claim (`/users/{userId}`). */
  readonly param?: string;
  /** After the answer: a JSON pointer into the response body that must equal the claim. */
  readonly response?: string;
  /** Before forwarding: GET this operation (same path parameters, caller's credentials) first. */
  readonly preflight?: { readonly operation: string; readonly field: string };
  /** The identity claim compared with (default `sub`). */
  readonly claim?: string;
  /** Permissions that bypass the check (e.g. support staff). */
  readonly override?: readonly string[];
}

export interface AuthOperation {
  readonly public?: boolean;
  readonly permissions?: readonly string[];
  readonly rule?: string;
  readonly ownership?: AuthOwnership;
}

export interface AuthRevocation {
  readonly store?: 'memory' | 'redis';
  readonly url?: string;
  readonly prefix?: string;
  readonly jti?: readonly string[];
}

export interface AuthConfig {
  /** Keyed by the spec's security scheme name. */
  readonly schemes: Readonly<Record<string, AuthScheme>>;
  /** operationIds that are public although the spec gives them no `security: []`. */
  readonly public?: readonly string[];
  /** Role -> permissions (RBAC). */
  readonly roles?: Readonly<Record<string, readonly string[]>>;
  /** Keyed by operationId. */
  readonly operations?: Readonly<Record<string, AuthOperation>>;
  readonly revocation?: AuthRevocation;
  readonly tokenCache?: { readonly maxEntries?: number; readonly maxSeconds?: number };
  readonly forwardHeaders?:
    false | { readonly subject?: string; readonly roles?: string; readonly scopes?: string };
}

export const AUTH_KEYS = [
  'schemes',
  'public',
  'roles',
  'operations',
  'revocation',
  'tokenCache',
  'forwardHeaders',
] as const satisfies readonly (keyof AuthConfig)[];
