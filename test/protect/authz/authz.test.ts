// Authorization through a real gateway: RBAC, scopes intersected with permissions, ABAC rules over
// query and body, path-parameter ownership, response ownership (object 404, list filtered).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SignJWT } from 'jose';
import type { AuthConfig } from '../../../src/core/config/sections/auth.js';
import { authGateway, bearer, get, openapi } from '../auth/helpers.js';

const SECRET = 'z'.repeat(32);
const key = new TextEncoder().encode(SECRET);
const token = (sub: string, claims: Record<string, unknown> = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);

const json = (schema: unknown = { type: 'object' }) => ({
  description: 'ok',
  content: { 'application/json': { schema } },
});
const spec = () =>
  openapi(
    {
      '/reports': {
        get: {
          operationId: 'listReports',
          'x-bulwark-permissions': ['reports:read'],
          parameters: [{ name: 'department', in: 'query', schema: { type: 'string' } }],
          responses: { '200': json() },
        },
      },
      '/payments': {
        post: {
          operationId: 'pay',
          requestBody: {
            content: {
              'application/json': {
                schema: { type: 'object', properties: { amount: { type: 'number' } } },
              },
            },
          },
          responses: { '200': json() },
        },
      },
      '/users/{userId}/settings': {
        get: {
          operationId: 'getSettings',
          parameters: [{ name: 'userId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': json() },
        },
      },
      '/notes/{id}': {
        get: {
          operationId: 'getNote',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': json() },
        },
      },
      '/pages': {
        get: {
          operationId: 'pageNotes',
          responses: { '200': json({ type: 'object', additionalProperties: true }) },
        },
      },
      '/notes': {
        get: {
          operationId: 'listNotes',
          responses: {
            '200': json({ type: 'array', items: { type: 'object', additionalProperties: true } }),
          },
        },
      },
    },
    {
      security: [{ bearer: [] }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  );

const config: AuthConfig = {
  schemes: {
    bearer: {
      type: 'jwt',
      algorithms: ['HS256'],
      keys: [{ secret: SECRET }],
      claims: { roles: 'roles' },
    },
  },
  roles: { analyst: ['reports:read'], clerk: ['payments:small'], support: ['notes:any'] },
  operations: {
    listReports: { rule: 'subject.department == request.query.department' },
    pay: { rule: "request.body.amount <= 100 or subject.permissions contains 'payments:large'" },
    getSettings: { ownership: { param: 'userId' } },
    getNote: { ownership: { response: '/owner', override: ['notes:any'] } },
    listNotes: { ownership: { response: '/owner' } },
    pageNotes: { ownership: { response: '/items/*/owner' } },
  },
};

const NOTES: Record<string, { owner: string; text: string }> = {
  n1: { owner: 'alice', text: 'alice note' },
  n2: { owner: 'bob', text: 'bob secret' },
};

async function gateway(t: Parameters<typeof authGateway>[0]) {
  return authGateway(t, spec(), config, (req, res) => {
    res.setHeader('content-type', 'application/json');
    const id = /^\/notes\/(\w+)/.exec(req.url ?? '')?.[1];
    if (id) res.end(JSON.stringify(NOTES[id] ?? {}));
    else if (req.url === '/notes') res.end(JSON.stringify(Object.values(NOTES)));
    else if (req.url === '/pages')
      res.end(JSON.stringify({ items: Object.values(NOTES), next: null }));
    else res.end('{}');
  });
}

test('RBAC: x-bulwark-permissions needs a role that grants it (403 otherwise)', async (t) => {
  const h = await gateway(t);
  const q = '/reports?department=sales';
  assert.equal(
    (await get(h.url + q, bearer(await token('a', { roles: ['clerk'], department: 'sales' }))))
      .status,
    403,
  );
  assert.equal(
    (await get(h.url + q, bearer(await token('a', { roles: ['analyst'], department: 'sales' }))))
      .status,
    200,
  );
});

test('scopes constrain permissions: a token whose scopes lack the permission is refused', async (t) => {
  const h = await gateway(t);
  const q = '/reports?department=sales';
  const narrow = await token('a', { roles: ['analyst'], department: 'sales', scope: 'profile' });
  assert.equal((await get(h.url + q, bearer(narrow))).status, 403, 'role allows, scope does not');
  const wide = await token('a', {
    roles: ['analyst'],
    department: 'sales',
    scope: 'profile reports:read',
  });
  assert.equal((await get(h.url + q, bearer(wide))).status, 200);
  const scopeOnly = await token('a', { roles: [], department: 'sales', scope: 'reports:read' });
  assert.equal((await get(h.url + q, bearer(scopeOnly))).status, 403, 'scope alone grants nothing');
});

test('ABAC: a rule over claims and query; a missing claim denies; the log explains', async (t) => {
  const h = await gateway(t);
  const analyst = (claims: Record<string, unknown>) =>
    token('a', { roles: ['analyst'], ...claims });
  assert.equal(
    (await get(`${h.url}/reports?department=hr`, bearer(await analyst({ department: 'sales' }))))
      .status,
    403,
  );
  assert.equal(
    (await get(`${h.url}/reports?department=sales`, bearer(await analyst({})))).status,
    403,
  );
  const reasons = h.logs.records().map((r) => String(r['reason'] ?? ''));
  assert.ok(reasons.some((r) => r.startsWith('rule denied: subject.department')));
  assert.ok(reasons.some((r) => r.startsWith('rule lacked a fact')));
});

test('ABAC over body fields runs after the body is parsed', async (t) => {
  const h = await gateway(t);
  const pay = async (amount: number) =>
    fetch(`${h.url}/payments`, {
      method: 'POST',
      headers: {
        ...bearer(await token('a', { roles: ['clerk'] })),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ amount }),
    });
  assert.equal((await pay(50)).status, 200);
  assert.equal((await pay(5000)).status, 403);
  assert.equal(h.upstream.seen.length, 1);
});

test('ownership by path parameter: /users/{userId} only for userId == sub (404 otherwise)', async (t) => {
  const h = await gateway(t);
  const alice = bearer(await token('alice'));
  assert.equal((await get(`${h.url}/users/alice/settings`, alice)).status, 200);
  const res = await get(`${h.url}/users/bob/settings`, alice);
  assert.equal(res.status, 404);
  assert.equal(((await res.json()) as { code: string }).code, 'BULWARK_DENY_NOT_FOUND');
  assert.equal(h.upstream.seen.length, 1, 'refused before forwarding');
});

test('ownership on the answer: 404 without the body; override permission passes; lists are filtered', async (t) => {
  const h = await gateway(t);
  const alice = bearer(await token('alice'));
  assert.equal((await get(`${h.url}/notes/n1`, alice)).status, 200);
  const res = await get(`${h.url}/notes/n2`, alice);
  assert.equal(res.status, 404);
  assert.ok(!(await res.text()).includes('bob secret'));
  const support = bearer(await token('carol', { roles: ['support'] }));
  assert.equal((await get(`${h.url}/notes/n2`, support)).status, 200);
  const list = (await (await get(`${h.url}/notes`, alice)).json()) as { owner: string }[];
  assert.deepEqual(
    list.map((n) => n.owner),
    ['alice'],
  );
});

test('a preflight without a known upstream URL fails closed: guarded writes get 404, never forwarded', async (t) => {
  const { startUpstream } = await import('../helpers.js');
  const { startProtect } = await import('../../../src/protect/engine/server.js');
  const { stages } = await import('../../../src/protect/registry.js');
  const { authPolicy } = await import('../auth/helpers.js');
  const model = openapi(
    {
      '/notes/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: { operationId: 'getNote', responses: { '200': json() } },
        delete: { operationId: 'deleteNote', responses: { '204': { description: 'gone' } } },
      },
    },
    {
      security: [{ bearer: [] }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  );
  const upstream = await startUpstream(t);
  const auth: AuthConfig = {
    schemes: { bearer: { type: 'jwt', algorithms: ['HS256'], keys: [{ secret: SECRET }] } },
    operations: {
      deleteNote: { ownership: { preflight: { operation: 'getNote', field: '/owner' } } },
    },
  };
  const gw = await startProtect({
    model,
    policy: authPolicy(auth),
    stages,
    upstream: upstream.url,
    port: 0,
    adminPort: 0,
  });
  t.after(() => gw.close());
  const res = await fetch(`${gw.url}/notes/n1`, {
    method: 'DELETE',
    headers: bearer(await token('alice')),
  });
  assert.equal(res.status, 404);
  assert.equal(upstream.seen.length, 0);
});
