// Query cost feeds the rate limiter as a weight: an expensive GraphQL query drains the caller's
// bucket by its cost, so a few costly queries are throttled where cheap ones pass.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { startLab } from '../../../src/lab/index.js';
import { resolvePolicy } from '../../../src/protect/engine/policy.js';
import { startProtect } from '../../../src/protect/engine/server.js';
import { stages } from '../../../src/protect/registry.js';
import { createLogger } from '../../../src/protect/engine/observe.js';
import { LogSink, startUpstream } from '../helpers.js';
import { graphqlSpec } from './fixtures.js';

const rateLimit = {
  store: { type: 'memory', maxKeys: 1000 },
  rules: [
    { name: 'per-client', key: ['address'], algorithm: 'fixed-window', limit: 100, period: '1h' },
  ],
};

test('a query costing 39 uses 39 of a 100-request budget; cheap queries use 1', async (t) => {
  const upstream = await startUpstream(t);
  const gw = await startProtect({
    model: graphqlSpec(),
    policy: { ...resolvePolicy({}), rateLimit } as ReturnType<typeof resolvePolicy>,
    stages,
    upstream: upstream.url,
    port: 0,
    adminPort: 0,
  });
  t.after(() => gw.close());
  const send = (query: string) =>
    fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    }).then((r) => r.status);
  // users(first: 39) { id } costs 39 (one per User object): 1 charged in the rate-limit phase,
  // the other 38 by the GraphQL stage.
  const costly = '{ users(first: 39) { id } }';
  assert.equal(await send(costly), 200);
  assert.equal(await send(costly), 200);
  // 78 of 100 used: a third costly query does not fit (its base 1 is spent), a cheap one does.
  assert.equal(await send(costly), 429);
  assert.equal(await send('{ me { id } }'), 200);
  assert.equal(upstream.seen.length, 3);
});

// Aliased login guesses (issue 10): each alias is one attempt for the login guard. One request of 20
// aliased wrong passwords leaves the guard exactly where 20 separate requests leave it: 5 counted
// failures, then the lockout; the guesses made after the lockout began are neither counted nor
// answered, so a right password among them is not revealed.
const loginGuard = {
  login: {
    operations: [],
    account: { body: '/email' },
    perAccount: { failures: 5, within: '15m' },
    perAddress: { failures: 100, within: '15m' },
    penalty: 'lockout',
    lockout: '15m',
  },
};

async function loginGateway(t: TestContext, labUrl: string): Promise<string> {
  const gw = await startProtect({
    model: graphqlSpec({ limits: { logins: 20, aliases: 20 } }),
    policy: { ...resolvePolicy({}), rateLimit: loginGuard } as ReturnType<typeof resolvePolicy>,
    stages,
    upstream: labUrl,
    port: 0,
    adminPort: 0,
    logger: createLogger(new LogSink()),
  });
  t.after(() => gw.close());
  return gw.url;
}

const guess = (password: string) =>
  `login(email: "alice@lab.test", password: ${JSON.stringify(password)}) { ok token }`;

async function mutate(url: string, query: string) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await res.json()) as {
    data?: Record<string, { ok: boolean; token: string | null } | null>;
    errors?: { message: string; path?: string[] }[];
  };
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body };
}

test('20 aliased wrong logins trip the lockout exactly as 20 separate requests do', async (t) => {
  const lab = await startLab({ variant: 'vulnerable' });
  t.after(() => lab.close());
  const wrong = Array.from({ length: 20 }, (_, i) => `wrong-${i}`);

  const separate = await loginGateway(t, lab.url);
  const statuses: number[] = [];
  for (const p of wrong) statuses.push((await mutate(separate, `mutation { ${guess(p)} }`)).status);
  assert.deepEqual(statuses, [...Array(5).fill(200), ...Array(15).fill(429)]);
  const afterSeparate = await mutate(separate, `mutation { ${guess('alice-password-1')} }`);
  assert.equal(afterSeparate.status, 429);

  const aliased = await loginGateway(t, lab.url);
  const one = await mutate(
    aliased,
    `mutation { ${wrong.map((p, i) => `a${i}: ${guess(p)}`).join(' ')} }`,
  );
  assert.equal(one.status, 200);
  const results = wrong.map((_, i) => one.body.data?.[`a${i}`]);
  assert.deepEqual(results.slice(0, 5), Array(5).fill({ ok: false, token: null }));
  assert.deepEqual(results.slice(5), Array(15).fill(null));
  assert.equal(one.body.errors?.filter((e) => /Too many attempts/.test(e.message)).length, 15);
  const afterAliased = await mutate(aliased, `mutation { ${guess('alice-password-1')} }`);
  assert.equal(afterAliased.status, 429);
  assert.equal(afterAliased.retryAfter, afterSeparate.retryAfter);

  // The right password as the 10th alias: the upstream accepted it, the client never sees it.
  const hidden = await loginGateway(t, lab.url);
  const passwords = wrong.map((p, i) => (i === 9 ? 'alice-password-1' : p));
  const r = await mutate(
    hidden,
    `mutation { ${passwords.map((p, i) => `a${i}: ${guess(p)}`).join(' ')} }`,
  );
  assert.equal(r.body.data?.['a9'], null);
  assert.doesNotMatch(JSON.stringify(r.body), /"token":"/);
  assert.equal((await mutate(hidden, `mutation { ${guess('alice-password-1')} }`)).status, 429);
});

test('without a login guard, aliased logins stay bounded by limits.logins', async (t) => {
  const upstream = await startUpstream(t);
  const gw = await startProtect({
    model: graphqlSpec(),
    policy: resolvePolicy({}),
    stages,
    upstream: upstream.url,
    port: 0,
    adminPort: 0,
    logger: createLogger(new LogSink()),
  });
  t.after(() => gw.close());
  const two = await mutate(gw.url, `mutation { a: ${guess('x')} b: ${guess('y')} }`);
  assert.equal(two.status, 400);
  assert.equal(upstream.seen.length, 0);
});
