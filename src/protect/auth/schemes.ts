// Builds one CredentialVerifier per security scheme the spec declares, from the config's
// `auth.schemes`. The spec says which kind of credential an operation needs; the config says how to
// verify it. A declared scheme without a verifier, or a config that does not fit the spec's scheme
// (an API key in the query string, a JWT verifier for an apiKey scheme), refuses to start.
import type { Dispatcher } from 'undici';
import type { AuthConfig, AuthJwtScheme, AuthScheme } from '../../core/config/sections/auth.js';
import { BulwarkError } from '../../core/errors.js';
import type { SecurityScheme } from '../../core/openapi/model.js';
import type { RequestContext } from '../engine/context.js';
import { ApiKeyVerifier } from './api-keys.js';
import { bearerToken, headerCredential } from './credentials.js';
import { IntrospectionVerifier } from './introspection.js';
import { JwtVerifier } from './jwt.js';
import { importPublic, importSecret, type ImportedKey } from './key-import.js';
import { boundToCertificate, verifiedCertificate, verifyMtls } from './mtls.js';
import { discoverJwksUri, RemoteKeySet } from './remote-keys.js';
import type { RevocationList } from './revocation.js';
import { TokenCache } from './token-cache.js';
import {
  fail,
  isPromise,
  type CredentialVerifier,
  type MaybePromise,
  type VerifyResult,
} from './types.js';

export interface SchemeDeps {
  readonly revocation: RevocationList | undefined;
  readonly cacheEntries: number;
  readonly cacheMs: number;
  /** The runtime's HTTP pool for JWKS, discovery and introspection (closed with the gateway). */
  readonly dispatcher?: Dispatcher | undefined;
  /** Where outages of the IdP (JWKS refresh, introspection) are reported for the operator. */
  readonly report?: ((scheme: string, what: string, err: Error) => void) | undefined;
}

function invalid(message: string, hint?: string): BulwarkError {
  return new BulwarkError('BULWARK_ERR_CONFIG_INVALID', message, hint ? { hint } : {});
}

function staticKeys(name: string, s: AuthJwtScheme): ImportedKey[] {
  return (s.keys ?? []).map((k, i) => {
    const where = `auth.schemes.${name}.keys[${i}]`;
    const given = [k.secret, k.pem, k.jwk].filter((v) => v !== undefined).length;
    if (given !== 1) throw invalid(`${where}: give exactly one of secret, pem, jwk`);
    if (k.secret !== undefined) {
      return importSecret(k.secret, s.algorithms, k.unsafeShortSecret === true, where, k.kid);
    }
    return importPublic(
      k.pem !== undefined ? { pem: k.pem } : { jwk: k.jwk! },
      s.algorithms,
      where,
      k.kid,
    );
  });
}

function remoteKeys(name: string, s: AuthJwtScheme, deps: SchemeDeps): RemoteKeySet | undefined {
  if (s.jwks && s.oidc) throw invalid(`auth.schemes.${name}: give jwks or oidc, not both`);
  const source = s.jwks
    ? () => Promise.resolve(s.jwks!.url)
    : s.oidc
      ? discoverJwksUri(s.oidc.issuer, s.oidc.timeoutMs ?? 5000, deps.dispatcher)
      : undefined;
  if (!source) return undefined;
  const report = deps.report;
  return new RemoteKeySet(source, s.algorithms, {
    cacheMs: (s.jwks?.cacheSeconds ?? 600) * 1000,
    cooldownMs: (s.jwks?.cooldownSeconds ?? 30) * 1000,
    timeoutMs: s.jwks?.timeoutMs ?? s.oidc?.timeoutMs ?? 5000,
    dispatcher: deps.dispatcher,
    onError: report && ((err) => report(name, s.oidc ? 'oidc' : 'jwks', err)),
  });
}

/** Wraps a token verifier with the verified-token cache and the revocation check. */
function cachedBearer(
  verify: (token: string) => Promise<VerifyResult>,
  deps: SchemeDeps,
  extra?: (ctx: RequestContext, r: VerifyResult) => VerifyResult,
): { verifier: CredentialVerifier; cache: TokenCache } {
  const cache = new TokenCache(deps.cacheEntries, deps.cacheMs);
  const revoked = (r: VerifyResult): MaybePromise<VerifyResult> => {
    const jti = r.ok ? r.value.jti : undefined;
    if (!deps.revocation || jti === undefined) return r;
    const hit = deps.revocation.isRevoked(jti);
    return isPromise<boolean>(hit)
      ? hit.then((yes) => (yes ? fail('revoked') : r))
      : hit
        ? fail('revoked')
        : r;
  };
  const finish = (ctx: RequestContext, r: VerifyResult): MaybePromise<VerifyResult> =>
    revoked(extra ? extra(ctx, r) : r);
  const verifier: CredentialVerifier = {
    challenge: 'Bearer',
    verify(ctx) {
      const token = bearerToken(ctx);
      if (token === undefined) return undefined;
      if (token === null) return fail('malformed Authorization header');
      const key = TokenCache.key(token);
      const hit = cache.get(key);
      // Revocation and binding are re-checked on every hit: the cache only saves the signature work.
      if (hit) return finish(ctx, { ok: true, value: hit });
      return verify(token).then((r) => {
        if (r.ok) cache.set(key, r.value);
        return finish(ctx, r);
      });
    },
  };
  return { verifier, cache };
}

