import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkValue,
  configSource,
  parseConfig,
  validateValue,
} from '../../../src/core/config/index.js';
import { isBulwarkError } from '../../../src/core/errors.js';
import type { BulwarkError } from '../../../src/core/errors.js';
import { yaml } from './helpers.js';

function thrown(fn: () => void): BulwarkError {
  try {
    fn();
  } catch (error) {
    assert.ok(isBulwarkError(error));
    return error;
  }
  assert.fail('expected an error');
}

test('validateValue checks a tool sub-config against its own schema with the same messages', () => {
  const schema = {
    type: 'object',
    additionalProperties: false,
    properties: {
      algorithms: { type: 'array', items: { enum: ['RS256', 'EdDSA'] } },
      issuer: { type: 'string' },
    },
  };
  assert.doesNotThrow(() => validateValue(schema, { algorithms: ['EdDSA'] }));
  const error = thrown(() =>
    validateValue(schema, { isuer: 'x' }, { at: ['protect', 'auth', 'jwt'] }),
  );
  assert.equal(error.code, 'BULWARK_ERR_CONFIG_INVALID');
  assert.equal(error.message, 'protect.auth.jwt.isuer: unknown key');
  assert.equal(error.hint, "did you mean 'issuer'?");
  const wrong = thrown(() => validateValue(schema, { algorithms: ['none'] }));
  assert.equal(wrong.message, "algorithms[0]: must be one of 'RS256', 'EdDSA'");
});

test('validateValue with a ref into the config schema and the file locator gives file:line', () => {
  const config = parseConfig(
    yaml('version: 1', 'protect:', '  cors:', '    origins: ["https://a.example"]'),
    'gw.yaml',
    { env: {} },
  );
  const source = configSource(config);
  const bad = { origins: ['https://a.example', 'not an origin'] };
  const error = thrown(() =>
    validateValue('#/$defs/protect/properties/cors', bad, {
      at: ['protect', 'cors'],
      source,
      code: 'BULWARK_ERR_CONFIG_UNSAFE',
    }),
  );
  assert.equal(error.code, 'BULWARK_ERR_CONFIG_UNSAFE');
  // The bad item is not in the file, so the position is its closest written ancestor.
  assert.match(
    error.toLine(),
    /^gw\.yaml:4:14: BULWARK_ERR_CONFIG_UNSAFE: protect\.cors\.origins\[1\]: must match /,
  );
});

test('checkValue reports without throwing', () => {
  assert.deepEqual(checkValue('#/$defs/audit', { failOn: 'high' }).errors, []);
  const { errors } = checkValue('#/$defs/audit', { failOn: 'loud' });
  assert.equal(errors[0]?.keyword, 'enum');
});

test('an unknown schema ref is a programming error, not a config error', () => {
  assert.throws(() => checkValue('#/$defs/nope', {}), /no schema at #\/\$defs\/nope/);
});
