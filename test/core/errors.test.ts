import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { BulwarkError, ERROR_CODES, toBulwarkError } from '../../src/core/errors.js';

const docs = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const documented = new Set([...docs.matchAll(/^### (BULWARK_ERR_[A-Z0-9_]+)$/gm)].map((m) => m[1]));
const declared = new Set(Object.keys(ERROR_CODES));

test('every error code in src/core/errors.ts is documented in docs/errors.md', () => {
  const missing = [...declared].filter((code) => !documented.has(code));
  assert.deepEqual(missing, []);
});

test('docs/errors.md documents no code that the code does not declare', () => {
  const stale = [...documented].filter((code) => !declared.has(code as string));
  assert.deepEqual(stale, []);
});

test('every code has the BULWARK_ERR_ prefix and a usage exit code', () => {
  for (const [code, meta] of Object.entries(ERROR_CODES)) {
    assert.match(code, /^BULWARK_ERR_[A-Z0-9_]+$/);
    assert.ok(meta.exit === 2, `${code} maps to exit 2`);
  }
});

test('BulwarkError keeps its cause and prints one line with the location', () => {
  const cause = new Error('inner');
  const error = new BulwarkError('BULWARK_ERR_SPEC_PARSE', 'bad YAML', {
    cause,
    location: { file: 'a.yaml', line: 3, column: 7 },
  });
  assert.equal(error.cause, cause);
  assert.equal(error.toLine(), 'a.yaml:3:7: BULWARK_ERR_SPEC_PARSE: bad YAML');
  assert.equal(error.toLine().includes('\n'), false);
});

test('toBulwarkError wraps foreign errors as internal and keeps them as cause', () => {
  const wrapped = toBulwarkError(new TypeError('boom'));
  assert.equal(wrapped.code, 'BULWARK_ERR_INTERNAL');
  assert.ok(wrapped.cause instanceof TypeError);
});
