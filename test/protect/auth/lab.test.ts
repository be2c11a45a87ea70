// The vulnerable lab behind the gateway with examples/lab/bulwark.yaml: each flaw is first shown live
// on the lab itself, then refused through the gateway (API2 forged and expired tokens, API5 admin
// function, API1 another user's documents).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import { loadConfig } from '../../../src/core/config/index.js';
import type { ProtectConfig } from '../../../src/core/config/sections/protect.js';
import { loadSpec } from '../../../src/core/openapi/load.js';
import { startLab, WEAK_SECRET } from '../../../src/lab/index.js';
import { createLogger } from '../../../src/protect/engine/observe.js';
import { startProtect } from '../../../src/protect/engine/server.js';
import { stages } from '../../../src/protect/registry.js';
import { LogSink, ROOT } from '../lab/root.js';
import { authPolicy, b64, now } from './helpers.js';

interface Lab {
  readonly url: string;
  readonly labUrl: string;
  readonly logs: LogSink;
  login(email: string, password: string): Promise<{ token: string; sub: string }>;
}

async function labGateway(t: TestContext, override: ProtectConfig = {}): Promise<Lab> {
  const lab = await startLab({ variant: 'vulnerable' });
  t.after(() => lab.close());
  const config = loadConfig('examples/lab/bulwark.yaml', { cwd: ROOT, env: {} });
  const protect = { ...config.protect, ...override };
  assert.ok(protect.auth, 'the lab policy has an auth section');
  const model = await loadSpec('examples/lab/openapi.yaml', { cwd: ROOT });
  const logs = new LogSink();
  const gw = await startProtect({
    model,
    policy: authPolicy(protect.auth, protect, lab.url),
    stages,
    upstream: lab.url,
    port: 0,
    adminPort: 0,
    logger: createLogger(logs),
  });
  t.after(() => gw.close());
  return {
    url: gw.url,
    labUrl: lab.url,
    logs,
    async login(email, password) {
      const res = await fetch(`${gw.url}/api/v2/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      assert.equal(res.status, 200, 'login is public through the gateway');
      const token = ((await res.json()) as { access_token: string }).access_token;
      const sub = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
        sub: string;
      };
      return { token, sub: sub.sub };
    },
  };
}

const auth = (token: string, json = false): Record<string, string> => ({
  authorization: `Bearer ${token}`,
  ...(json ? { 'content-type': 'application/json' } : {}),
});

/** A token the vulnerable lab accepts: HS256 with its weak secret, or alg none. */
function labToken(claims: Record<string, unknown>, alg: 'HS256' | 'none'): string {
  const input = `${b64({ alg, typ: 'JWT' })}.${b64(claims)}`;
  if (alg === 'none') return `${input}.`;
  return `${input}.${createHmac('sha256', WEAK_SECRET).update(input).digest('base64url')}`;
}

test('API2: a forged alg:none admin token works on the lab and is refused by the gateway', async (t) => {
  const g = await labGateway(t);
  const { sub } = await g.login('admin@lab.test', 'admin-password-1');
  const forged = labToken(
    { sub, role: 'admin', iss: 'bulwark-lab', iat: now(), exp: now() + 600 },
    'none',
  );
  const direct = await fetch(`${g.labUrl}/api/v2/admin/users`, { headers: auth(forged) });
  assert.equal(direct.status, 200, 'the lab accepts alg none');
  const res = await fetch(`${g.url}/api/v2/admin/users`, { headers: auth(forged) });
  assert.equal(res.status, 401);
  assert.match(res.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
});

test('API2: an expired token works on the lab and is refused by the gateway', async (t) => {
  const g = await labGateway(t);
  const { sub } = await g.login('alice@lab.test', 'alice-password-1');
  const expired = labToken(
    { sub, role: 'user', iss: 'bulwark-lab', iat: now() - 7200, exp: now() - 3600 },
    'HS256',
  );
  const direct = await fetch(`${g.labUrl}/api/v2/documents`, { headers: auth(expired) });
  assert.equal(direct.status, 200, 'the lab never checks exp');
  assert.equal((await fetch(`${g.url}/api/v2/documents`, { headers: auth(expired) })).status, 401);
  // A token with the wrong issuer is refused too, though the lab would take it.
  const foreign = labToken(
    { sub, role: 'user', iss: 'elsewhere', iat: now(), exp: now() + 600 },
    'HS256',
  );
  assert.equal((await fetch(`${g.url}/api/v2/documents`, { headers: auth(foreign) })).status, 401);
});

test('API5: a user calling /admin/users is refused (403); an admin passes', async (t) => {
  const g = await labGateway(t);
  const alice = await g.login('alice@lab.test', 'alice-password-1');
  const direct = await fetch(`${g.labUrl}/api/v2/admin/users`, { headers: auth(alice.token) });
  assert.equal(direct.status, 200, 'the lab lets any user list every account');
  const res = await fetch(`${g.url}/api/v2/admin/users`, { headers: auth(alice.token) });
  assert.equal(res.status, 403);
  assert.equal(((await res.json()) as { code: string }).code, 'BULWARK_DENY_FORBIDDEN');
  const admin = await g.login('admin@lab.test', 'admin-password-1');
  assert.equal(
    (await fetch(`${g.url}/api/v2/admin/users`, { headers: auth(admin.token) })).status,
    200,
  );
});

// The vulnerable lab numbers documents 1, 2, 3... while the spec says `format: uuid`, so with the
// full policy the params stage already refuses every document id (400, next test). Request
// validation is put in report mode here so the ownership checks alone are what stops the attack.
test("API1: Alice cannot read, change or delete Bob's documents (404, body never sent); her own work", async (t) => {
  const g = await labGateway(t, { validation: { requests: 'report' } });
  const alice = await g.login('alice@lab.test', 'alice-password-1');
  const bob = await g.login('bob@lab.test', 'bob-password-1');
  const created = await fetch(`${g.url}/api/v2/documents`, {
    method: 'POST',
    headers: auth(bob.token, true),
    body: JSON.stringify({ title: 'Bob private', content: 'bob-secret-content' }),
  });
  assert.equal(created.status, 201);
  const bobDoc = ((await created.json()) as { id: string }).id;
  const mine = await fetch(`${g.url}/api/v2/documents`, {
    method: 'POST',
    headers: auth(alice.token, true),
    body: JSON.stringify({ title: 'Alice note', content: 'alice-content' }),
  });
  const aliceDoc = ((await mine.json()) as { id: string }).id;
  const docUrl = (base: string, id: string) => `${base}/api/v2/documents/${id}`;

  const direct = await fetch(docUrl(g.labUrl, bobDoc), { headers: auth(alice.token) });
  assert.equal(direct.status, 200, "the lab serves Bob's document to Alice (BOLA)");

  const read = await fetch(docUrl(g.url, bobDoc), { headers: auth(alice.token) });
  assert.equal(read.status, 404);
  const text = await read.text();
  assert.ok(!text.includes('bob-secret-content') && !text.includes('owner_id'), 'no upstream body');
  assert.equal((JSON.parse(text) as { code: string }).code, 'BULWARK_DENY_NOT_FOUND');
  const missing = await fetch(docUrl(g.url, '00000000-0000-4000-8000-000000000000'), {
    headers: auth(alice.token),
  });
  assert.equal(missing.status, 404, 'same answer as a document that does not exist');

  const put = await fetch(docUrl(g.url, bobDoc), {
    method: 'PUT',
    headers: auth(alice.token, true),
    body: JSON.stringify({ title: 'pwned', content: 'pwned' }),
  });
  assert.equal(put.status, 404);
  const del = await fetch(docUrl(g.url, bobDoc), { method: 'DELETE', headers: auth(alice.token) });
  assert.equal(del.status, 404);
  const classify = await fetch(`${docUrl(g.url, bobDoc)}/classify`, {
    method: 'POST',
    headers: auth(alice.token),
  });
  assert.equal(classify.status, 404);

  const after = (await (
    await fetch(docUrl(g.url, bobDoc), { headers: auth(bob.token) })
  ).json()) as { title: string };
  assert.equal(after.title, 'Bob private', "Bob's document is unchanged and still there");

  // Alice's own document: read, change, delete all pass.
  assert.equal((await fetch(docUrl(g.url, aliceDoc), { headers: auth(alice.token) })).status, 200);
  const own = await fetch(docUrl(g.url, aliceDoc), {
    method: 'PUT',
    headers: auth(alice.token, true),
    body: JSON.stringify({ title: 'Alice v2', content: 'x' }),
  });
  assert.equal(own.status, 200);
  assert.equal(
    (await fetch(docUrl(g.url, aliceDoc), { method: 'DELETE', headers: auth(alice.token) })).status,
    204,
  );
  // Decisions are explained in the log.
  const reasons = g.logs.records().map((r) => String(r['reason'] ?? ''));
  assert.ok(reasons.some((r) => r.startsWith('ownership: preflight')));
});

test('API1 with the full lab policy: the enumerable ids never reach the lab at all', async (t) => {
  const g = await labGateway(t);
  const alice = await g.login('alice@lab.test', 'alice-password-1');
  for (const method of ['GET', 'PUT', 'DELETE']) {
    const res = await fetch(`${g.url}/api/v2/documents/1`, {
      method,
      headers: auth(alice.token, method === 'PUT'),
      ...(method === 'PUT' ? { body: JSON.stringify({ title: 't', content: 'c' }) } : {}),
    });
    assert.ok(res.status === 400 || res.status === 404, `${method}: ${res.status}`);
  }
});

test('an admin may read any document (override permission)', async (t) => {
  const g = await labGateway(t, { validation: { requests: 'report' } });
  const bob = await g.login('bob@lab.test', 'bob-password-1');
  const admin = await g.login('admin@lab.test', 'admin-password-1');
  const created = await fetch(`${g.url}/api/v2/documents`, {
    method: 'POST',
    headers: auth(bob.token, true),
    body: JSON.stringify({ title: 'Bob', content: 'c' }),
  });
  const id = ((await created.json()) as { id: string }).id;
  assert.equal(
    (await fetch(`${g.url}/api/v2/documents/${id}`, { headers: auth(admin.token) })).status,
    200,
  );
});
