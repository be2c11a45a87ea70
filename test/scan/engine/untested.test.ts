// A target that throttles everything (429, Retry-After: 1): the scan must not stall waiting, must keep
// to its wait budget, and must list the throttled operations as "could not test" instead of passing
// them or reading the 429s as flaws. Bounds are asserted through the scanner's own counters.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runChecks } from '../helpers/run.js';

const BUDGET_MS = 2_000;

test('a throttling target: bounded waits, no findings, throttled operations listed as untested', async () => {
  const result = await runChecks(
    ['API1:2023', 'scan:api8:fuzz-server-error', 'scan:api8:verbose-errors'],
    ['throttle', 'bola', 'bola-body', 'fuzz500', 'stack'],
    { overrides: { throttleWaitBudgetMs: BUDGET_MS } },
  );
  // The flaws are there, but behind the throttle nothing could be tested, so nothing is claimed;
  // only the two operations the target does not throttle (login and `me`) show their real flaw.
  assert.deepEqual(result.findings.map((f) => `${f.id} ${f.location.operation ?? ''}`).sort(), [
    'scan:api8:verbose-errors PATCH /me',
    'scan:api8:verbose-errors POST /login',
  ]);
  const throttle = result.throttle;
  assert.equal(throttle.budgetMs, BUDGET_MS);
  assert.ok(
    throttle.waitedMs > 0 && throttle.waitedMs <= BUDGET_MS,
    `waited ${throttle.waitedMs} ms`,
  );
  assert.ok(throttle.declined > 0, 'once the budget is spent, throttles are answers, not pauses');
  // Every endpoint is waited for at most once, and a wait costs 1 s of a 2 s budget: no more than
  // the requests in flight when the pauses began can have waited.
  assert.ok(throttle.waits <= 2 * 8, `${throttle.waits} waits`);
  assert.ok(throttle.endpoints.includes('GET /api/v2/docs'));
  const untested = result.untested.map((u) => `${u.check} ${u.operation} ${u.reason}`);
  assert.ok(untested.includes('discovery GET /docs throttled'), untested.join('\n'));
  assert.ok(
    untested.includes('scan:api8:verbose-errors POST /docs throttled'),
    untested.join('\n'),
  );
});

test('without a throttle nothing is listed as untested and the scan never waits', async () => {
  const result = await runChecks(['API1:2023'], ['bola']);
  assert.deepEqual(result.untested, []);
  assert.equal(result.throttle.waits, 0);
  assert.equal(result.throttle.waitedMs, 0);
  assert.ok(result.findings.some((f) => f.id === 'scan:api1:bola-read'));
});
