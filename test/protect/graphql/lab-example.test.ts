// The lab's /graphql behind the gateway exactly as a user runs it: examples/lab/openapi.yaml (whose
// /graphql is marked x-bulwark-graphql) and examples/lab/bulwark.yaml in front of the vulnerable lab.
// Each GraphQL flaw of the vulnerable lab is refused; normal queries answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labBehindGateway } from '../lab/helpers.js';

type Answer = { status: number; body: Record<string, unknown> };

test('the lab example policy refuses the GraphQL flaws and serves normal queries', async (t) => {
  const gw = await labBehindGateway(t);
  const alice = await gw.token();
  const bob = await gw.token('bob@lab.test', 'bob-password-1');
  const post = async (body: unknown, token = alice): Promise<Answer> => {
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const refused = async (body: unknown, code: string | RegExp, status: number) => {
    const r = await post(body);
    assert.equal(
      r.status,
      status,
      `${JSON.stringify(body).slice(0, 80)}: ${JSON.stringify(r.body)}`,
    );
    if (typeof code === 'string') assert.equal(r.body['code'], code);
    else assert.match(String(r.body['code']), code);
    assert.doesNotMatch(JSON.stringify(r.body), /Did you mean/);
  };

  // Normal queries pass, over POST and GET, and their answers are not stripped.
  const me = await post({ query: '{ me { id email documents(first: 2) { id title } } }' });
  assert.equal(me.status, 200, JSON.stringify(me.body));
  const data = me.body['data'] as { me: { email: string; documents: unknown[] } };
  assert.equal(data.me.email, 'alice@lab.test');
  assert.ok(Array.isArray(data.me.documents));
  const get = await fetch(`${gw.url}/graphql?query=${encodeURIComponent('{ me { email } }')}`, {
    headers: { authorization: `Bearer ${alice}`, 'graphql-require-preflight': '1' },
  });
  assert.equal(get.status, 200);

  // API3: passwordHash is not in the contract's schema.
  await refused({ query: '{ me { passwordHash } }' }, 'BULWARK_DENY_GRAPHQL_INVALID', 400);
  // API8: introspection, by __schema and by __type.
  await refused(
    { query: '{ __schema { types { name } } }' },
    'BULWARK_DENY_GRAPHQL_INTROSPECTION',
    403,
  );
  await refused(
    { query: '{ __type(name: "User") { name } }' },
    'BULWARK_DENY_GRAPHQL_INTROSPECTION',
    403,
  );
  // API4: depth and cost (variables-aware).
  const deep = `{ me { ${'documents(first: 1) { owner { '.repeat(5)}id${' } }'.repeat(5)} } }`;
  await refused({ query: deep }, 'BULWARK_DENY_GRAPHQL_TOO_COMPLEX', 400);
  await refused(
    {
      query: 'query($n: Int) { documents(first: $n) { owner { documents(first: $n) { id } } } }',
      variables: { n: 1000 },
    },
    'BULWARK_DENY_GRAPHQL_TOO_COMPLEX',
    400,
  );
  // API4/API2: batches past 5 entries (the spec's maxItems or the gate), and more than one login
  // guess per request.
  await refused(
    Array.from({ length: 6 }, () => ({ query: '{ me { id } }' })),
    /^BULWARK_DENY_(BODY_INVALID|GRAPHQL_BATCH)$/,
    400,
  );
  const guesses = Array.from(
    { length: 3 },
    (_, i) => `g${i}: login(email: "bob@lab.test", password: "guess-${i}") { ok }`,
  );
  await refused(
    { query: `mutation { ${guesses.join(' ')} }` },
    'BULWARK_DENY_GRAPHQL_TOO_COMPLEX',
    400,
  );
  // API1: document(id) with Bob's id, as Alice.
  const mine = await post({ query: '{ documents(first: 1) { id } }' }, bob);
  const bobsId = (mine.body['data'] as { documents: { id: string }[] }).documents[0]?.id;
  assert.ok(bobsId, JSON.stringify(mine.body));
  await refused(
    { query: `{ document(id: "${bobsId}") { id title } }` },
    'BULWARK_DENY_GRAPHQL_FIELD',
    403,
  );
  // ...also smuggled through a fragment.
  await refused(
    { query: `{ ...F } fragment F on Query { document(id: "${bobsId}") { id } }` },
    'BULWARK_DENY_GRAPHQL_FIELD',
    403,
  );
  // API7: importDocument(url) is default-deny here (the REST import carries the SSRF guard).
  await refused(
    { query: 'mutation { importDocument(url: "http://169.254.169.254/") { id } }' },
    'BULWARK_DENY_GRAPHQL_FIELD',
    403,
  );
  // API2: no token, or the vulnerable lab's alg:none forgery, never reaches the lab.
  const anon = await fetch(`${gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ me { id } }' }),
  });
  assert.equal(anon.status, 401);
  const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
    JSON.stringify({ sub: 'bob', iss: 'bulwark-lab', iat: Math.floor(Date.now() / 1000) }),
  ).toString('base64url')}.`;
  assert.equal((await post({ query: '{ me { id } }' }, none)).status, 401);
});
