import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/core/config/index.js';
import { assertConfigError, configError, yaml } from './helpers.js';

const INVALID = 'BULWARK_ERR_CONFIG_INVALID';

test('a valid config is returned as written and deep-frozen', () => {
  const config = parseConfig(
    yaml(
      'version: 1',
      'protect:',
      '  upstream: http://127.0.0.1:8081',
      '  cors:',
      '    origins: [https://app.example.com]',
      'audit:',
      '  rules:',
      '    "owasp:api4:string-limit": low',
    ),
    'bulwark.yaml',
    { env: {} },
  );
  assert.deepEqual(config, {
    version: 1,
    protect: { upstream: 'http://127.0.0.1:8081', cors: { origins: ['https://app.example.com'] } },
    audit: { rules: { 'owasp:api4:string-limit': 'low' } },
  });
  assert.ok(Object.isFrozen(config));
  assert.ok(Object.isFrozen(config.protect?.cors?.origins));
  assert.throws(() => {
    (config.protect?.cors?.origins as string[]).push('https://evil.example');
  }, TypeError);
});

test('defaults are documentation: the loaded config holds only what the file says', () => {
  const config = parseConfig(yaml('version: 1', 'protect:', '  limits: {}'), 'b.yaml', {
    env: {},
  });
  assert.deepEqual(config.protect, { limits: {} });
});

test('unknown nested key: path, key position and did-you-mean', () => {
  assertConfigError(yaml('version: 1', 'protect:', '  upstrem: http://127.0.0.1:1'), {
    code: INVALID,
    line: "bulwark.yaml:3:3: BULWARK_ERR_CONFIG_INVALID: protect.upstrem: unknown key (did you mean 'upstream'?)",
  });
});

test('unknown top-level section: did you mean', () => {
  assertConfigError(yaml('version: 1', 'scna:', '  target: http://127.0.0.1:1'), {
    code: INVALID,
    line: "bulwark.yaml:2:1: BULWARK_ERR_CONFIG_INVALID: scna: unknown key (did you mean 'scan'?)",
  });
});

test('unknown key with no close match lists the allowed keys', () => {
  const error = configError(yaml('version: 1', 'protect:', '  cors:', '    zzzzzz: 1'));
  assert.equal(error.message, 'protect.cors.zzzzzz: unknown key');
  assert.equal(
    error.hint,
    'allowed keys: origins, credentials, methods, headers, exposeHeaders, maxAge',
  );
});

test('unknown key deep inside a map of identities', () => {
  const error = configError(
    yaml(
      'version: 1',
      'scan:',
      '  identities:',
      '    alice:',
      '      role: user',
      '      auth:',
      '        header: { name: Authorization, valeu: x }',
    ),
  );
  assert.equal(error.message, 'scan.identities.alice.auth.header.valeu: unknown key');
  assert.equal(error.hint, "did you mean 'value'?");
  assert.deepEqual([error.location?.line, error.location?.column], [7, 40]);
});

test('wrong type names the expected and found types, never the value', () => {
  const error = assertConfigError(
    yaml('version: 1', 'protect:', '  cors:', '    origins: [https://a.example, 3]'),
    {
      code: INVALID,
      line: 'bulwark.yaml:4:34: BULWARK_ERR_CONFIG_INVALID: protect.cors.origins[1]: must be a string, not an integer',
    },
  );
  assert.equal(error.location?.pointer, '/protect/cors/origins/1');
});

test('a quoted number is a string: the schema is not loosened for literal values', () => {
  assertConfigError(yaml('version: 1', 'protect:', '  listen: { port: "8080" }'), {
    code: INVALID,
    line: 'bulwark.yaml:3:19: BULWARK_ERR_CONFIG_INVALID: protect.listen.port: must be an integer, not a string (remove the quotes around the number)',
  });
});

test('wrong enum value lists the allowed values and suggests the closest', () => {
  const error = assertConfigError(
    yaml('version: 1', 'protect:', '  inventory:', '    undocumented: reprot'),
    {
      code: INVALID,
      line: "bulwark.yaml:4:19: BULWARK_ERR_CONFIG_INVALID: protect.inventory.undocumented: must be one of 'block', 'report' (did you mean 'report'?)",
    },
  );
  assert.equal(error.hint, "did you mean 'report'?");
});

test('version must be 1 and is required', () => {
  assertConfigError(yaml('version: 2'), {
    code: INVALID,
    line: 'bulwark.yaml:1:10: BULWARK_ERR_CONFIG_INVALID: version: must be 1',
  });
  assertConfigError(yaml('audit: {}'), {
    code: INVALID,
    line: "bulwark.yaml:1:1: BULWARK_ERR_CONFIG_INVALID: (top level): missing required key 'version'",
  });
});

test('missing required key points at its parent', () => {
  assertConfigError(yaml('version: 1', 'protect:', '  cors:', '    credentials: true'), {
    code: INVALID,
    line: "bulwark.yaml:3:3: BULWARK_ERR_CONFIG_INVALID: protect.cors: missing required key 'origins'",
  });
});

