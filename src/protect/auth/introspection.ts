// OAuth 2.0 token introspection (RFC 7662) for opaque tokens. The answer is cached by the token's
// hash, never past its `exp` and at most cacheSeconds, so a revoked token stops working within that
// bound. An unreachable or slow endpoint fails closed.
import { fetch, type Dispatcher } from 'undici';
import type { AuthIntrospectionScheme } from '../../core/config/sections/auth.js';
import { claimNames, identityFromClaims, type ClaimNames } from './claims.js';
import { fail, type VerifyResult } from './types.js';

export class IntrospectionVerifier {
  private readonly name: string;
  private readonly scheme: AuthIntrospectionScheme;
  private readonly names: ClaimNames;
  private readonly basic: string;
  private readonly dispatcher: Dispatcher | undefined;
  private readonly report: ((err: Error) => void) | undefined;

  constructor(
    name: string,
    scheme: AuthIntrospectionScheme,
    dispatcher?: Dispatcher,
    report?: (err: Error) => void,
  ) {
    this.name = name;
    this.dispatcher = dispatcher;
    this.report = report;
    this.scheme = scheme;
    this.names = claimNames(scheme.claims);
    // RFC 7662 §2.1 + RFC 6749 §2.3.1: form-encode the client credentials before Basic.
    const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
    this.basic = Buffer.from(`${enc(scheme.clientId)}:${enc(scheme.clientSecret)}`).toString(
      'base64',
    );
  }

  async verify(token: string, now = Date.now()): Promise<VerifyResult> {
    let doc: Record<string, unknown>;
    try {
      const res = await fetch(this.scheme.url, {
        method: 'POST',
        redirect: 'error',
        signal: AbortSignal.timeout(this.scheme.timeoutMs ?? 3000),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          authorization: `Basic ${this.basic}`,
        },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
        ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
      });
      if (res.status !== 200) {
        await res.body?.cancel();
        this.report?.(new Error(`introspection endpoint answered ${res.status}`));
        return fail(`introspection status ${res.status}`);
      }
      const text = await res.text();
      if (text.length > 65_536) return fail('introspection answer too large');
      doc = JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      this.report?.(err as Error);
      return fail('introspection unavailable');
    }
    if (doc === null || typeof doc !== 'object' || doc['active'] !== true)
      return fail('inactive token');
    const exp = doc['exp'];
    if (typeof exp === 'number' && exp * 1000 <= now) return fail('expired');
    if (this.scheme.issuer !== undefined && doc['iss'] !== this.scheme.issuer)
      return fail('issuer');
    if (this.scheme.audience !== undefined) {
      const aud = doc['aud'];
      const list = Array.isArray(aud) ? aud : [aud];
      if (!list.includes(this.scheme.audience)) return fail('audience');
    }
    const identity = identityFromClaims(doc, this.names, this.name);
    if (!identity) return fail('no subject');
    const bound = now + (this.scheme.cacheSeconds ?? 60) * 1000;
    return {
      ok: true,
      value: {
        identity,
        expiresAt: typeof exp === 'number' ? Math.min(exp * 1000, bound) : bound,
        jti: typeof doc['jti'] === 'string' ? doc['jti'] : undefined,
      },
    };
  }
}
