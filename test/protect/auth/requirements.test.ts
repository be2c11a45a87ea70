// Security requirements as the spec declares them: default deny, public operations, alternatives (OR),
// schemes within a requirement (AND), scopes, API keys with rotation, identity header stripping.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SignJWT } from 'jose';
import type { AuthConfig } from '../../../src/core/config/sections/auth.js';
import { hmacDigest } from '../../../src/protect/auth/api-keys.js';
import { authGateway, bearer, get, now, openapi, rawJwt, securedSpec } from './helpers.js';

const SECRET = 's'.repeat(32);
const PEPPER = 'p'.repeat(32);
const key = new TextEncoder().encode(SECRET);
const DAY = 86_400_000;

function config(extra: Partial<AuthConfig> = {}): AuthConfig {
  const jwt = { type: 'jwt' as const, algorithms: ['HS256' as const], keys: [{ secret: SECRET }] };
  return {
    schemes: {
      bearer: { ...jwt, claims: { roles: 'role' } },
      oauth: jwt,
      key: {
        type: 'apiKey',
        pepper: PEPPER,
        apiKeys: [
          {
            id: 'old',
            digest: hmacDigest(PEPPER, 'old.aaaaaaaa'),
            subject: 'ci',
            expires: new Date(Date.now() - DAY).toISOString(),
          },
          {
            id: 'new',
            digest: hmacDigest(PEPPER, 'new.bbbbbbbb'),
            subject: 'ci',
            roles: ['bot'],
            scopes: ['items:read'],
          },
          {
            id: 'next',
            digest: hmacDigest(PEPPER, 'next.cccccccc'),
            subject: 'ci',
            notBefore: new Date(Date.now() + DAY).toISOString(),
          },
        ],
      },
    },
    ...extra,
  };
}

const token = (claims: Record<string, unknown> = {}, sub = 'alice') =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);

test('no credentials: 401 with a bare challenge (RFC 6750 §3.1)', async (t) => {
  const h = await authGateway(t, securedSpec(), config());
  const res = await get(`${h.url}/items`);
  assert.equal(res.status, 401);
  assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="api"');
  assert.equal(((await res.json()) as { code: string }).code, 'BULWARK_DENY_UNAUTHENTICATED');
  assert.equal(h.upstream.seen.length, 0);
});

test('security: [] is public; client-sent identity headers are stripped there too', async (t) => {
  const h = await authGateway(t, securedSpec(), config());
  const res = await get(`${h.url}/public`, {
    'x-bulwark-subject': 'admin',
    'X-Bulwark-Roles': 'admin',
  });
  assert.equal(res.status, 200);
  const seen = h.upstream.seen[0]!;
  assert.equal(seen.headers['x-bulwark-subject'], undefined);
  assert.equal(seen.headers['x-bulwark-roles'], undefined);
});

test('default deny: an operation the spec gives no security is refused, unless allowlisted', async (t) => {
  const spec = () =>
    openapi(
      {
        '/open': { get: { operationId: 'open', responses: { '200': { description: 'ok' } } } },
        '/listed': { get: { operationId: 'listed', responses: { '200': { description: 'ok' } } } },
      },
      { components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } },
    );
  const h = await authGateway(t, spec(), {
    schemes: { bearer: { type: 'jwt', algorithms: ['HS256'], keys: [{ secret: SECRET }] } },
    public: ['listed'],
  });
  const res = await get(`${h.url}/open`, bearer(await token()));
  assert.equal(
    res.status,
    401,
    'even a valid token cannot open an operation with no declared security',
  );
  assert.equal((await get(`${h.url}/listed`)).status, 200);
  assert.equal(h.upstream.seen.length, 1);
});

test('alternatives are OR: either a bearer token or an API key', async (t) => {
  const h = await authGateway(t, securedSpec(), config());
  assert.equal((await get(`${h.url}/either`, bearer(await token()))).status, 200);
  assert.equal((await get(`${h.url}/either`, { 'x-api-key': 'new.bbbbbbbb' })).status, 200);
  assert.equal((await get(`${h.url}/either`)).status, 401);
  // A wrong credential is a 401 even when another alternative would pass.
  const res = await get(`${h.url}/either`, { ...bearer(await token()), 'x-api-key': 'wrong' });
  assert.equal(res.status, 401);
});

test('schemes within one requirement are AND: both must be present and valid', async (t) => {
  const h = await authGateway(t, securedSpec(), config());
  assert.equal((await get(`${h.url}/both`, bearer(await token()))).status, 401);
  assert.equal((await get(`${h.url}/both`, { 'x-api-key': 'new.bbbbbbbb' })).status, 401);
  const res = await get(`${h.url}/both`, { ...bearer(await token()), 'x-api-key': 'new.bbbbbbbb' });
  assert.equal(res.status, 200);
  assert.equal(h.upstream.seen[0]!.headers['x-bulwark-subject'], 'alice');
});

