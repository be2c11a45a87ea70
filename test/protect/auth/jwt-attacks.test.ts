// Every JWT attack from issue 5, each built here and sent through a real gateway over loopback.
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { before, test } from 'node:test';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { AuthConfig } from '../../../src/core/config/sections/auth.js';
import { hmacDigest } from '../../../src/protect/auth/api-keys.js';
import { authGateway, bearer, get, now, rawJwt, securedSpec, type AuthHarness } from './helpers.js';

const ISS = 'https://idp.test';
const AUD = 'bulwark-api';
const PEPPER = 'p'.repeat(40);
let rsa: { privateKey: CryptoKey; publicKey: CryptoKey };
let pem: string;
let ec: { privateKey: CryptoKey; publicKey: CryptoKey };
let ecJwk: JWK;

before(async () => {
  rsa = await generateKeyPair('RS256', { extractable: true });
  pem = await exportSPKI(rsa.publicKey);
  ec = await generateKeyPair('ES256', { extractable: true });
  ecJwk = await exportJWK(ec.publicKey);
});

function config(): AuthConfig {
  return {
    schemes: {
      bearer: {
        type: 'jwt',
        algorithms: ['RS256', 'ES256'],
        issuer: ISS,
        audience: AUD,
        clockToleranceSeconds: 5,
        keys: [
          { kid: 'rsa-1', pem },
          { kid: 'ec-1', jwk: ecJwk },
        ],
      },
      oauth: {
        type: 'jwt',
        algorithms: ['RS256'],
        issuer: ISS,
        audience: AUD,
        keys: [{ kid: 'rsa-1', pem }],
      },
      key: {
        type: 'apiKey',
        pepper: PEPPER,
        apiKeys: [{ id: 'ci', digest: hmacDigest(PEPPER, 'ci.key-material-123'), roles: ['bot'] }],
      },
    },
  };
}

function good(claims: Record<string, unknown> = {}, kid = 'rsa-1') {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setSubject('alice')
    .setIssuer(ISS)
    .setAudience(AUD)
    .setIssuedAt()
    .setExpirationTime('5m');
}

async function refused(
  h: AuthHarness,
  token: string,
  path = '/items',
): Promise<Record<string, unknown>> {
  const before = h.upstream.seen.length;
  const res = await get(`${h.url}${path}`, bearer(token));
  assert.equal(res.status, 401, `expected 401 for ${path}`);
  assert.match(
    res.headers.get('www-authenticate') ?? '',
    /^Bearer realm="api", error="invalid_token"/,
  );
  const body = (await res.json()) as Record<string, unknown>;
  assert.equal(body['code'], 'BULWARK_DENY_UNAUTHENTICATED');
  assert.equal(h.upstream.seen.length, before, 'the refused request never reached the upstream');
  return body;
}

const claims = () => ({ sub: 'mallory', iss: ISS, aud: AUD, iat: now(), exp: now() + 300 });

test('a valid RS256 token passes and the upstream receives the verified identity', async (t) => {
  const h = await authGateway(t, securedSpec(), config());
  const token = await good({ roles: ['reader'] }).sign(rsa.privateKey);
  const res = await get(`${h.url}/items`, { ...bearer(token), 'x-bulwark-subject': 'admin' });
  assert.equal(res.status, 200);
  const seen = h.upstream.seen.at(-1)!;
  assert.equal(seen.headers['x-bulwark-subject'], 'alice');
  assert.equal(seen.headers['x-bulwark-roles'], 'reader');
});

test('alg none with an empty signature is refused', async (t) => {
  const h = await authGateway(t, securedSpec(), config());
  await refused(h, rawJwt({ alg: 'none', typ: 'JWT' }, claims(), ''));
  await refused(h, rawJwt({ alg: 'none', typ: 'JWT' }, claims(), 'AAAA'));
  await refused(h, rawJwt({ alg: 'NoNe' }, claims(), 'AAAA'));
});

test('an RS256 token with its signature stripped is refused', async (t) => {
  const h = await authGateway(t, securedSpec(), config());
  const token = await good().sign(rsa.privateKey);
  await refused(h, `${token.split('.').slice(0, 2).join('.')}.`);
});

