// JWT bearer verification (RFC 7519, RFC 8725 best current practice) on jose. Before jose sees the
// token, the header is checked here: the algorithm must be in the configured allowlist (the header
// never chooses, RFC 8725 §3.1), embedded key headers (jwk, jku, x5u, x5c) are refused because they
// let the token pick its own key (CVE-2018-0114), `kid` is an opaque identifier with a strict
// charset that is only ever looked up in memory (no path or SQL use, CWE-22/CWE-89), and ECDSA
// signatures must have the exact size with non-zero r and s (CVE-2022-21449 "psychic signatures").
import { jwtVerify, type JWTHeaderParameters, type JWTVerifyOptions } from 'jose';
import type { KeyObject } from 'node:crypto';
import type { AuthJwtScheme, JwtAlgorithm } from '../../core/config/sections/auth.js';
import { claimNames, identityFromClaims, type ClaimNames } from './claims.js';
import type { ImportedKey } from './key-import.js';
import type { RemoteKeySet } from './remote-keys.js';
import { fail, type VerifyResult } from './types.js';

export const MAX_TOKEN_BYTES = 8192;
const B64URL = /^[A-Za-z0-9_-]+$/;
const KID = /^[A-Za-z0-9._~-]{1,128}$/;
const EMBEDDED_KEY_HEADERS = ['jwk', 'jku', 'x5u', 'x5c'] as const;
const ECDSA_SIZE: Readonly<Record<string, number>> = { ES256: 64, ES384: 96, ES512: 132 };

export interface JwtKeySource {
  readonly statics: readonly ImportedKey[];
  readonly remote: RemoteKeySet | undefined;
}

function isZero(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0) return false;
  return true;
}

/** Structural and header checks; returns the parsed header or a refusal reason. */
export function precheck(
  token: string,
  allow: readonly JwtAlgorithm[],
): { header: JWTHeaderParameters } | { reason: string } {
  if (token.length > MAX_TOKEN_BYTES) return { reason: 'token too large' };
  const parts = token.split('.');
  if (parts.length !== 3) return { reason: 'not a compact JWS' };
  const [h = '', p = '', s = ''] = parts;
  if (!B64URL.test(h) || !B64URL.test(p)) return { reason: 'malformed token' };
  if (s.length === 0 || !B64URL.test(s)) return { reason: 'empty or malformed signature' };
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
  } catch {
    return { reason: 'malformed header' };
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    return { reason: 'malformed header' };
  }
  const hdr = header as Record<string, unknown>;
  const alg = hdr['alg'];
  if (typeof alg !== 'string' || !(allow as readonly string[]).includes(alg)) {
    return { reason: `algorithm not allowed` };
  }
  for (const name of EMBEDDED_KEY_HEADERS) {
    if (name in hdr) return { reason: `embedded key header ${name}` };
  }
  const kid = hdr['kid'];
  if (kid !== undefined && (typeof kid !== 'string' || !KID.test(kid) || kid.includes('..'))) {
    return { reason: 'kid with forbidden characters' };
  }
  const size = ECDSA_SIZE[alg];
  if (size !== undefined) {
    const sig = Buffer.from(s, 'base64url');
    if (
      sig.length !== size ||
      isZero(sig.subarray(0, size / 2)) ||
      isZero(sig.subarray(size / 2))
    ) {
      return { reason: 'invalid ECDSA signature' };
    }
  }
  return { header: hdr as JWTHeaderParameters };
}

export class JwtVerifier {
  readonly name: string;
  private readonly allow: readonly JwtAlgorithm[];
  private readonly keys: JwtKeySource;
  private readonly options: JWTVerifyOptions;
  private readonly names: ClaimNames;
  private readonly maxAge: number | undefined;

  constructor(name: string, scheme: AuthJwtScheme, keys: JwtKeySource) {
    this.name = name;
    this.allow = scheme.algorithms;
    this.keys = keys;
    this.names = claimNames(scheme.claims);
    this.maxAge = scheme.maxTokenAgeSeconds;
    const options: JWTVerifyOptions = {
      algorithms: [...scheme.algorithms],
      clockTolerance: scheme.clockToleranceSeconds ?? 30,
      requiredClaims: ['exp', this.names.subject, ...(scheme.requiredClaims ?? [])],
    };
    if (scheme.issuer !== undefined) options.issuer = scheme.issuer as string | string[];
    if (scheme.audience !== undefined) options.audience = scheme.audience as string | string[];
    if (scheme.typ !== undefined) options.typ = scheme.typ;
    if (scheme.maxTokenAgeSeconds !== undefined) options.maxTokenAge = scheme.maxTokenAgeSeconds;
    this.options = options;
  }

  /** Keys the header may be verified with: matching kid and an algorithm the key type allows. */
  private async keyFor(header: JWTHeaderParameters): Promise<KeyObject | Uint8Array | undefined> {
    const alg = header.alg as JwtAlgorithm;
    const kid = header.kid;
    const pick = (list: readonly ImportedKey[]) =>
      list.filter((k) => k.algorithms.has(alg) && (kid === undefined || k.kid === kid));
    let found = pick(this.keys.statics);
    if (found.length === 0 && this.keys.remote)
      found = pick(await this.keys.remote.candidates(kid));
    // Without a kid, one key must be unambiguous: never try keys in turn (an oracle, and slow).
    return found.length === 1 ? found[0]!.key : undefined;
  }

  async verify(token: string, now = Date.now()): Promise<VerifyResult> {
    const pre = precheck(token, this.allow);
    if ('reason' in pre) return fail(pre.reason);
    const key = await this.keyFor(pre.header);
    if (key === undefined) return fail('no key for kid/alg');
    try {
      const { payload } = await jwtVerify(token, key, {
        ...this.options,
        currentDate: new Date(now),
      });
      const identity = identityFromClaims(payload, this.names, this.name);
      if (!identity) return fail('no subject');
      return {
        ok: true,
        value: {
          identity,
          // Reuse ends at exp, or when the token passes its maximum age (iat + maxTokenAge).
          expiresAt:
            Math.min(
              payload.exp ?? 0,
              this.maxAge !== undefined && payload.iat !== undefined
                ? payload.iat + this.maxAge
                : Infinity,
            ) * 1000,
          jti: typeof payload.jti === 'string' ? payload.jti : undefined,
          kid: pre.header.kid,
        },
      };
    } catch (e) {
      return fail(`jwt: ${(e as { code?: string }).code ?? 'invalid'}`);
    }
  }
}
