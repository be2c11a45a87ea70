import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runChecks } from '../helpers/run.js';
import { flawTable } from './table.js';

flawTable([
  { check: 'scan:api1:bola-read', flaws: ['bola'], message: /'bob' read|'alice' read/ },
  { check: 'scan:api1:bola-write', flaws: ['bola'], intrusive: true },
  { check: 'scan:api1:bola-delete', flaws: ['bola'], intrusive: true },
  { check: 'scan:api1:bola-body', flaws: ['bola-body'], message: /'(bob|alice)' got doc / },
  {
    check: 'scan:api1:bola-body',
    flaws: ['bola-body'],
    intrusive: true,
    message: /'(bob|alice)' (got|acted on) doc /,
  },
]);

test('bola-read also aims at ids in the query string', async () => {
  const result = await runChecks(['scan:api1:bola-read'], ['bola-query']);
  const found = result.findings.filter((f) => f.id === 'scan:api1:bola-read');
  assert.deepEqual(
    found.map((f) => f.location.operation),
    ['GET /export'],
  );
  assert.match(found[0]?.evidence?.exchanges?.at(-1)?.request.url ?? '', /docId=/);
});

test("bola-body proves a share of another user's document by the missing-id control", async () => {
  const result = await runChecks(['scan:api1:bola-body'], ['bola-body'], { intrusive: true });
  const found = result.findings.filter((f) => f.id === 'scan:api1:bola-body');
  assert.deepEqual(found.map((f) => f.location.operation).sort(), [
    'POST /docs/lookup',
    'POST /shares',
  ]);
  const share = found.find((f) => f.location.operation === 'POST /shares');
  assert.equal(share?.confidence, 'firm');
  assert.match(
    share?.message ?? '',
    /acted on doc .* by naming it in the body of POST \/shares \('docId'/,
  );
  // Control (owner), the missing id (refused), then the proof: the other identity's request.
  const exchanges = share?.evidence?.exchanges ?? [];
  assert.deepEqual(
    exchanges.map((e) => e.response?.status),
    [201, 404, 201],
  );
  const lookup = found.find((f) => f.location.operation === 'POST /docs/lookup');
  assert.equal(lookup?.confidence, 'certain');
});

test('bola-body without --intrusive tries only read-like operations', async () => {
  const result = await runChecks(['scan:api1:bola-body'], ['bola-body']);
  assert.deepEqual(
    result.findings.map((f) => f.location.operation),
    ['POST /docs/lookup'],
  );
});

test('bola-body leaves objects the item read already shows the other identity to bola-read', async () => {
  // With `bola`, GET /docs/{docId} serves any document to anyone: a body reference to it shows
  // nothing new (and on a public catalogue it would be intended), so only bola-read reports.
  const result = await runChecks(
    ['scan:api1:bola-read', 'scan:api1:bola-body'],
    ['bola', 'bola-body'],
  );
  assert.deepEqual([...new Set(result.findings.map((f) => f.id))], ['scan:api1:bola-read']);
});

test('bola-body stays silent when any id, even one that does not exist, is accepted', async () => {
  // A share that records the id without looking it up reaches no object: no disclosure, and the
  // missing-id control succeeds too, so there is no proof.
  const result = await runChecks(['scan:api1:bola-body'], ['unchecked-ref'], { intrusive: true });
  assert.deepEqual(
    result.findings.map((f) => f.message),
    [],
  );
  assert.ok(result.checksRun.includes('scan:api1:bola-body'));
});
