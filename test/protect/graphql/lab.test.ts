// The lab's GraphQL flaws: exploitable directly against `vulnerable`, refused through the gateway in
// front of `vulnerable`, and refused by `secure` on its own.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { startLab } from '../../../src/lab/index.js';
import { createLogger } from '../../../src/protect/engine/observe.js';
import { startProtect } from '../../../src/protect/index.js';
import { LogSink } from '../helpers.js';
import { graphqlSpec } from './fixtures.js';

type Body = { data?: Record<string, unknown> | null; errors?: { message: string }[] };

async function lab(t: TestContext, variant: 'vulnerable' | 'secure'): Promise<string> {
  const l = await startLab({ variant });
  t.after(() => l.close());
  return l.url;
}

async function gateway(t: TestContext, upstream: string): Promise<string> {
  const gw = await startProtect({
    model: graphqlSpec(),
    upstream,
    port: 0,
    config: {},
    logger: createLogger(new LogSink()),
  });
  t.after(() => gw.close());
  return gw.url;
}

async function gql(
  url: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; body: Body }> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Body };
}

async function token(url: string, email = 'alice@lab.test', password = 'alice-password-1') {
  const r = await gql(url, {
    query: 'mutation L($e: String!, $p: String!) { login(email: $e, password: $p) { ok token } }',
    variables: { e: email, p: password },
  });
  const login = r.body.data?.['login'] as { token: string | null } | undefined;
  assert.ok(login?.token, JSON.stringify(r.body));
  return login.token;
}

const PASSWORD_HASH = '{ me { id passwordHash } }';
const BOLA = (id: string) => `{ document(id: "${id}") { id title owner { email } } }`;
const INTROSPECTION = '{ __schema { types { name } } }';
const DEEP = `{ me { ${'documents(first: 1) { owner { '.repeat(6)}id${' } }'.repeat(6)} } }`;
const BATCH = Array.from({ length: 4 }, (_, i) => ({
  query: `mutation { login(email: "alice@lab.test", password: "guess-${i}") { ok } }`,
}));

/** A token from the REST login (secure: /graphql needs a token, so logins go over REST). */
async function restToken(url: string, email = 'alice@lab.test', password = 'alice-password-1') {
  const res = await fetch(`${url}/api/v2/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** The id of a document Bob owns (as Bob sees it). */
async function bobsDocument(url: string, login = token): Promise<string> {
  const bob = await login(url, 'bob@lab.test', 'bob-password-1');
  const r = await gql(url, { query: '{ documents(first: 1) { id } }' }, bob);
  const docs = r.body.data?.['documents'] as { id: string }[];
  assert.ok(docs[0]);
  return docs[0].id;
}

test('vulnerable lab: every GraphQL flaw is exploitable directly', async (t) => {
  const url = await lab(t, 'vulnerable');
  const alice = await token(url);
  const hash = await gql(url, { query: PASSWORD_HASH }, alice);
  assert.match(
    String((hash.body.data?.['me'] as { passwordHash: string }).passwordHash),
    /\S{20,}/,
  );
  const stolen = await gql(url, { query: BOLA(await bobsDocument(url)) }, alice);
  assert.equal(
    (stolen.body.data?.['document'] as { owner: { email: string } }).owner.email,
    'bob@lab.test',
  );
  const intro = await gql(url, { query: INTROSPECTION }, alice);
  assert.ok(Array.isArray((intro.body.data?.['__schema'] as { types: unknown[] }).types));
  const deep = await gql(url, { query: DEEP }, alice);
  assert.equal(deep.body.errors, undefined);
  const batch = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(BATCH),
  });
  assert.equal(((await batch.json()) as unknown[]).length, 4);
  const leak = await gql(url, { query: '{ me { passwordHas } }' }, alice);
  assert.match(leak.body.errors?.[0]?.message ?? '', /Did you mean/);
});

test('through the gateway the same exploits are refused before the vulnerable lab', async (t) => {
  const url = await gateway(t, await lab(t, 'vulnerable'));
  const alice = await token(url);
  for (const query of [PASSWORD_HASH, INTROSPECTION, DEEP, '{ me { passwordHas } }']) {
    const r = await gql(url, { query }, alice);
    assert.ok(r.status === 400 || r.status === 403, `${query}: ${r.status}`);
    assert.doesNotMatch(JSON.stringify(r.body), /Did you mean|passwordHash"?\s*\?/);
  }
  const batch = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([...BATCH, ...BATCH]),
  });
  assert.equal(batch.status, 400);
  // Aliased guesses in one request are separate attempts: refused before the lab sees them.
  const aliased = `mutation { ${BATCH.map((b, i) => `g${i}: ${b.query.slice(11, -2)}`).join(' ')} }`;
  assert.equal((await gql(url, { query: aliased })).status, 400);
  // A normal query still answers through the gateway.
  const me = await gql(url, { query: '{ me { email } }' }, alice);
  assert.equal((me.body.data?.['me'] as { email: string }).email, 'alice@lab.test');
});

test('secure lab refuses each flaw on its own', async (t) => {
  const url = await lab(t, 'secure');
  // No token, no GraphQL: not even the login mutation (a second login door would be unthrottled).
  const anon = await gql(url, BATCH[0]);
  assert.equal(anon.status, 401);
  const alice = await restToken(url);
  const hash = await gql(url, { query: PASSWORD_HASH }, alice);
  assert.ok(hash.body.errors && hash.body.data === undefined);
  assert.doesNotMatch(JSON.stringify(hash.body), /Did you mean/);
  const stolen = await gql(url, { query: BOLA(await bobsDocument(url, restToken)) }, alice);
  assert.equal(stolen.body.data?.['document'], null);
  const intro = await gql(url, { query: INTROSPECTION }, alice);
  assert.ok(intro.body.errors && !intro.body.data);
  const deeper = `{ me { ${'documents(first: 1) { owner { '.repeat(8)}id${' } }'.repeat(8)} } }`;
  assert.match(
    (await gql(url, { query: deeper }, alice)).body.errors?.[0]?.message ?? '',
    /too deep/,
  );
  const nest = `${'{a'.repeat(50_000)}${'}'.repeat(50_000)}`;
  assert.match((await gql(url, { query: nest }, alice)).body.errors?.[0]?.message ?? '', /nested/);
  const batch = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${alice}` },
    body: JSON.stringify(BATCH),
  });
  assert.equal(batch.status, 400);
  const big = await gql(url, { query: '{ documents(first: 100000) { id } }' }, alice);
  assert.ok(big.body.errors);
});
