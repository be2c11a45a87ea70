// Imports verification keys and binds each to the algorithms its type can verify, so the token's
// `alg` can never make a key act as another kind (HS/RS confusion, CVE-2015-9235 family; RFC 8725
// §2.1, §3.1). Public keys only: a private key in the gateway's config is refused.
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { JwtAlgorithm } from '../../core/config/sections/auth.js';
import { BulwarkError } from '../../core/errors.js';

export interface ImportedKey {
  readonly kid: string | undefined;
  readonly key: KeyObject | Uint8Array;
  readonly algorithms: ReadonlySet<JwtAlgorithm>;
}

const HMAC_BYTES: Readonly<Record<string, number>> = { HS256: 32, HS384: 48, HS512: 64 };
const RSA_ALGS: readonly JwtAlgorithm[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const CURVE_ALG: Readonly<Record<string, JwtAlgorithm>> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};

function invalid(message: string, hint?: string): BulwarkError {
  return new BulwarkError('BULWARK_ERR_CONFIG_INVALID', message, hint ? { hint } : {});
}

/** The algorithms a public key can verify, narrowed to the allowlist. */
export function algorithmsForKey(
  key: KeyObject,
  allow: readonly JwtAlgorithm[],
): Set<JwtAlgorithm> {
  const type = key.asymmetricKeyType;
  let family: readonly JwtAlgorithm[] = [];
  if (type === 'rsa' || type === 'rsa-pss') family = RSA_ALGS;
  else if (type === 'ec') {
    const alg = CURVE_ALG[key.asymmetricKeyDetails?.namedCurve ?? ''];
    family = alg ? [alg] : [];
  } else if (type === 'ed25519' || type === 'ed448') family = ['EdDSA'];
  return new Set(family.filter((a) => allow.includes(a)));
}

/** RSA keys under 2048 bits are refused (RFC 7518 §3.3, NIST SP 800-131A). */
export function checkKeyStrength(key: KeyObject, where: string): void {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (bits !== undefined && bits < 2048) {
    throw new BulwarkError('BULWARK_ERR_CONFIG_UNSAFE', `${where}: RSA key shorter than 2048 bits`);
  }
}

export function importSecret(
  secret: string,
  allow: readonly JwtAlgorithm[],
  unsafeShort: boolean,
  where: string,
  kid: string | undefined,
): ImportedKey {
  const hs = allow.filter((a) => a in HMAC_BYTES);
  if (hs.length === 0) throw invalid(`${where}: a secret needs an HS* algorithm in algorithms`);
  const bytes = new TextEncoder().encode(secret);
  // RFC 7518 §3.2: "A key of the same size as the hash output ... or larger MUST be used".
  const need = Math.max(...hs.map((a) => HMAC_BYTES[a] ?? 0));
  if (bytes.length < need && !unsafeShort) {
    throw new BulwarkError(
      'BULWARK_ERR_CONFIG_UNSAFE',
      `${where}: the HMAC secret is shorter than RFC 7518 §3.2 requires for its algorithm`,
      { hint: 'use a random secret at least as long as the hash (32 bytes for HS256)' },
    );
  }
  return { kid, key: bytes, algorithms: new Set(hs) };
}

export function importPublic(
  source: { pem: string } | { jwk: Readonly<Record<string, unknown>> },
  allow: readonly JwtAlgorithm[],
  where: string,
  kid: string | undefined,
): ImportedKey {
  if ('pem' in source && /PRIVATE KEY/.test(source.pem)) {
    throw new BulwarkError(
      'BULWARK_ERR_CONFIG_UNSAFE',
      `${where}: a private key; give the public key`,
    );
  }
  if ('jwk' in source && ('d' in source.jwk || source.jwk['kty'] === 'oct')) {
    throw new BulwarkError(
      'BULWARK_ERR_CONFIG_UNSAFE',
      `${where}: a private or symmetric JWK; give a public key (or a secret for HS*)`,
    );
  }
  let key: KeyObject;
  try {
    key =
      'pem' in source
        ? createPublicKey(source.pem)
        : createPublicKey({ key: source.jwk as never, format: 'jwk' });
  } catch (cause) {
    throw new BulwarkError('BULWARK_ERR_CONFIG_INVALID', `${where}: not a usable public key`, {
      cause,
    });
  }
  checkKeyStrength(key, where);
  const algorithms = algorithmsForKey(key, allow);
  const jwkAlg = 'jwk' in source ? source.jwk['alg'] : undefined;
  if (typeof jwkAlg === 'string')
    for (const a of [...algorithms]) if (a !== jwkAlg) algorithms.delete(a);
  if (algorithms.size === 0) throw invalid(`${where}: no allowed algorithm fits this key type`);
  const jwkKid = 'jwk' in source ? source.jwk['kid'] : undefined;
  return { kid: kid ?? (typeof jwkKid === 'string' ? jwkKid : undefined), key, algorithms };
}

/** Key from a JWKS document entry, or undefined when it is unusable (skipped, not fatal). */
export function importJwksEntry(
  jwk: unknown,
  allow: readonly JwtAlgorithm[],
): ImportedKey | undefined {
  if (jwk === null || typeof jwk !== 'object') return undefined;
  const entry = jwk as Record<string, unknown>;
  if (entry['use'] !== undefined && entry['use'] !== 'sig') return undefined;
  if ('d' in entry || entry['kty'] === 'oct') return undefined;
  if (entry['kid'] !== undefined && typeof entry['kid'] !== 'string') return undefined;
  try {
    return importPublic({ jwk: entry }, allow, 'jwks', undefined);
  } catch {
    return undefined;
  }
}
