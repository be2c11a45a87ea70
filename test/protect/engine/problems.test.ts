// Every refusal code is in one table (src/protect/engine/problem.ts) and documented in
// docs/protect/errors.md; stages that define codes of their own must not fall back to the generic title.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { AUTH_PROBLEMS } from '../../../src/protect/auth/refusals.js';
import { PROBLEMS, problemBody } from '../../../src/protect/engine/problem.js';
import { REFUSAL_CODES } from '../../../src/protect/ratelimit/gateway-adapter.js';

const docs = readFileSync(new URL('../../../docs/protect/errors.md', import.meta.url), 'utf8');
const documented = new Set(
  [...docs.matchAll(/^\| `(BULWARK_[A-Z0-9_]+)`/gm)].map((m) => m[1] as string),
);
const graphqlCodes = [
  ...readFileSync(
    new URL('../../../src/protect/graphql/gate.ts', import.meta.url),
    'utf8',
  ).matchAll(/'(BULWARK_DENY_GRAPHQL_[A-Z_]+)'/g),
].map((m) => m[1] as string);

test('every code in PROBLEMS is documented in docs/protect/errors.md, and nothing more', () => {
  assert.deepEqual(
    Object.keys(PROBLEMS).filter((c) => !documented.has(c)),
    [],
  );
  assert.deepEqual(
    [...documented].filter((c) => !(c in PROBLEMS)),
    [],
  );
});

test('auth, rate-limit and GraphQL refusal codes are in PROBLEMS with their statuses', () => {
  for (const [code, { status, title }] of Object.entries(AUTH_PROBLEMS)) {
    assert.deepEqual(PROBLEMS[code as keyof typeof PROBLEMS], { status, title }, code);
  }
  assert.ok(graphqlCodes.length >= 10);
  for (const code of [...Object.values(REFUSAL_CODES), ...graphqlCodes]) {
    assert.ok(code in PROBLEMS, code);
  }
});

test('a stage refusal gets its own title, not the generic fallback', () => {
  const body = JSON.parse(
    problemBody({ status: 429, code: 'BULWARK_DENY_QUOTA_EXCEEDED' }, 'req-1'),
  ) as Record<string, unknown>;
  assert.equal(body['title'], 'Quota exceeded');
  assert.equal(body['code'], 'BULWARK_DENY_QUOTA_EXCEEDED');
  assert.equal(body['requestId'], 'req-1');
});
