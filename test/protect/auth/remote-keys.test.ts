// Keys served over loopback: a JWKS that rotates, an unknown-kid refresh bounded by a cooldown, a
// fetch timeout, and OpenID Connect discovery with an issuer check.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { AuthConfig } from '../../../src/core/config/sections/auth.js';
import { RemoteKeySet } from '../../../src/protect/auth/remote-keys.js';
import { authGateway, bearer, get, openapi } from './helpers.js';

interface KeyServer {
  url: string;
  hits: number;
  keys: JWK[];
  delayMs: number;
  issuer: string | undefined;
}

async function keyServer(t: TestContext): Promise<KeyServer> {
  const state: KeyServer = { url: '', hits: 0, keys: [], delayMs: 0, issuer: undefined };
  const server: Server = createServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ issuer: state.issuer ?? state.url, jwks_uri: `${state.url}/jwks` }));
      return;
    }
    state.hits++;
    setTimeout(() => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: state.keys }));
    }, state.delayMs);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

async function signer(kid: string) {
  const pair = await generateKeyPair('EdDSA', { extractable: true });
  const jwk = { ...(await exportJWK(pair.publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  const sign = (sub = 'alice') =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'EdDSA', kid })
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(pair.privateKey as CryptoKey);
  return { jwk, sign };
}

const spec = () =>
  openapi(
    {
      '/items': { get: { operationId: 'listItems', responses: { '200': { description: 'ok' } } } },
    },
    {
      security: [{ bearer: [] }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  );

test('a token signed by a key that rotated out of the JWKS is refused at once, cache included', async (t) => {
  const ks = await keyServer(t);
  const a = await signer('key-a');
  const b = await signer('key-b');
  ks.keys = [a.jwk];
  const auth: AuthConfig = {
    schemes: {
      bearer: {
        type: 'jwt',
        algorithms: ['EdDSA'],
        jwks: { url: `${ks.url}/jwks`, cooldownSeconds: 0 },
      },
    },
  };
  const h = await authGateway(t, spec(), auth);
  const tokenA = await a.sign();
  assert.equal((await get(`${h.url}/items`, bearer(tokenA))).status, 200);
  assert.equal((await get(`${h.url}/items`, bearer(tokenA))).status, 200, 'served from the cache');
  ks.keys = [b.jwk]; // the IdP rotates: key-a is gone
  assert.equal(
    (await get(`${h.url}/items`, bearer(await b.sign()))).status,
    200,
    'unknown kid: refreshed',
  );
  const res = await get(`${h.url}/items`, bearer(tokenA));
  assert.equal(
    res.status,
    401,
    'the rotated-out key no longer verifies, even though its token was cached',
  );
});

test('unknown kids refresh the JWKS at most once per cooldown', async (t) => {
  const ks = await keyServer(t);
  const a = await signer('key-a');
  ks.keys = [a.jwk];
  const h = await authGateway(t, spec(), {
    schemes: {
      bearer: {
        type: 'jwt',
        algorithms: ['EdDSA'],
        jwks: { url: `${ks.url}/jwks`, cooldownSeconds: 600 },
      },
    },
  });
  assert.equal((await get(`${h.url}/items`, bearer(await a.sign()))).status, 200);
  const hits = ks.hits;
  for (let i = 0; i < 10; i++) {
    const forged = await signer(`random-${i}`);
    assert.equal((await get(`${h.url}/items`, bearer(await forged.sign()))).status, 401);
  }
  assert.ok(ks.hits - hits <= 1, `${ks.hits - hits} refreshes for 10 unknown kids`);
});

test('a JWKS that does not answer in time fails closed (401), the gateway stays up', async (t) => {
  const ks = await keyServer(t);
  const a = await signer('key-a');
  ks.keys = [a.jwk];
  ks.delayMs = 2000;
  const h = await authGateway(t, spec(), {
    schemes: {
      bearer: {
        type: 'jwt',
        algorithms: ['EdDSA'],
        jwks: { url: `${ks.url}/jwks`, timeoutMs: 100 },
      },
    },
  });
  assert.equal((await get(`${h.url}/items`, bearer(await a.sign()))).status, 401);
});

test('OIDC discovery finds the keys; a discovery document naming another issuer is refused', async (t) => {
  const ks = await keyServer(t);
  const a = await signer('key-a');
  ks.keys = [a.jwk];
  const auth = (issuer: string): AuthConfig => ({
    schemes: { bearer: { type: 'jwt', algorithms: ['EdDSA'], oidc: { issuer } } },
  });
  const h = await authGateway(t, spec(), auth(ks.url));
  assert.equal((await get(`${h.url}/items`, bearer(await a.sign()))).status, 200);
  ks.issuer = 'https://evil.test';
  const h2 = await authGateway(t, spec(), auth(ks.url));
  assert.equal((await get(`${h2.url}/items`, bearer(await a.sign()))).status, 401);
});

test('JWKS entries that are private, symmetric, for encryption or of a disallowed type are skipped', async (t) => {
  const ks = await keyServer(t);
  const a = await signer('key-a');
  const rsa = await generateKeyPair('RS256', { extractable: true });
  ks.keys = [
    { kty: 'oct', k: 'c2VjcmV0', kid: 'key-a' },
    { ...a.jwk, use: 'enc' },
    { ...(await exportJWK(rsa.privateKey)), kid: 'key-a' },
  ];
  const set = new RemoteKeySet(() => Promise.resolve(`${ks.url}/jwks`), ['EdDSA'], {
    cacheMs: 60_000,
    cooldownMs: 0,
    timeoutMs: 1000,
  });
  assert.deepEqual(await set.candidates('key-a'), []);
  ks.keys = [a.jwk];
  assert.equal((await set.candidates('key-a')).length, 1);
});
