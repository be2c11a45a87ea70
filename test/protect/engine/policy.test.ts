import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BulwarkError } from '../../../src/core/errors.js';
import { resolvePolicy } from '../../../src/protect/engine/policy.js';

test('defaults are filled and the policy is frozen', () => {
  const p = resolvePolicy({});
  assert.equal(p.inventory.undocumented, 'block');
  assert.equal(p.limits.bodyBytes, 1_048_576);
  assert.equal(p.tls.upstreamVerify, true);
  assert.ok(Object.isFrozen(p.limits));
});

test('a wildcard CORS origin with credentials is refused as unsafe config', () => {
  assert.throws(
    () => resolvePolicy({ cors: { origins: ['*'], credentials: true } }),
    (e: unknown) =>
      e instanceof BulwarkError &&
      e.code === 'BULWARK_ERR_CONFIG_UNSAFE' &&
      /wildcard/.test(e.message),
  );
  assert.doesNotThrow(() => resolvePolicy({ cors: { origins: ['*'] } }));
  assert.doesNotThrow(() =>
    resolvePolicy({ cors: { origins: ['https://app.example'], credentials: true } }),
  );
});

test('a CA with verification turned off is refused; cert without key is invalid', () => {
  assert.throws(
    () => resolvePolicy({ tls: { upstream: { verify: false, ca: 'ca.pem' } } }),
    /CONFIG_UNSAFE|verification/,
  );
  assert.throws(
    () => resolvePolicy({ tls: { cert: 'c.pem' } }),
    (e: unknown) => e instanceof BulwarkError && e.code === 'BULWARK_ERR_CONFIG_INVALID',
  );
});

test('HSTS and CSP can be tuned or turned off', () => {
  assert.equal(
    resolvePolicy({ headers: { hsts: { maxAge: 60, includeSubDomains: false } } }).headers.hsts,
    'max-age=60',
  );
  assert.equal(
    resolvePolicy({ headers: { hsts: false, contentSecurityPolicy: false } }).headers.hsts,
    false,
  );
});

test('sections owned by later stages (auth, rateLimit, graphql) pass through unchanged and frozen', () => {
  const section = {
    auth: { schemes: { a: { type: 'jwt' } } },
    rateLimit: { rules: [] },
  } as unknown as Parameters<typeof resolvePolicy>[0];
  const p = resolvePolicy(section);
  assert.deepEqual(p.auth, { schemes: { a: { type: 'jwt' } } });
  assert.deepEqual(p.rateLimit, { rules: [] });
  assert.ok(Object.isFrozen(p.auth));
  assert.equal(p.limits.bodyBytes, 1_048_576, 'known sections are still resolved');
});
