// OWASP API2:2023 Broken Authentication (CWE-287, CWE-347, CWE-613, CWE-307, CWE-204, CWE-521).
// Vulnerable: HS256 tokens signed with a dictionary word, verified by hand in a way that accepts
// `alg: none` and never checks `exp`; unlimited login attempts; login errors that tell an unknown
// email from a wrong password. Secure: EdDSA (Ed25519) tokens verified by jose with the algorithm
// pinned and iss, aud, exp, iat checked; 15-minute tokens; throttled logins; one generic error.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type JWK,
} from 'jose';
import type { UserRow } from '../db/store.js';
import { HttpProblem, problems } from '../http/problem.js';
import { SlidingWindow } from '../limits.js';
import type { LabLimits } from '../types.js';

export const ISSUER = 'bulwark-lab';
export const AUDIENCE = 'bulwark-lab-api';

export interface IssuedToken {
  readonly token: string;
  readonly expiresIn: number;
}

export interface TokenService {
  readonly algorithm: string;
  issue(user: UserRow): Promise<IssuedToken>;
  /** The subject (user id) of a valid token, or undefined. Never throws on bad input. */
  verify(token: string): Promise<string | undefined>;
  /** The public keys (RFC 7517), or undefined when the variant publishes none. */
  jwks(): { keys: JWK[] } | undefined;
  /** What the vulnerable debug route leaks (API9). */
  readonly leakableSecret: string | undefined;
}

export interface LoginPolicy {
  /** Throws 429 when this account or address is throttled (checked before the password). */
  before(email: string, ip: string, now: number): void;
  failed(email: string, ip: string, now: number): void;
  succeeded(email: string): void;
  /** The answer to a failed login. */
  failure(reason: 'unknown_email' | 'wrong_password'): HttpProblem;
}

// ---------------------------------------------------------------------------------------------
// Vulnerable

/** FLAW: a dictionary word (found in seconds by any JWT cracker's wordlist). */
export const WEAK_SECRET = 'secret';

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

function hmac(input: string): Buffer {
  return createHmac('sha256', WEAK_SECRET).update(input).digest();
}

export function vulnerableTokens(): TokenService {
  return {
    algorithm: 'HS256',
    leakableSecret: WEAK_SECRET,
    jwks: () => undefined,
    async issue(user) {
      const iat = Math.floor(Date.now() / 1000);
      const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
      const claims = { sub: user.id, role: user.role, iss: ISSUER, iat, exp: iat + 3600 };
      const body = `${header}.${b64url(JSON.stringify(claims))}`;
      return { token: `${body}.${b64url(hmac(body))}`, expiresIn: 3600 };
    },
    async verify(token) {
      try {
        const [header = '', payload = '', signature] = token.split('.');
        const alg = String(JSON.parse(Buffer.from(header, 'base64url').toString()).alg);
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as {
          sub?: unknown;
        };
        // FLAW: the token chooses its own algorithm, and "none" means "no signature to check".
        if (alg.toLowerCase() !== 'none') {
          if (alg !== 'HS256' || signature === undefined) return undefined;
          const given = Buffer.from(signature, 'base64url');
          const expected = hmac(`${header}.${payload}`);
          if (given.length !== expected.length || !timingSafeEqual(given, expected))
            return undefined;
        }
        // FLAW: exp (and iss, aud) are never looked at; a stolen token works forever.
        return claims.sub === undefined ? undefined : String(claims.sub);
      } catch {
        return undefined;
      }
    },
  };
}

export function vulnerableLoginPolicy(): LoginPolicy {
  return {
    before: () => {}, // FLAW: no attempt limit at all (CWE-307)
    failed: () => {},
    succeeded: () => {},
    // FLAW: two different answers tell an attacker which emails are registered (CWE-204).
    failure: (reason) =>
      new HttpProblem({
        status: 401,
        code: reason,
        title: 'Unauthorized',
        detail: reason === 'unknown_email' ? 'No account with this email.' : 'Wrong password.',
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Secure

const TOKEN_SECONDS = 15 * 60;

/** `clock` returns the current time in ms; tests move it to prove expiry. */
export async function secureTokens(clock: () => number = Date.now): Promise<TokenService> {
  // A fresh key per start: tokens from a previous run are worthless.
  const { privateKey, publicKey } = await generateKeyPair('Ed25519', { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const published: JWK = { ...jwk, kid, alg: 'EdDSA', use: 'sig' };
  return {
    algorithm: 'EdDSA',
    leakableSecret: undefined,
    jwks: () => ({ keys: [published] }),
    async issue(user) {
      const token = await new SignJWT({ role: user.role })
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' })
        .setSubject(user.id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(Math.floor(clock() / 1000))
        .setExpirationTime(Math.floor(clock() / 1000) + TOKEN_SECONDS)
        .setJti(randomUUID())
        .sign(privateKey);
      return { token, expiresIn: TOKEN_SECONDS };
    },
    async verify(token) {
      if (token.length > 4096) return undefined;
      try {
        // FIX: the verifier, not the token, picks the algorithm; every claim is checked.
        const { payload } = await jwtVerify(token, publicKey, {
          algorithms: ['EdDSA'],
          issuer: ISSUER,
          audience: AUDIENCE,
          typ: 'JWT',
          requiredClaims: ['sub', 'iat', 'exp'],
          maxTokenAge: TOKEN_SECONDS,
          clockTolerance: 5,
          currentDate: new Date(clock()),
        });
        return typeof payload.sub === 'string' ? payload.sub : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

export function secureLoginPolicy(limits: LabLimits): LoginPolicy {
  const perAccount = new SlidingWindow(limits.loginPerAccount, limits.loginWindowMs);
  const perAddress = new SlidingWindow(limits.loginPerAddress, limits.loginWindowMs);
  const account = (email: string) => email.trim().toLowerCase();
  return {
    // FIX: too many recent failures for this account or from this address -> 429, before the
    // password is even checked, so a throttled attacker learns nothing from further guesses.
    before(email, ip, now) {
      const wait = Math.max(perAccount.waitMs(account(email), now), perAddress.waitMs(ip, now));
      if (wait > 0) {
        throw problems.tooManyRequests(
          'login_throttled',
          wait / 1000,
          'Too many failed logins. Try again later.',
        );
      }
    },
    failed(email, ip, now) {
      perAccount.record(account(email), now);
      perAddress.record(ip, now);
    },
    succeeded: (email) => perAccount.reset(account(email)),
    // FIX: one answer for every failure (CWE-204).
    failure: () =>
      new HttpProblem({
        status: 401,
        code: 'invalid_credentials',
        title: 'Unauthorized',
        detail: 'Invalid email or password.',
      }),
  };
}
