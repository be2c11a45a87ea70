import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runChecks } from '../helpers/run.js';
import { flawTable } from './table.js';

flawTable([
  { check: 'scan:api2:auth-missing', flaws: ['auth-missing'] },
  { check: 'scan:api2:jwt-forgery', flaws: ['alg-none'], message: /alg: none/ },
  { check: 'scan:api2:login-attempt-limit', flaws: ['login-no-limit'], intrusive: true },
  { check: 'scan:api2:login-enumeration', flaws: ['login-enum'] },
]);

test('jwt-forgery cracks a weak HMAC secret offline and proves it with a re-signed token', async () => {
  const result = await runChecks(['scan:api2:jwt-forgery'], ['weak-secret']);
  const weak = result.findings.find((f) => f.fingerprint?.endsWith('#weak-hmac-secret'));
  assert.ok(weak, 'weak secret reported');
  assert.doesNotMatch(JSON.stringify(weak), /"secret"/, 'the cracked secret is not printed whole');
});

test('jwt-forgery reports an unchecked exp only when the target ignores it', async () => {
  const flawed = await runChecks(['scan:api2:jwt-forgery'], ['weak-secret', 'exp-unchecked']);
  assert.ok(flawed.findings.some((f) => f.fingerprint?.endsWith('#expired-accepted')));
  const checked = await runChecks(['scan:api2:jwt-forgery'], ['weak-secret']);
  assert.ok(!checked.findings.some((f) => f.fingerprint?.endsWith('#expired-accepted')));
});
