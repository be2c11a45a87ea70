// API1 BOLA: Alice reads, replaces and deletes Bob's documents by id.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GENEROUS, labFor } from '../helpers.js';

test("vulnerable: Alice reads, replaces and deletes Bob's document by counting ids", async (t) => {
  const lab = await labFor(t, { variant: 'vulnerable' });
  const alice = await lab.alice();
  const bob = await lab.bob();
  const mine = await lab.documents(alice);
  assert.deepEqual(
    mine.map((d) => d['id']),
    ['1', '2', '3'],
    'ids are sequential integers',
  );
  // Step 1: guess the next id.
  const read = await lab.request('GET', '/api/v2/documents/4', { token: alice });
  assert.equal(read.status, 200);
  assert.equal(read.json.title, 'Bob: merger memo');
  assert.notEqual(read.json.owner_id, mine[0]?.['owner_id']);
  // Step 2: overwrite it, step 3: delete another one.
  const put = await lab.request('PUT', '/api/v2/documents/4', {
    token: alice,
    body: { title: 'pwned', content: 'by alice' },
  });
  assert.equal(put.status, 200);
  const del = await lab.request('DELETE', '/api/v2/documents/5', { token: alice });
  assert.equal(del.status, 204);
  const bobs = await lab.documents(bob);
  assert.equal(bobs.find((d) => d['id'] === '4')?.['title'], 'pwned');
  assert.equal(
    bobs.find((d) => d['id'] === '5'),
    undefined,
  );
});

test("secure: Bob's documents are 404 to Alice for GET, PUT and DELETE, and stay intact", async (t) => {
  const lab = await labFor(t, { variant: 'secure', limits: GENEROUS });
  const alice = await lab.alice();
  const bob = await lab.bob();
  const bobs = await lab.documents(bob);
  const victim = bobs[0];
  assert.ok(victim);
  assert.match(String(victim['id']), /^[0-9a-f-]{36}$/, 'ids are random UUIDs');
  const path = `/api/v2/documents/${String(victim['id'])}`;
  for (const [method, body] of [
    ['GET', undefined],
    ['PUT', { title: 'pwned', content: 'by alice' }],
    ['DELETE', undefined],
    ['POST', undefined],
  ] as const) {
    const target = method === 'POST' ? `${path}/classify` : path;
    const reply = await lab.request(method, target, { token: alice, body });
    assert.equal(reply.status, 404, `${method} ${target}`);
    assert.equal(reply.json.code, 'not_found');
    assert.doesNotMatch(reply.text, /merger/);
  }
  // Counting is pointless too: sequential guesses are simply not found.
  assert.equal((await lab.request('GET', '/api/v2/documents/4', { token: alice })).status, 404);
  const after = await lab.request('GET', path, { token: bob });
  assert.equal(after.status, 200);
  assert.deepEqual(after.json, victim);
});