function fits(spec: SecurityScheme, conf: AuthScheme, name: string): void {
  const bearerLike =
    (spec.type === 'http' && spec.scheme.toLowerCase() === 'bearer') ||
    spec.type === 'oauth2' ||
    spec.type === 'openIdConnect';
  const ok =
    ((conf.type === 'jwt' || conf.type === 'introspection') && bearerLike) ||
    (conf.type === 'apiKey' && spec.type === 'apiKey') ||
    (conf.type === 'mtls' && spec.type === 'mutualTLS');
  if (!ok) {
    throw invalid(
      `auth.schemes.${name}: a ${conf.type} verifier does not fit the spec's ${spec.type} scheme`,
    );
  }
  if (spec.type === 'apiKey' && spec.in !== 'header') {
    // Keys in URLs end up in logs, caches and Referer headers (CWE-598).
    throw new BulwarkError(
      'BULWARK_ERR_CONFIG_UNSAFE',
      `auth.schemes.${name}: API keys are accepted only in a header, the spec puts it in ${spec.in}`,
    );
  }
}

export function buildVerifier(
  spec: SecurityScheme,
  conf: AuthScheme,
  deps: SchemeDeps,
): CredentialVerifier {
  const name = spec.name;
  fits(spec, conf, name);
  switch (conf.type) {
    case 'jwt': {
      if (!Array.isArray(conf.algorithms) || conf.algorithms.length === 0) {
        throw new BulwarkError(
          'BULWARK_ERR_CONFIG_UNSAFE',
          `auth.schemes.${name}: an explicit algorithms allowlist is required`,
          { hint: 'e.g. algorithms: [EdDSA]; the token header never chooses the algorithm' },
        );
      }
      const statics = staticKeys(name, conf);
      const remote = remoteKeys(name, conf, deps);
      if (statics.length === 0 && !remote)
        throw invalid(`auth.schemes.${name}: no keys, jwks or oidc`);
      const jwt = new JwtVerifier(name, conf, { statics, remote });
      const bind = conf.certificateBound
        ? (ctx: RequestContext, r: VerifyResult): VerifyResult =>
            !r.ok ||
            boundToCertificate(r.value.identity.claims, verifiedCertificate(ctx)?.thumbprint)
              ? r
              : fail('certificate binding (cnf) mismatch')
        : undefined;
      const { verifier, cache } = cachedBearer((t) => jwt.verify(t), deps, bind);
      if (remote) remote.onRemoved = (kids) => cache.dropKids(kids);
      return verifier;
    }
    case 'introspection': {
      const report = deps.report;
      const intro = new IntrospectionVerifier(
        name,
        conf,
        deps.dispatcher,
        report && ((err) => report(name, 'introspection', err)),
      );
      return cachedBearer((t) => intro.verify(t), deps).verifier;
    }
    case 'apiKey': {
      const keys = new ApiKeyVerifier(name, conf);
      const header = (spec as { paramName: string }).paramName.toLowerCase();
      const cache = new TokenCache(deps.cacheEntries, deps.cacheMs);
      return {
        challenge: 'ApiKey',
        verify(ctx) {
          const presented = headerCredential(ctx, header);
          if (presented === undefined) return undefined;
          if (presented === null) return fail('ambiguous API key header');
          const k = TokenCache.key(presented);
          const hit = cache.get(k);
          if (hit) return { ok: true, value: hit };
          const r = keys.verify(presented);
          if (r.ok) cache.set(k, r.value);
          return r;
        },
      };
    }
    case 'mtls':
      return { challenge: 'mTLS', verify: (ctx) => verifyMtls(ctx, name, conf) };
  }
}

export function buildVerifiers(
  schemes: Readonly<Record<string, SecurityScheme>>,
  config: AuthConfig,
  deps: SchemeDeps,
): Map<string, CredentialVerifier> {
  const out = new Map<string, CredentialVerifier>();
  for (const [name, conf] of Object.entries(config.schemes)) {
    const spec = schemes[name];
    if (!spec) {
      throw invalid(`auth.schemes.${name}: the spec declares no security scheme of that name`);
    }
    out.set(name, buildVerifier(spec, conf, deps));
  }
  return out;
}
