// The GraphQL stage through the real gateway over loopback: every bypass and flood from issue 10 is
// refused before the upstream sees it, the gateway keeps answering normal requests meanwhile, and
// suggestions are masked in upstream errors.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { test } from 'node:test';
import { startHarness } from '../helpers.js';
import { graphqlSpec } from './fixtures.js';

const post = (url: string, body: unknown) =>
  fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const reply = (_req: unknown, res: ServerResponse, body: string) => {
  res.setHeader('content-type', 'application/json');
  const hint = body.includes('typo') ? ' Did you mean "passwordHash"?' : '';
  res.end(
    JSON.stringify({ data: null, errors: [{ message: `Cannot query field "typo".${hint}` }] }),
  );
};

const hostile: Record<string, unknown> = {
  'variables-aware cost': {
    query: 'query Q($n: Int) { users(first: $n) { id documents(first: $n) { id } } }',
    variables: { n: 100000 },
  },
  'cyclic fragments': {
    query:
      '{ me { ...A } } fragment A on User { documents { owner { ...B } } } fragment B on User { ...A }',
  },
  'batch multiplying aliases': Array.from({ length: 3 }, () => ({
    query: `{ ${Array.from({ length: 10 }, (_, i) => `a${i}: me { id }`).join(' ')} }`,
  })),
  'batch array too long': Array.from({ length: 50 }, () => ({ query: '{ me { id } }' })),
  'deep nesting 50,000': { query: `${'{a'.repeat(50_000)}${'}'.repeat(50_000)}` },
  '100k tokens': { query: `{ me { ${'id '.repeat(100_000)} } }` },
  'alias flood': {
    query: `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: me { id }`).join(' ')} }`,
  },
  'directive flood': { query: `{ me ${'@skip(if: false) '.repeat(500)} { id } }` },
  '__type introspection': { query: '{ __type(name: "User") { fields { name } } }' },
  '__schema introspection': { query: '{ __schema { types { name } } }' },
  'sensitive field via fragment': {
    query: '{ me { ...F } } fragment F on User { passwordHash }',
  },
};

test('every hostile document is refused before the upstream; limits never appear in the text', async (t) => {
  const h = await startHarness(t, graphqlSpec(), {}, reply);
  for (const [name, body] of Object.entries(hostile)) {
    const res = await post(h.url, body);
    const text = await res.text();
    assert.ok(
      res.status >= 400 && res.status < 500,
      `${name}: ${res.status} ${text.slice(0, 200)}`,
    );
    const problem = JSON.parse(text) as { code: string; detail?: string };
    assert.match(problem.code, /^BULWARK_DENY_/, name);
    assert.ok(
      !/\b(8|15|50|5000|2000|65536)\b/.test(problem.detail ?? ''),
      `${name}: ${problem.detail}`,
    );
  }
  assert.equal(h.upstream.seen.length, 0);
  const ok = await post(h.url, { query: '{ me { id } }' });
  assert.equal(ok.status, 200);
  assert.equal(h.upstream.seen.length, 1);
});

test('the gateway stays responsive: normal requests answer while floods are refused', async (t) => {
  const h = await startHarness(t, graphqlSpec(), {}, reply);
  const floods = Array.from({ length: 20 }, (_, i) =>
    post(h.url, Object.values(hostile)[i % Object.keys(hostile).length]).then((r) => r.status),
  );
  const normals = Array.from({ length: 5 }, () =>
    post(h.url, { query: '{ me { id name } }' }).then((r) => r.status),
  );
  const [f, n] = await Promise.all([Promise.all(floods), Promise.all(normals)]);
  assert.ok(f.every((s) => s >= 400 && s < 500));
  assert.deepEqual(n, [200, 200, 200, 200, 200]);
  const health = await fetch(`${h.url}/health`);
  assert.equal(health.status, 200);
});

test('GET: queries with a preflight header only; mutations never; form posts refused (CSRF)', async (t) => {
  const h = await startHarness(t, graphqlSpec(), {}, reply);
  const q = encodeURIComponent('{ me { id } }');
  const bare = await fetch(`${h.url}/graphql?query=${q}`);
  assert.equal(bare.status, 403);
  assert.equal(((await bare.json()) as { code: string }).code, 'BULWARK_DENY_GRAPHQL_CSRF');
  const pre = { 'graphql-require-preflight': '1' };
  assert.equal((await fetch(`${h.url}/graphql?query=${q}`, { headers: pre })).status, 200);
  const m = encodeURIComponent('mutation { login(email: "a", password: "b") { ok } }');
  const mut = await fetch(`${h.url}/graphql?query=${m}`, { headers: pre });
  assert.equal(mut.status, 405);
  const form = await fetch(`${h.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ query: '{ me { id } }' }),
  });
  assert.ok(form.status === 415 || form.status === 403);
  const badVars = await fetch(`${h.url}/graphql?query=${q}&variables=%7Bnot`, { headers: pre });
  assert.equal(badVars.status, 400);
});

test('field suggestions are masked in upstream errors', async (t) => {
  const h = await startHarness(t, graphqlSpec(), {}, reply);
  // The document is valid for the gate (so the upstream answers), the upstream leaks a suggestion.
  const res = await post(h.url, {
    query: '{ me { id } }',
    operationName: null,
    variables: { typo: 1 },
  });
  const body = (await res.json()) as { errors: { message: string }[] };
  assert.equal(res.status, 200);
  assert.equal(body.errors[0]?.message, 'Cannot query field "typo".');
});

test('malformed JSON bodies and non-object requests get coded refusals', async (t) => {
  const h = await startHarness(t, graphqlSpec(), {}, reply);
  for (const body of ['{"query":', '[1,2]', '{"query": 5}', '{"query":"{ me { id }"}']) {
    const res = await post(h.url, body);
    assert.equal(res.status, 400, body);
    assert.match(((await res.json()) as { code: string }).code, /^BULWARK_DENY_/);
  }
  assert.equal(h.upstream.seen.length, 0);
});