test('HS/RS key confusion: HS256 signed with the RSA public key PEM is refused', async (t) => {
  const h = await authGateway(t, securedSpec(), config());
  const header = { alg: 'HS256', kid: 'rsa-1', typ: 'JWT' };
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}`;
  const sig = createHmac('sha256', pem).update(input).digest('base64url');
  await refused(h, `${input}.${sig}`);
});

test('embedded jwk, jku and x5u headers are refused, even with a matching signature', async (t) => {
  const h = await authGateway(t, securedSpec(), config());
  const attacker = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(attacker.publicKey);
  const forged = (extra: Record<string, unknown>) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1', ...extra })
      .setSubject('admin')
      .setIssuer(ISS)
      .setAudience(AUD)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(attacker.privateKey);
  await refused(h, await forged({ jwk }));
  await refused(h, await forged({ jku: 'http://127.0.0.1:1/jwks.json' }));
  await refused(h, await forged({ x5u: 'http://127.0.0.1:1/cert.pem' }));
  // Also with the right key: the header alone is reason enough (RFC 8725 §3.1).
  const withJku = new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1', jku: 'http://x' })
    .setSubject('alice')
    .setIssuer(ISS)
    .setAudience(AUD)
    .setIssuedAt()
    .setExpirationTime('5m');
  await refused(h, await withJku.sign(rsa.privateKey));
});

test('a kid with path or SQL characters is refused without any lookup', async (t) => {
  const h = await authGateway(t, securedSpec(), config());
  for (const kid of ['../../../../dev/null', "rsa-1' OR '1'='1", 'rsa-1;--', 'a/b', '..', 'x y']) {
    await refused(h, await good({}, kid).sign(rsa.privateKey));
  }
  // An unknown but well-formed kid is just unknown.
  await refused(h, await good({}, 'rsa-2').sign(rsa.privateKey));
});

test('ECDSA psychic signature (CVE-2022-21449): ES256 with r = s = 0 is refused', async (t) => {
  const h = await authGateway(t, securedSpec(), config());
  const zero = Buffer.alloc(64).toString('base64url');
  await refused(h, rawJwt({ alg: 'ES256', kid: 'ec-1', typ: 'JWT' }, claims(), zero));
  // A wrong-size signature too; and a real ES256 token passes, so the key is really in use.
  await refused(
    h,
    rawJwt({ alg: 'ES256', kid: 'ec-1' }, claims(), Buffer.alloc(70, 1).toString('base64url')),
  );
  const real = await new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: 'ec-1' })
    .setSubject('alice')
    .setIssuer(ISS)
    .setAudience(AUD)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(ec.privateKey);
  assert.equal((await get(`${h.url}/items`, bearer(real))).status, 200);
});

test('wrong audience and wrong issuer are refused', async (t) => {
  const h = await authGateway(t, securedSpec(), config());
  await refused(h, await good().setAudience('other-api').sign(rsa.privateKey));
  await refused(h, await good().setIssuer('https://evil.test').sign(rsa.privateKey));
});

test('expired and not-yet-valid tokens are refused (beyond the clock tolerance)', async (t) => {
  const h = await authGateway(t, securedSpec(), config());
  await refused(
    h,
    await good()
      .setExpirationTime(now() - 60)
      .sign(rsa.privateKey),
  );
  await refused(
    h,
    await good()
      .setNotBefore(now() + 600)
      .sign(rsa.privateKey),
  );
  await refused(
    h,
    await good()
      .setIssuedAt(now() - 3600)
      .setExpirationTime(now() - 10)
      .sign(rsa.privateKey),
  );
});

test('a token signed by an unrelated key with the right kid is refused', async (t) => {
  const h = await authGateway(t, securedSpec(), config());
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const input = `${Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'rsa-1' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}`;
  const sig = nodeSign('sha256', Buffer.from(input), privateKey).toString('base64url');
  await refused(h, `${input}.${sig}`);
});

test('the 401 is the same whichever part was wrong', async (t) => {
  const h = await authGateway(t, securedSpec(), config());
  const bodies = [
    await refused(h, await good().setAudience('x').sign(rsa.privateKey)),
    await refused(
      h,
      await good()
        .setExpirationTime(now() - 100)
        .sign(rsa.privateKey),
    ),
    await refused(h, rawJwt({ alg: 'none' }, claims())),
    await refused(h, 'not-a-token'),
  ];
  const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
  for (const b of bodies) assert.deepEqual(strip(b), strip(bodies[0]!));
  // The cause is logged for the operator, never sent.
  const reasons = h.logs.records().map((r) => String(r['reason'] ?? ''));
  assert.ok(
    reasons.some((r) => r.includes('ERR_JWT_CLAIM_VALIDATION_FAILED') || r.includes('jwt:')),
  );
});

test('tokens are accepted only from the Authorization header: access_token in the query is refused', async (t) => {
  const h = await authGateway(t, securedSpec(), config());
  const token = await good().sign(rsa.privateKey);
  for (const q of [
    `access_token=${token}`,
    `ACCESS_TOKEN=${token}`,
    `a=1&access%5Ftoken=${token}`,
  ]) {
    const res = await get(`${h.url}/items?${q}`);
    assert.equal(res.status, 400);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body['code'], 'BULWARK_DENY_TOKEN_IN_QUERY');
    assert.match(String(body['detail']), /Authorization header/);
  }
  // Even on a public operation, and even next to a valid header.
  assert.equal((await get(`${h.url}/public?access_token=x`)).status, 400);
  assert.equal((await get(`${h.url}/items?access_token=x`, bearer(token))).status, 400);
  assert.equal(h.upstream.seen.length, 0);
});

test('two Authorization headers are ambiguous and refused', async (t) => {
  const h = await authGateway(t, securedSpec(), config());
  const token = await good().sign(rsa.privateKey);
  const { rawRequest } = await import('../helpers.js');
  const port = new URL(h.url).port;
  const res = await rawRequest(
    h.url,
    `GET /items HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nAuthorization: Bearer x\r\nConnection: close\r\n\r\n`,
  );
  assert.equal(res.status, 401);
});
