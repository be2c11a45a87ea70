import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  REDACTED,
  isSecretPath,
  parseConfig,
  plaintextSecretPaths,
  redactConfig,
  secretPaths,
  secretValues,
} from '../../../src/core/config/index.js';
import { assertConfigError, configError, yaml } from './helpers.js';

const identity = (value: string) =>
  yaml(
    'version: 1',
    'scan:',
    '  identities:',
    '    alice:',
    '      role: user',
    '      auth:',
    `        header: { name: Authorization, value: "${value}" }`,
  );

const headerValue = (text: string, env: NodeJS.ProcessEnv) => {
  const config = parseConfig(text, 'bulwark.yaml', { env });
  const auth = config.scan?.identities?.alice?.auth;
  assert.ok(auth && 'header' in auth);
  return { config, value: auth.header.value };
};

test('${NAME} is replaced inside a string, and the path is marked secret', () => {
  const { config, value } = headerValue(identity('Bearer ${ALICE_TOKEN}'), {
    ALICE_TOKEN: 't0k3n',
  });
  assert.equal(value, 'Bearer t0k3n');
  assert.deepEqual(secretPaths(config), ['scan.identities.alice.auth.header.value']);
  assert.ok(isSecretPath(config, ['scan', 'identities', 'alice', 'auth', 'header', 'value']));
  assert.ok(!isSecretPath(config, ['scan', 'identities', 'alice', 'role']));
});

test('defaults: ${NAME:-x} when unset or empty, ${NAME-x} only when unset', () => {
  const text = (ref: string) => yaml('version: 1', 'protect:', `  upstream: "${ref}"`);
  const upstream = (ref: string, env: NodeJS.ProcessEnv) =>
    parseConfig(text(ref), 'b.yaml', { env }).protect?.upstream;
  assert.equal(upstream('${UP:-http://127.0.0.1:9}', {}), 'http://127.0.0.1:9');
  assert.equal(upstream('${UP:-http://127.0.0.1:9}', { UP: '' }), 'http://127.0.0.1:9');
  assert.equal(upstream('${UP:-http://127.0.0.1:9}', { UP: 'http://10.0.0.1' }), 'http://10.0.0.1');
  assert.equal(upstream('http://${HOST-127.0.0.1}:9', {}), 'http://127.0.0.1:9');
  // Set but empty: ${NAME-x} keeps the empty value, and the URL without a host is refused.
  assert.match(
    configError(text('http://${HOST-127.0.0.1}:9'), { env: { HOST: '' } }).message,
    /^protect\.upstream: must match/,
  );
});

test('$${ is a literal ${ and is not substituted or marked secret', () => {
  const { config, value } = headerValue(identity('Bearer $${NOT_A_VAR}'), {});
  assert.equal(value, 'Bearer ${NOT_A_VAR}');
  assert.deepEqual(
    secretPaths(config).filter((p) => p.endsWith('value')),
    ['scan.identities.alice.auth.header.value'],
  );
});

test('an unset variable fails with its name and path, at the value, never a value', () => {
  const error = assertConfigError(
    identity('Bearer ${ALICE_TOKEN}'),
    {
      code: 'BULWARK_ERR_CONFIG_ENV',
      line: 'bulwark.yaml:7:47: BULWARK_ERR_CONFIG_ENV: scan.identities.alice.auth.header.value: environment variable ALICE_TOKEN is not set (set ALICE_TOKEN, or give a default: ${ALICE_TOKEN:-default})',
    },
    { env: { OTHER_SECRET: 'do-not-print-me' } },
  );
  assert.ok(!error.toLine().includes('do-not-print-me'));
});

