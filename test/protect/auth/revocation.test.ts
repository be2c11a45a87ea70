// The jti deny-list, in memory and in a real Redis shared by gateways; revocation wins over the
// verified-token cache.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { SignJWT } from 'jose';
import { Redis } from 'ioredis';
import type { AuthConfig } from '../../../src/core/config/sections/auth.js';
import { MemoryRevocation, RedisRevocation } from '../../../src/protect/auth/revocation.js';
import { authGateway, bearer, get, openapi } from './helpers.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const SECRET = 'r'.repeat(32);
const key = new TextEncoder().encode(SECRET);
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
const token = (jti: string) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('alice')
    .setJti(jti)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);

test('memory deny-list: a revoked jti is refused, others pass', async (t) => {
  const auth: AuthConfig = {
    schemes: { bearer: { type: 'jwt', algorithms: ['HS256'], keys: [{ secret: SECRET }] } },
    revocation: { store: 'memory', jti: ['stolen-1'] },
  };
  const h = await authGateway(t, spec(), auth);
  assert.equal((await get(`${h.url}/items`, bearer(await token('stolen-1')))).status, 401);
  assert.equal((await get(`${h.url}/items`, bearer(await token('fine-1')))).status, 200);
});

test('MemoryRevocation entries end with the token', async () => {
  const list = new MemoryRevocation();
  await list.revoke('a', Date.now() + 60_000);
  await list.revoke('b', Date.now() - 1);
  assert.equal(list.isRevoked('a'), true);
  assert.equal(list.isRevoked('b'), false);
});

test('Redis deny-list: a jti revoked by another process is refused on the next request, cache or not', async (t) => {
  const prefix = `bulwark-test:revoked:${randomBytes(6).toString('hex')}:`;
  const admin = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: () => null,
  });
  try {
    await admin.connect();
  } catch (cause) {
    throw new Error(`Redis is required at ${REDIS_URL}`, { cause });
  }
  t.after(async () => {
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length) await admin.del(...keys);
    admin.disconnect();
  });
  const h = await authGateway(t, spec(), {
    schemes: { bearer: { type: 'jwt', algorithms: ['HS256'], keys: [{ secret: SECRET }] } },
    revocation: { store: 'redis', url: REDIS_URL, prefix },
  });
  const jti = randomUUID();
  const tok = await token(jti);
  assert.equal((await get(`${h.url}/items`, bearer(tok))).status, 200);
  await admin.set(prefix + jti, '1', 'PX', 60_000);
  assert.equal((await get(`${h.url}/items`, bearer(tok))).status, 401, 'cached, but revoked');
});

test('an unreachable Redis fails closed: tokens count as revoked', async () => {
  const list = new RedisRevocation('redis://127.0.0.1:1', 'x:');
  try {
    assert.equal(await list.isRevoked('anything'), true);
  } finally {
    await list.close();
  }
});
