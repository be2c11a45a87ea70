import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runChecks } from '../helpers/run.js';
import { flawTable } from './table.js';

flawTable([
  { check: 'scan:api1:bola-read', flaws: ['bola'], message: /'bob' read|'alice' read/ },
  { check: 'scan:api1:bola-write', flaws: ['bola'], intrusive: true },
  { check: 'scan:api1:bola-delete', flaws: ['bola'], intrusive: true },
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
