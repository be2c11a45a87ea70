// Unsafe or incomplete auth configuration is refused when the gateway is compiled, with a coded error.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import type { AuthConfig } from '../../../src/core/config/sections/auth.js';
import { BulwarkError } from '../../../src/core/errors.js';
import { createGateway } from '../../../src/protect/engine/gateway.js';
import { stages } from '../../../src/protect/registry.js';
import { authPolicy, openapi, securedSpec } from './helpers.js';

function compile(auth: AuthConfig, model = securedSpec()) {
  return createGateway(model, authPolicy(auth, {}, 'http://127.0.0.1:9'), stages);
}

function refuses(auth: unknown, code: string, pattern: RegExp, model = securedSpec()): void {
  assert.throws(
    () => compile(auth as AuthConfig, model),
    (e: unknown) => e instanceof BulwarkError && e.code === code && pattern.test(e.message),
  );
}

const jwt = (extra: Record<string, unknown>) => ({
  schemes: {
    bearer: { type: 'jwt', ...extra },
    oauth: { type: 'jwt', algorithms: ['HS256'], keys: [{ secret: 'k'.repeat(32) }] },
    key: { type: 'apiKey', pepper: 'p'.repeat(32), apiKeys: [] },
  },
});

test('a JWT scheme without an explicit algorithms allowlist is refused (UNSAFE)', () => {
  refuses(
    jwt({ keys: [{ secret: 'k'.repeat(32) }] }),
    'BULWARK_ERR_CONFIG_UNSAFE',
    /algorithms allowlist/,
  );
  refuses(
    jwt({ algorithms: [], keys: [{ secret: 'k'.repeat(32) }] }),
    'BULWARK_ERR_CONFIG_UNSAFE',
    /algorithms/,
  );
});

test('an HMAC secret shorter than the hash (RFC 7518 §3.2) is refused at load', () => {
  refuses(
    jwt({ algorithms: ['HS256'], keys: [{ secret: 'secret' }] }),
    'BULWARK_ERR_CONFIG_UNSAFE',
    /RFC 7518/,
  );
  refuses(
    jwt({ algorithms: ['HS256'], keys: [{ secret: 'k'.repeat(31) }] }),
    'BULWARK_ERR_CONFIG_UNSAFE',
    /shorter/,
  );
  // HS512 needs 64 bytes.
  refuses(
    jwt({ algorithms: ['HS512'], keys: [{ secret: 'k'.repeat(32) }] }),
    'BULWARK_ERR_CONFIG_UNSAFE',
    /shorter/,
  );
  assert.ok(
    compile(jwt({ algorithms: ['HS256'], keys: [{ secret: 'k'.repeat(32) }] }) as AuthConfig),
  );
  // The explicit lab escape hatch is the only way past it.
  assert.ok(
    compile(
      jwt({
        algorithms: ['HS256'],
        keys: [{ secret: 'secret', unsafeShortSecret: true }],
      }) as AuthConfig,
    ),
  );
});

test('the error never contains the secret', () => {
  try {
    compile(jwt({ algorithms: ['HS256'], keys: [{ secret: 'hunter2-secret' }] }) as AuthConfig);
    assert.fail('expected a refusal');
  } catch (e) {
    assert.ok(!String((e as Error).message).includes('hunter2'));
  }
});

test('private keys, symmetric JWKs, weak RSA keys and keys that fit no allowed algorithm are refused', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  refuses(
    jwt({ algorithms: ['RS256'], keys: [{ pem: privPem }] }),
    'BULWARK_ERR_CONFIG_UNSAFE',
    /private key/,
  );
  refuses(
    jwt({ algorithms: ['RS256'], keys: [{ jwk: { kty: 'oct', k: 'AAAA' } }] }),
    'BULWARK_ERR_CONFIG_UNSAFE',
    /symmetric/,
  );
  const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
    type: 'spki',
    format: 'pem',
  }) as string;
  refuses(
    jwt({ algorithms: ['RS256'], keys: [{ pem: weak }] }),
    'BULWARK_ERR_CONFIG_UNSAFE',
    /2048/,
  );
  const pub = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  refuses(
    jwt({ algorithms: ['ES256'], keys: [{ pem: pub }] }),
    'BULWARK_ERR_CONFIG_INVALID',
    /no allowed algorithm/,
  );
  refuses(
    jwt({ algorithms: ['RS256'], keys: [{ pem: pub, secret: 'k'.repeat(32) }] }),
    'BULWARK_ERR_CONFIG_INVALID',
    /exactly one/,
  );
  refuses(jwt({ algorithms: ['RS256'] }), 'BULWARK_ERR_CONFIG_INVALID', /no keys/);
});

test('every declared scheme must be configured; schemes must fit the spec', () => {
  refuses(
    {
      schemes: {
        bearer: { type: 'jwt', algorithms: ['HS256'], keys: [{ secret: 'k'.repeat(32) }] },
      },
    },
    'BULWARK_ERR_CONFIG_INVALID',
    /requires security scheme (oauth|key)/,
  );
  refuses(
    { schemes: { nope: { type: 'mtls' } } },
    'BULWARK_ERR_CONFIG_INVALID',
    /declares no security scheme/,
  );
  refuses(
    {
      schemes: {
        ...jwt({ algorithms: ['HS256'], keys: [{ secret: 'k'.repeat(32) }] }).schemes,
        key: { type: 'jwt', algorithms: ['HS256'], keys: [{ secret: 'k'.repeat(32) }] },
      },
    },
    'BULWARK_ERR_CONFIG_INVALID',
    /does not fit/,
  );
});

test('API keys outside a header are refused (CWE-598)', () => {
  const model = openapi(
    { '/x': { get: { operationId: 'x', responses: { '200': { description: 'ok' } } } } },
    {
      security: [{ q: [] }],
      components: { securitySchemes: { q: { type: 'apiKey', in: 'query', name: 'api_key' } } },
    },
  );
  refuses(
    { schemes: { q: { type: 'apiKey', pepper: 'p'.repeat(32), apiKeys: [] } } },
    'BULWARK_ERR_CONFIG_UNSAFE',
    /only in a header/,
    model,
  );
});

test('authorization config errors: unknown operations, bad rules, bad ownership', () => {
  const base = jwt({ algorithms: ['HS256'], keys: [{ secret: 'k'.repeat(32) }] });
  refuses(
    { ...base, operations: { nope: { permissions: ['a'] } } },
    'BULWARK_ERR_CONFIG_INVALID',
    /no operation nope/,
  );
  refuses({ ...base, public: ['nope'] }, 'BULWARK_ERR_CONFIG_INVALID', /no operation nope/);
  refuses(
    { ...base, operations: { listItems: { rule: 'subject.role ==' } } },
    'BULWARK_ERR_CONFIG_INVALID',
    /rule/,
  );
  refuses(
    { ...base, operations: { listItems: { rule: 'process.exit(1)' } } },
    'BULWARK_ERR_CONFIG_INVALID',
    /unknown name/,
  );
  refuses(
    { ...base, operations: { listItems: { rule: "subject.__proto__ == 'x'" } } },
    'BULWARK_ERR_CONFIG_INVALID',
    /forbidden property/,
  );
  refuses(
    { ...base, operations: { listItems: { ownership: { param: 'id' } } } },
    'BULWARK_ERR_CONFIG_INVALID',
    /no path parameter/,
  );
  refuses(
    {
      ...base,
      operations: { listItems: { ownership: { preflight: { operation: 'nope', field: '/o' } } } },
    },
    'BULWARK_ERR_CONFIG_INVALID',
    /not a GET/,
  );
});
