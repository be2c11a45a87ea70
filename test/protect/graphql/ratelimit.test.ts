// Query cost feeds the rate limiter as a weight: an expensive GraphQL query drains the caller's
// bucket by its cost, so a few costly queries are throttled where cheap ones pass.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolvePolicy } from '../../../src/protect/engine/policy.js';
import { startProtect } from '../../../src/protect/engine/server.js';
import { stages } from '../../../src/protect/registry.js';
import { startUpstream } from '../helpers.js';
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