test('malformed references are refused with a hint', () => {
  for (const ref of ['${UNCLOSED', '${1BAD}', '${A B}', '${A:-${B}}', '${A:B}', '${}']) {
    const error = configError(identity(ref), { env: { A: 'a', B: 'b' } });
    assert.equal(error.code, 'BULWARK_ERR_CONFIG_INVALID', ref);
    assert.match(error.message, /^scan\.identities\.alice\.auth\.header\.value: /, ref);
    assert.match(error.hint ?? '', /\$\$\{/, ref);
  }
});

test('a variable holding YAML or JSON structure stays one string (no injection)', () => {
  const hostile = 'x\nprotect:\n  upstream: http://evil.example\n"}, "protect": {"upstream": "x';
  const { config, value } = headerValue(identity('${EVIL}'), { EVIL: hostile });
  assert.equal(value, hostile);
  assert.equal(config.protect, undefined);
});

test('substituted text is not expanded again', () => {
  const { value } = headerValue(identity('${A}'), { A: '${B}', B: 'leak' });
  assert.equal(value, '${B}');
});

test('references in keys are not substituted: keys are structure', () => {
  const config = parseConfig(
    yaml('version: 1', 'protect:', '  operations:', '    "${OP}": { bodyBytes: 10 }'),
    'b.yaml',
    { env: { OP: 'getUser' } },
  );
  assert.deepEqual(Object.keys(config.protect?.operations ?? {}), ['${OP}']);
});

test('a whole-value reference may fill a number or boolean field', () => {
  const config = parseConfig(
    yaml(
      'version: 1',
      'protect:',
      '  listen: { port: "${PORT}" }',
      '  errors: { exposeLimits: "${EXPOSE:-false}" }',
      'scan:',
      '  rate: { requestsPerSecond: "${RPS}" }',
    ),
    'b.yaml',
    { env: { PORT: '8080', RPS: '2.5' } },
  );
  assert.equal(config.protect?.listen?.port, 8080);
  assert.equal(config.protect?.errors?.exposeLimits, false);
  assert.equal(config.scan?.rate?.requestsPerSecond, 2.5);
});

test('a reference that does not convert, or is only part of the value, stays a type error', () => {
  const port = (value: string, env: NodeJS.ProcessEnv) =>
    configError(yaml('version: 1', 'protect:', `  listen: { port: "${value}" }`), { env });
  const expected = 'protect.listen.port: must be an integer, not a string';
  assert.equal(port('${PORT}', { PORT: '80abc' }).message, expected);
  assert.equal(port('${PORT}', { PORT: '1e3' }).message, expected);
  assert.equal(port('80${PORT}', { PORT: '80' }).message, expected);
  assert.equal(port('${PORT}', { PORT: '70000' }).message, 'protect.listen.port: must be <= 65535');
});

test('enum errors on values from the environment give no did-you-mean (no hint at the value)', () => {
  const error = configError(yaml('version: 1', 'audit:', '  failOn: "${LEVEL}"'), {
    env: { LEVEL: 'hihg' },
  });
  assert.match(error.message, /^audit\.failOn: must be one of/);
  assert.equal(error.hint, undefined);
});

test('redactConfig hides env values and schema-marked secrets written literally', () => {
  const config = parseConfig(
    yaml(
      'version: 1',
      'protect:',
      '  listen: { port: "${PORT}" }',
      '  tls: { cert: gw.pem, key: gw.key, passphrase: literal-pass }',
      'scan:',
      '  identities:',
      '    admin:',
      '      role: admin',
      '      auth:',
      '        login:',
      '          path: /login',
      '          body: { username: admin, password: "${ADMIN_PASSWORD}" }',
      '          tokenPath: $.token',
      '    svc:',
      '      role: service',
      '      auth:',
      '        oauth2ClientCredentials:',
      '          tokenUrl: https://id.example/token',
      '          clientId: svc',
      '          clientSecret: written-in-file',
    ),
    'b.yaml',
    { env: { PORT: '8443', ADMIN_PASSWORD: 'hunter2' } },
  );
  const redacted = JSON.stringify(redactConfig(config));
  for (const secret of ['hunter2', 'literal-pass', 'written-in-file', '8443']) {
    assert.ok(!redacted.includes(secret), secret);
  }
  assert.ok(redacted.includes('"clientId":"svc"'));
  assert.ok(redacted.includes(`"username":"${REDACTED}"`), 'a secret mapping hides all it holds');
  assert.deepEqual(secretValues(config).sort(), [
    '8443',
    'admin',
    'hunter2',
    'literal-pass',
    'written-in-file',
  ]);
  assert.deepEqual(secretPaths(config), [
    'protect.listen.port',
    'protect.tls.passphrase',
    'scan.identities.admin.auth.login.body',
    'scan.identities.admin.auth.login.body.password',
    'scan.identities.svc.auth.oauth2ClientCredentials.clientSecret',
  ]);
});

test('plaintextSecretPaths finds secrets written into the file, not those from the environment', () => {
  const config = parseConfig(
    yaml(
      'version: 1',
      'protect:',
      '  tls: { cert: a.pem, key: a.key, passphrase: "${TLS_PASS}" }',
      'scan:',
      '  identities:',
      '    alice:',
      '      role: user',
      '      auth: { header: { name: Authorization, value: "Bearer abc123" } }',
      '    admin:',
      '      role: admin',
      '      auth:',
      '        login:',
      '          path: /login',
      '          body: { username: admin, password: hunter2, apiKey: "${ADMIN_KEY}" }',
      '          tokenPath: $.token',
    ),
    'b.yaml',
    { env: { TLS_PASS: 'p', ADMIN_KEY: 'k' } },
  );
  assert.deepEqual(plaintextSecretPaths(config), [
    'scan.identities.admin.auth.login.body.password',
    'scan.identities.alice.auth.header.value',
  ]);
});

test('sections: unused sections tolerate unset variables and are left out', () => {
  const text = identity('Bearer ${ALICE_TOKEN}') + yaml('audit:', '  failOn: high');
  assert.equal(configError(text).code, 'BULWARK_ERR_CONFIG_ENV');
  const config = parseConfig(text, 'b.yaml', { env: {}, sections: ['audit'] });
  assert.deepEqual(config, { version: 1, audit: { failOn: 'high' } });
  assert.deepEqual(secretPaths(config), []);
});

test('sections: unused sections are still checked for structure', () => {
  const text = yaml('version: 1', 'scan:', '  targte: http://127.0.0.1:1', 'audit: {}');
  const error = configError(text, { sections: ['audit'] });
  assert.equal(error.message, 'scan.targte: unknown key');
});
