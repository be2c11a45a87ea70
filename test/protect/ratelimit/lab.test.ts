// The vulnerable lab behind the gateway with examples/lab/bulwark.yaml itself (its rateLimit section):
// each flaw is first shown live on the lab, then refused through the gateway. API4: a scripted
// burst of reads; API6: unlimited invitations; API2: unlimited password guessing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../../src/core/config/index.js';
import { loadSpec } from '../../../src/core/openapi/load.js';
import { labBehindGateway } from '../lab/helpers.js';
import { ROOT } from '../lab/root.js';

const login = (url: string, email: string, password: string) =>
  fetch(`${url}/api/v2/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });

const problemCode = async (res: Response) => ((await res.json()) as { code?: string }).code;

/** `total` GETs of /users/me as one caller, `width` at a time (as a script or the scanner sends). */
async function burst(url: string, token: string, total: number, width = 8): Promise<Response[]> {
  const out: Response[] = [];
  for (let sent = 0; sent < total; sent += width) {
    const wave = await Promise.all(
      Array.from({ length: Math.min(width, total - sent) }, () =>
        fetch(`${url}/api/v2/users/me`, { headers: { authorization: `Bearer ${token}` } }),
      ),
    );
    for (const res of wave) await res.arrayBuffer();
    out.push(...wave);
  }
  return out;
}

test('the lab policy has the three controls the issue asks for', () => {
  const config = loadConfig('examples/lab/bulwark.yaml', { cwd: ROOT, env: {} });
  const rl = config.protect?.rateLimit;
  assert.ok(rl, 'examples/lab/bulwark.yaml has protect.rateLimit');
  assert.ok(
    rl.rules?.some((r) => r.key.includes('identity')),
    'a per-user rule',
  );
  assert.ok(
    rl.quotas?.some((q) => q.operations.includes('createInvitation')),
    'the invitation quota',
  );
  assert.deepEqual(rl.login?.operations, ['login'], 'login brute-force protection');
});

test('every lab operation is under one per-user rule: requests for REST, query cost for GraphQL', async () => {
  const config = loadConfig('examples/lab/bulwark.yaml', { cwd: ROOT, env: {} });
  const model = await loadSpec('examples/lab/openapi.yaml', { cwd: ROOT });
  const perUser = (config.protect?.rateLimit?.rules ?? []).filter((r) =>
    r.key.includes('identity'),
  );
  for (const op of model.operations) {
    const covering = perUser.filter(
      (r) => op.operationId && r.operations?.includes(op.operationId),
    );
    assert.equal(covering.length, 1, `${op.key} is covered by exactly one per-user rule`);
  }
});

test('API2: password guessing works on the lab; through the gateway the 6th try is a uniform 429', async (t) => {
  const g = await labBehindGateway(t);
  // The flaw, live: the lab answers the right password after any number of wrong ones.
  for (let i = 0; i < 6; i++)
    assert.equal((await login(g.labUrl, 'bob@lab.test', `wrong-${i}`)).status, 401);
  assert.equal((await login(g.labUrl, 'bob@lab.test', 'bob-password-1')).status, 200);

  for (let i = 0; i < 5; i++)
    assert.equal((await login(g.url, 'alice@lab.test', `wrong-${i}`)).status, 401);
  const right = await login(g.url, 'alice@lab.test', 'alice-password-1');
  assert.equal(right.status, 429, 'even the right password waits out the penalty');
  assert.ok(Number(right.headers.get('retry-after')) >= 1);
  assert.equal(await problemCode(right), 'BULWARK_DENY_LOGIN_THROTTLED');
  // Uniform (CWE-204): an account that does not exist, past the same allowance, looks the same.
  for (let i = 0; i < 5; i++)
    assert.equal((await login(g.url, 'nobody@lab.test', `wrong-${i}`)).status, 401);
  const ghost = await login(g.url, 'nobody@lab.test', 'x');
  assert.equal(ghost.status, 429);
  assert.equal(await problemCode(ghost), 'BULWARK_DENY_LOGIN_THROTTLED');
  // The penalty is per account: Bob still logs in from the same address.
  assert.equal((await login(g.url, 'bob@lab.test', 'bob-password-1')).status, 200);
});

test('API2: the lab tells unknown emails from wrong passwords; through the gateway both look alike', async (t) => {
  const g = await labBehindGateway(t);
  const body = async (res: Response) => ({ status: res.status, ...((await res.json()) as object) });
  const directKnown = await body(await login(g.labUrl, 'alice@lab.test', 'wrong'));
  const directUnknown = await body(await login(g.labUrl, 'nobody@lab.test', 'wrong'));
  assert.notDeepEqual(directKnown, directUnknown, 'the flaw, live: two different answers');
  const known = await body(await login(g.url, 'alice@lab.test', 'wrong'));
  const unknown = await body(await login(g.url, 'nobody@lab.test', 'wrong'));
  assert.deepEqual({ ...known, requestId: 0 }, { ...unknown, requestId: 0 });
  assert.equal((known as { code?: string }).code, 'BULWARK_DENY_LOGIN_FAILED');
});

test('API6: the lab queues any number of invitations; through the gateway the 11th in 24 h is refused', async (t) => {
  const g = await labBehindGateway(t);
  const alice = await g.token();
  const invite = (base: string, token: string, email: string) =>
    fetch(`${base}/api/v2/invitations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ email }),
    });
  // The flaw, live: 12 invitations straight to the lab are all accepted (as Bob, a separate user).
  const bobDirect = (
    (await (await login(g.labUrl, 'bob@lab.test', 'bob-password-1')).json()) as {
      access_token: string;
    }
  ).access_token;
  for (let i = 0; i < 12; i++)
    assert.equal((await invite(g.labUrl, bobDirect, `spam${i}@example.com`)).status, 202);

  assert.equal(
    (await invite(g.url, alice, 'not-an-email')).status,
    400,
    'refused by validation: not counted',
  );
  const statuses = [];
  for (let i = 0; i < 11; i++)
    statuses.push((await invite(g.url, alice, `friend${i}@example.com`)).status);
  assert.deepEqual(statuses, [...Array<number>(10).fill(202), 429]);
  const refused = await invite(g.url, alice, 'one-more@example.com');
  assert.equal(refused.status, 429);
  assert.equal(await problemCode(refused), 'BULWARK_DENY_QUOTA_EXCEEDED');
  assert.ok(Number(refused.headers.get('retry-after')) >= 1);
  // The quota is per user: Bob's own invitations through the gateway still pass.
  const bob = await g.token('bob@lab.test', 'bob-password-1');
  assert.equal((await invite(g.url, bob, 'bobs-friend@example.com')).status, 202);
});