test('OAuth scopes from the spec are required: 403 insufficient_scope, 200 with the scope', async (t) => {
  const h = await authGateway(t, securedSpec(), config());
  const res = await get(`${h.url}/scoped`, bearer(await token({ scope: 'items:read' })));
  assert.equal(res.status, 403);
  assert.match(res.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);
  assert.equal(((await res.json()) as { code: string }).code, 'BULWARK_DENY_FORBIDDEN');
  assert.equal(
    (await get(`${h.url}/scoped`, bearer(await token({ scope: 'items:read items:write' })))).status,
    200,
  );
  assert.equal(
    (await get(`${h.url}/scoped`, bearer(await token({ scp: ['items:write'] })))).status,
    200,
  );
});

test('API keys: digests only, rotation window (not_before / expires), per-key identity', async (t) => {
  const h = await authGateway(t, securedSpec(), config());
  const call = (k: string) => get(`${h.url}/either`, { 'x-api-key': k });
  assert.equal((await call('old.aaaaaaaa')).status, 401, 'expired key');
  assert.equal((await call('next.cccccccc')).status, 401, 'key not yet valid');
  assert.equal((await call('new.bbbbbbbbX')).status, 401, 'near miss');
  assert.equal((await call('x'.repeat(300))).status, 401, 'oversized');
  const ok = await call('new.bbbbbbbb');
  assert.equal(ok.status, 200);
  const seen = h.upstream.seen.at(-1)!;
  assert.equal(seen.headers['x-bulwark-subject'], 'ci');
  assert.equal(seen.headers['x-bulwark-roles'], 'bot');
  assert.equal(seen.headers['x-bulwark-scopes'], 'items:read');
});

test('admin paths are denied to users by default (403), allowed with the admin permission', async (t) => {
  const h = await authGateway(
    t,
    securedSpec(),
    config({ roles: { admin: ['admin'], user: ['items:read'] } }),
  );
  const user = await get(`${h.url}/admin/stats`, bearer(await token({ role: 'user' })));
  assert.equal(user.status, 403);
  assert.equal(
    (await get(`${h.url}/admin/stats`, bearer(await token({ role: 'admin' })))).status,
    200,
  );
});

function optionalSpec() {
  const ok = { '200': { description: 'ok' } };
  return openapi(
    {
      '/feed': { get: { operationId: 'feed', security: [{}, { bearer: [] }], responses: ok } },
      '/admin/feed': {
        get: { operationId: 'adminFeed', security: [{}, { key: [] }], responses: ok },
      },
    },
    {
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          key: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
    },
  );
}

/** The bearer and API key schemes of optionalSpec(), as config() configures them. */
function optionalConfig(): AuthConfig {
  const { bearer: _claims, key } = config().schemes;
  void _claims;
  return {
    schemes: {
      bearer: { type: 'jwt', algorithms: ['HS256'], keys: [{ secret: SECRET }] },
      key: key!,
    },
  };
}

test('optional authentication verifies a token that is sent: a forged one is a 401, never forwarded', async (t) => {
  const h = await authGateway(t, optionalSpec(), optionalConfig());
  const anonymous = await get(`${h.url}/feed`);
  assert.equal(anonymous.status, 200);
  assert.equal(h.upstream.seen[0]?.headers['x-bulwark-subject'], undefined);

  const forged = rawJwt({ alg: 'none', typ: 'JWT' }, { sub: 'admin', exp: now() + 60 });
  const refused = await get(`${h.url}/feed`, bearer(forged));
  assert.equal(refused.status, 401);
  assert.match(refused.headers.get('www-authenticate') ?? '', /invalid_token/);
  assert.equal(h.upstream.seen.length, 1, 'the forged token never reached the upstream');

  const valid = await get(`${h.url}/feed`, bearer(await token({}, 'bob')));
  assert.equal(valid.status, 200);
  assert.equal(h.upstream.seen[1]?.headers['x-bulwark-subject'], 'bob');
});

test('an anonymous caller of an optional-auth admin path is refused (admin needs a permission)', async (t) => {
  const h = await authGateway(t, optionalSpec(), optionalConfig());
  const res = await get(`${h.url}/admin/feed`);
  assert.equal(res.status, 401);
  assert.equal(res.headers.get('www-authenticate'), 'ApiKey realm="api"');
  assert.equal(h.upstream.seen.length, 0);
});