test('an identity needs exactly one credential source', () => {
  const base = ['version: 1', 'scan:', '  identities:', '    bob:', '      role: user'];
  assert.equal(
    configError(yaml(...base, '      auth: {}')).message,
    "scan.identities.bob.auth: must set exactly one of 'header', 'login', 'oauth2ClientCredentials'",
  );
  const two = configError(
    yaml(
      ...base,
      '      auth:',
      '        header: { name: X-Key, value: k }',
      '        oauth2ClientCredentials: { tokenUrl: "https://id.example/token", clientId: a, clientSecret: b }',
    ),
  );
  assert.match(two.message, /must set exactly one of/);
});

test('login needs exactly one of operation or path', () => {
  const login = (fields: string) =>
    yaml(
      'version: 1',
      'scan:',
      '  identities:',
      '    bob:',
      '      role: user',
      '      auth:',
      `        login: { ${fields}body: { user: bob }, tokenPath: $.token }`,
    );
  const expected = "scan.identities.bob.auth.login: must set exactly one of 'operation', 'path'";
  assert.equal(configError(login('')).message, expected);
  assert.equal(configError(login('operation: login, path: /login, ')).message, expected);
  assert.doesNotThrow(() => parseConfig(login('path: /login, '), 'b.yaml', { env: {} }));
});

test('oneOf picks the branch that fits the value: hsts object with a typo gets did-you-mean', () => {
  const error = configError(
    yaml('version: 1', 'protect:', '  headers:', '    hsts: { maxAg: 60 }'),
  );
  assert.equal(error.message, 'protect.headers.hsts.maxAg: unknown key');
  assert.equal(error.hint, "did you mean 'maxAge'?");
  assert.equal(
    configError(yaml('version: 1', 'protect:', '  headers:', '    hsts: yes')).message,
    'protect.headers.hsts: must be false or a mapping',
  );
  assert.doesNotThrow(() =>
    parseConfig(yaml('version: 1', 'protect:', '  headers: { hsts: false }'), 'b.yaml', {
      env: {},
    }),
  );
});

test('map keys are checked: bad rule ids point at the key', () => {
  const error = configError(yaml('version: 1', 'audit:', '  rules:', '    "owasp:api11:x": off'));
  assert.equal(
    error.message,
    'audit.rules["owasp:api11:x"]: key must match ^owasp:api([1-9]|10):[a-z0-9]+(-[a-z0-9]+)*$',
  );
  assert.deepEqual([error.location?.line, error.location?.column], [4, 5]);
});

test('dependent keys and formats read as sentences', () => {
  assert.equal(
    configError(yaml('version: 1', 'protect:', '  tls: { cert: gw.pem }')).message,
    "protect.tls: needs 'key' when 'cert' is set",
  );
  assert.equal(
    configError(
      yaml('version: 1', 'protect:', '  operations:', '    getUser: { sunset: tomorrow }'),
    ).message,
    'protect.operations.getUser.sunset: must be a valid date-time',
  );
  assert.equal(
    configError(yaml('version: 1', 'protect:', '  trustedProxies: [10.0.0.1, 10.0.0.1]')).message,
    'protect.trustedProxies: must not repeat an item ([0] and [1] are the same)',
  );
});

test('empty strings and lists read plainly', () => {
  assert.equal(
    configError(yaml('version: 1', 'audit:', '  baseline: ""')).message,
    'audit.baseline: must not be empty',
  );
  assert.equal(
    configError(yaml('version: 1', 'scan:', '  flows:', '    invites: { operations: [] }')).message,
    'scan.flows.invites.operations: must not be empty',
  );
});

test('the unknown key is reported first even when a type error comes earlier in the file', () => {
  const error = configError(
    yaml('version: 1', 'protect:', '  listen: { port: high }', '  upstrem: http://127.0.0.1:1'),
  );
  assert.equal(error.message, 'protect.upstrem: unknown key');
});

test('a type error is reported before a range error', () => {
  const error = configError(
    yaml('version: 1', 'protect:', '  limits: { bodyBytes: -1, jsonDepth: deep }'),
  );
  assert.equal(error.message, 'protect.limits.jsonDepth: must be an integer, not a string');
});

test('a JSON config gets the same checks and positions', () => {
  const text = '{\n  "version": 1,\n  "protect": { "upstrem": "http://127.0.0.1:1" }\n}\n';
  assertConfigError(
    text,
    {
      code: INVALID,
      line: "bulwark.json:3:16: BULWARK_ERR_CONFIG_INVALID: protect.upstrem: unknown key (did you mean 'upstream'?)",
    },
    { file: 'bulwark.json' },
  );
});

test('"$schema" may name the schema inside the document itself', () => {
  const config = parseConfig(
    '{ "$schema": "./schema/bulwark.schema.json", "version": 1 }',
    'bulwark.json',
    { env: {} },
  );
  assert.equal(config.$schema, './schema/bulwark.schema.json');
});
