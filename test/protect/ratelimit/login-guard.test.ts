import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LoginGuard } from '../../../src/protect/ratelimit/login-guard.js';
import type { RateLimitEvent } from '../../../src/protect/ratelimit/types.js';

test('backoff: past the allowance each failure doubles the wait, capped', () => {
  let now = 0;
  const events: RateLimitEvent[] = [];
  const g = new LoginGuard(
    {
      operations: ['login'],
      perAccount: { failures: 3, within: '15m' },
      perAddress: { failures: 100, within: '15m' },
      base: '1s',
      max: '8s',
    },
    { clock: () => now, onEvent: (e) => events.push(e) },
  );
  const waits: number[] = [];
  for (let i = 0; i < 7; i++) {
    const v = g.check('alice@example.com', '192.0.2.1');
    now += v.retryAfterMs; // a patient attacker waits out each penalty
    assert.equal(g.check('alice@example.com', '192.0.2.1').allowed, true);
    g.record('alice@example.com', '192.0.2.1', 401);
    waits.push(g.check('alice@example.com', '192.0.2.1').retryAfterMs);
  }
  assert.deepEqual(waits, [0, 0, 1_000, 2_000, 4_000, 8_000, 8_000]);
  assert.ok(events.every((e) => e.type === 'login-penalty' && e.scope === 'account'));
});

test('the answer is uniform: a locked account is refused whatever the password, case-insensitively', () => {
  let now = 0;
  const g = new LoginGuard(
    {
      operations: ['login'],
      perAccount: { failures: 2, within: '15m' },
      penalty: 'lockout',
      lockout: '15m',
    },
    { clock: () => now },
  );
  g.record('Alice@Example.com', '192.0.2.1', 401);
  g.record('alice@example.com ', '192.0.2.2', 401);
  const v = g.check('alice@example.com', '192.0.2.3');
  assert.deepEqual(v, { allowed: false, retryAfterMs: 900_000 });
  // A nonexistent account that failed the same way gets the same refusal (the guard cannot tell).
  g.record('ghost@example.com', '192.0.2.4', 401);
  g.record('ghost@example.com', '192.0.2.4', 401);
  assert.deepEqual(g.check('ghost@example.com', '192.0.2.5'), v);
  now = 900_000;
  assert.equal(g.check('alice@example.com', '192.0.2.3').allowed, true, 'lockout lifts');
});

test('per address: password spraying across many accounts from one address is stopped', () => {
  const now = 0;
  const g = new LoginGuard(
    { operations: ['login'], perAddress: { failures: 5, within: '15m' }, penalty: 'lockout' },
    { clock: () => now },
  );
  for (let i = 0; i < 5; i++) g.record(`user${i}`, '198.51.100.7', 401);
  assert.equal(g.check('someone-new', '198.51.100.7').allowed, false);
  assert.equal(g.check(undefined, '198.51.100.7').allowed, false);
  assert.equal(g.check('someone-new', '198.51.100.8').allowed, true);
  // A success on the attacker's own account does not reset the address count.
  g.record('attacker', '198.51.100.7', 200);
  assert.equal(g.check('x', '198.51.100.7').allowed, false);
});

test('a success clears the account count; other statuses are ignored; old failures age out', () => {
  let now = 0;
  const g = new LoginGuard(
    { operations: ['login'], perAccount: { failures: 2, within: '1m' } },
    { clock: () => now },
  );
  g.record('bob', '192.0.2.1', 401);
  g.record('bob', '192.0.2.1', 200);
  g.record('bob', '192.0.2.1', 401);
  g.record('bob', '192.0.2.1', 400);
  g.record('bob', '192.0.2.1', 500);
  assert.equal(g.check('bob', '192.0.2.1').allowed, true);
  now = 120_000;
  g.record('bob', '192.0.2.1', 401);
  assert.equal(g.check('bob', '192.0.2.1').allowed, true, 'the earlier failure aged out');
});

test('memory stays bounded under a flood of accounts', () => {
  const g = new LoginGuard({ operations: ['login'], maxKeys: 100 });
  for (let i = 0; i < 10_000; i++) g.record(`acct${i}`, `10.0.${i >> 8}.${i & 255}`, 401);
  const internals = g as unknown as { accounts: { size: number }; addresses: { size: number } };
  assert.equal(internals.accounts.size, 100);
  assert.equal(internals.addresses.size, 100);
});
