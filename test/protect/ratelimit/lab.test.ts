// The vulnerable lab behind the gateway with the proposed rate-limit section: its API4 (no rate
// limit), API6 (unlimited invitations) and API2 (no login throttling) flaws are refused.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test, type TestContext } from 'node:test';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/core/config/index.js';
import { loadSpec } from '../../../src/core/openapi/load.js';
import { startLab } from '../../../src/lab/index.js';
import { resolvePolicy } from '../../../src/protect/engine/policy.js';
import { startProtect } from '../../../src/protect/engine/server.js';
import { stages } from '../../../src/protect/registry.js';
import { ROOT } from '../lab/root.js';

const rateLimit = parse(
  readFileSync(new URL('./fixtures/lab-ratelimit.yaml', import.meta.url), 'utf8'),
) as unknown;

async function labGateway(t: TestContext): Promise<string> {
  const lab = await startLab({ variant: 'vulnerable' });
  t.after(() => lab.close());
  const config = loadConfig('examples/lab/bulwark.yaml', { cwd: ROOT });
  const model = await loadSpec('examples/lab/openapi.yaml', { cwd: ROOT });
  const gw = await startProtect({
    model,
    policy: { ...resolvePolicy(config.protect ?? {}), rateLimit } as ReturnType<
      typeof resolvePolicy
    >,
    stages,
    upstream: lab.url,
    port: 0,
    adminPort: 0,
  });
  t.after(() => gw.close());
  return gw.url;
}

const login = (url: string, email: string, password: string) =>
  fetch(`${url}/api/v2/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });

test('API2: login brute force is stopped; even the right password gets the uniform 429', async (t) => {
  const url = await labGateway(t);
  for (let i = 0; i < 5; i++)
    assert.equal((await login(url, 'alice@lab.test', `wrong-${i}`)).status, 401);
  const right = await login(url, 'alice@lab.test', 'alice-password-1');
  assert.equal(right.status, 429);
  assert.equal(((await right.json()) as { code?: string }).code, 'BULWARK_DENY_LOGIN_THROTTLED');
  assert.ok(Number(right.headers.get('retry-after')) >= 1);
});

test('API6: the 11th invitation in 24 hours is refused; only accepted ones count', async (t) => {
  const url = await labGateway(t);
  const res = await login(url, 'alice@lab.test', 'alice-password-1');
  const token = ((await res.json()) as { access_token: string }).access_token;
  const invite = (email: string) =>
    fetch(`${url}/api/v2/invitations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ email }),
    });
  assert.equal((await invite('not-an-email')).status, 400, 'refused by validation: not counted');
  const statuses = [];
  for (let i = 0; i < 11; i++) statuses.push((await invite(`friend${i}@example.com`)).status);
  assert.deepEqual(statuses, [...Array<number>(10).fill(202), 429]);
});

test('API4: a flood from one caller is throttled with Retry-After and RateLimit headers', async (t) => {
  const url = await labGateway(t);
  const statuses: number[] = [];
  let refused: Response | undefined;
  for (let i = 0; i < 60; i++) {
    const res = await fetch(`${url}/api/v2/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    statuses.push(res.status);
    if (res.status === 429) refused ??= res;
    await res.arrayBuffer();
  }
  // Burst 30: the first 30 pass the limiter (and fail validation with 400); later ones are refused
  // except the few that the 1-per-second refill admits while the loop runs.
  assert.ok(statuses.slice(0, 30).every((s) => s === 400));
  assert.ok(statuses.filter((s) => s === 429).length >= 20, statuses.join(','));
  assert.ok(refused);
  // Evaluation stopped at the refusing rule, so the shared global budget was not touched or listed.
  assert.equal(refused.headers.get('ratelimit-policy'), '"per-user";q=60;w=60');
  assert.match(refused.headers.get('ratelimit') ?? '', /^"per-user";r=0;t=\d+$/);
  assert.ok(Number(refused.headers.get('retry-after')) >= 1);
});