test('API6: sign-ups from one address stop at 10 an hour; refused ones do not count', async (t) => {
  const g = await labBehindGateway(t);
  const signup = (email: string, password = 'a-long-password-1', base = g.url) =>
    fetch(`${base}/api/v2/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, name: 'Spam' }),
    });
  // The flaw, live: the lab creates as many accounts as one client asks for.
  for (let i = 0; i < 12; i++)
    assert.equal((await signup(`direct${i}@example.com`, undefined, g.labUrl)).status, 201);
  assert.equal((await signup('short@example.com', 'short')).status, 400, 'invalid: not counted');
  const statuses = [];
  for (let i = 0; i < 11; i++) statuses.push((await signup(`fake${i}@example.com`)).status);
  assert.deepEqual(statuses, [...Array<number>(10).fill(201), 429]);
});

test('API4: a scripted burst of 250 reads passes the lab; the gateway throttles it, per user', async (t) => {
  const g = await labBehindGateway(t);
  const alice = await g.token();
  // The flaw, live: the lab serves the whole burst.
  const direct = await burst(g.labUrl, alice, 250);
  assert.deepEqual(new Set(direct.map((r) => r.status)), new Set([200]));

  const started = performance.now();
  const answers = await burst(g.url, alice, 250);
  const seconds = (performance.now() - started) / 1000;
  const admitted = answers.filter((r) => r.status === 200).length;
  // A page load's worth (the burst of 100) always passes; beyond it only the refill of 10 a second.
  assert.ok(
    answers.slice(0, 96).every((r) => r.status === 200),
    'the first 100 pass',
  );
  assert.ok(admitted <= 100 + Math.ceil(seconds * 10) + 1, `admitted ${admitted} in ${seconds}s`);
  const refused = answers.filter((r) => r.status === 429);
  assert.equal(refused.length, answers.length - admitted, 'everything else is a 429');
  assert.ok(refused.length > 0, `throttled after ${seconds}s`);
  const first = refused[0]!;
  assert.equal(first.headers.get('content-type'), 'application/problem+json');
  assert.ok(Number(first.headers.get('retry-after')) >= 1);
  assert.equal(first.headers.get('ratelimit-policy'), '"per-user";q=10;w=1');
  assert.match(first.headers.get('ratelimit') ?? '', /^"per-user";r=0;t=\d+$/);
  // Per user: Bob, right after, is not slowed down by Alice's flood.
  const bob = await g.token('bob@lab.test', 'bob-password-1');
  assert.deepEqual(
    (await burst(g.url, bob, 16)).map((r) => r.status),
    Array<number>(16).fill(200),
  );
});

test('API4 on /graphql: a page of 100 documents passes; a flood of them is throttled in query cost', async (t) => {
  const g = await labBehindGateway(t);
  const alice = await g.token();
  const query = (q: string, base = g.url) =>
    fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${alice}` },
      body: JSON.stringify({ query: q }),
    });
  const page = '{ documents(first: 100) { id title owner { id name } } }';
  // The flaw, live: the lab answers a flood of pages without a limit.
  const direct = await Promise.all(Array.from({ length: 40 }, () => query(page, g.labUrl)));
  assert.deepEqual(new Set(direct.map((r) => r.status)), new Set([200]));
  for (const res of direct) await res.arrayBuffer();
  const first = await query(page);
  assert.equal(first.status, 200, 'a human-sized query passes');
  await first.arrayBuffer();
  const statuses: number[] = [];
  for (let i = 0; i < 60 && !statuses.includes(429); i++) {
    const wave = await Promise.all(Array.from({ length: 8 }, () => query(page)));
    for (const res of wave) {
      statuses.push(res.status);
      await res.arrayBuffer();
    }
  }
  assert.ok(statuses.includes(429), `throttled after ${statuses.length} queries`);
  assert.ok(statuses.indexOf(429) >= 8, 'not before a page load worth of queries');
});
