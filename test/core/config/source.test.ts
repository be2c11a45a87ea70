import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/core/config/index.js';
import { assertConfigError, configError, yaml } from './helpers.js';

const READ = 'BULWARK_ERR_CONFIG_READ';

test('YAML syntax errors give one line with the position', () => {
  assertConfigError(yaml('version: 1', 'protect:', '  cors: { origins: [https://a.example }'), {
    code: READ,
    line: 'bulwark.yaml:3:39: BULWARK_ERR_CONFIG_READ: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
  });
});

test('JSON syntax errors give the position and never echo the text', () => {
  const error = configError('{\n  "version": 1,\n  "scan": { "target": "secret-ish" ,, }\n}\n', {
    file: 'bulwark.json',
  });
  assert.equal(error.code, READ);
  // V8 words its JSON errors differently across Node versions; the position is what matters.
  assert.match(error.toLine(), /^bulwark\.json:3:37: BULWARK_ERR_CONFIG_READ: invalid JSON: \S/);
  assert.ok(!error.toLine().includes('secret-ish'));
  assert.ok(!error.toLine().includes('\n'));
  assert.match(configError('{"version": 1', { file: 'b.json' }).toLine(), /^b\.json:1:14: /);
  const leaky = configError('{"version": 1, "s": hunter2}', { file: 'b.json' }).toLine();
  assert.match(leaky, /^b\.json:1:21: BULWARK_ERR_CONFIG_READ: invalid JSON: /);
  assert.ok(!leaky.includes('hunter2'), leaky);
});

test('duplicate keys are an error, not a silent override', () => {
  const error = configError(
    yaml('version: 1', 'protect:', '  upstream: http://a.example', '  upstream: http://b.example'),
  );
  assert.equal(error.code, READ);
  assert.equal(
    error.toLine(),
    'bulwark.yaml:4:3: BULWARK_ERR_CONFIG_READ: invalid YAML: Map keys must be unique',
  );
});

test('duplicate keys in JSON are refused too (JSON.parse would keep the last)', () => {
  const error = configError('{"version": 1,\n "version": 1}', { file: 'b.json' });
  assert.equal(
    error.toLine(),
    'b.json:2:2: BULWARK_ERR_CONFIG_READ: invalid JSON: Map keys must be unique',
  );
});

test('custom tags are refused rather than ignored', () => {
  const error = configError(yaml('version: 1', 'protect:', '  upstream: !!js/function "x"'));
  assert.equal(error.code, READ);
  assert.match(error.toLine(), /^bulwark\.yaml:3:13: BULWARK_ERR_CONFIG_READ: invalid YAML: /);
});

test('several YAML documents in one file are refused', () => {
  assert.equal(configError(yaml('version: 1', '---', 'version: 1')).code, READ);
});

test('an alias bomb is refused without expanding it (CWE-776)', () => {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i <= 8; i++) {
    lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  }
  const error = configError(yaml('version: 1', ...lines));
  assert.equal(error.code, READ);
  assert.match(error.message, /alias/i);
});

test('deep nesting is refused cleanly, before any parser recurses', () => {
  const flow = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  const yamlError = configError(`version: 1\nx: ${flow}\n`);
  assert.equal(
    yamlError.toLine(),
    'bulwark.yaml:2:68: BULWARK_ERR_CONFIG_READ: the config nests too deeply',
  );
  const jsonError = configError(`{"version": 1, "x": ${flow}}`, { file: 'b.json' });
  assert.equal(
    jsonError.toLine(),
    'b.json:1:84: BULWARK_ERR_CONFIG_READ: the config nests too deeply',
  );
  const block = Array.from({ length: 1400 }, (_, i) => `${' '.repeat(i + 1)}- `).join('\n');
  const blockError = configError(`version: 1\nx:\n${block}1\n`);
  assert.equal(blockError.code, 'BULWARK_ERR_CONFIG_READ');
  assert.equal(blockError.message, 'the config nests too deeply');
});

test('brackets inside quotes and comments do not count as nesting', () => {
  const many = '['.repeat(200);
  const config = parseConfig(
    yaml(
      'version: 1',
      `# ${many}`,
      'protect:',
      `  upstream: "http://127.0.0.1:1" # ${many}`,
      'audit:',
      `  baseline: '${many}.json'`,
    ),
    'b.yaml',
    { env: {} },
  );
  assert.equal(config.audit?.baseline, `${many}.json`);
});

test('anchors and aliases work; merge keys are not YAML 1.2 and are reported', () => {
  const config = parseConfig(
    yaml(
      'version: 1',
      'scan:',
      '  admin:',
      '    tags: &admin [admin, internal]',
      '  flows:',
      '    support: { operations: *admin }',
    ),
    'b.yaml',
    { env: {} },
  );
  assert.deepEqual(config.scan?.flows?.support?.operations, ['admin', 'internal']);
  const merged = configError(
    yaml('version: 1', 'protect:', '  listen: &l { port: 1 }', '  admin:', '    <<: *l'),
  );
  assert.equal(merged.message, 'protect.admin["<<"]: unknown key');
  assert.deepEqual([merged.location?.line, merged.location?.column], [5, 5]);
});

test('YAML 1.2 scalars: yes, on and dates stay strings', () => {
  const error = configError(yaml('version: 1', 'protect:', '  errors: { exposeLimits: yes }'));
  assert.equal(error.message, 'protect.errors.exposeLimits: must be true or false, not a string');
  assert.equal(error.hint, 'write true or false: yes, no, on and off are strings in YAML 1.2');
  const config = parseConfig(yaml('version: 1', 'audit:', '  baseline: 2026-01-01'), 'b.yaml', {
    env: {},
  });
  assert.equal(config.audit?.baseline, '2026-01-01');
});

test('the top level must be a mapping', () => {
  assertConfigError(yaml('- version: 1'), {
    code: 'BULWARK_ERR_CONFIG_INVALID',
    line: 'bulwark.yaml:1:1: BULWARK_ERR_CONFIG_INVALID: the top level must be a mapping, not a list (start with: version: 1)',
  });
  assert.match(configError('"just text"').message, /must be a mapping, not a string/);
  assert.match(configError('42', { file: 'b.json' }).message, /must be a mapping, not a number/);
});

test('an empty or comment-only file is refused', () => {
  for (const text of ['', '\n\n', '# only a comment\n', '\uFEFF']) {
    assert.equal(
      configError(text).toLine(),
      'bulwark.yaml: BULWARK_ERR_CONFIG_INVALID: the config file is empty (it needs at least: version: 1)',
    );
  }
});

test('a UTF-8 byte order mark is ignored', () => {
  assert.deepEqual(parseConfig('\uFEFFversion: 1\n', 'b.yaml', { env: {} }), { version: 1 });
});

test('"__proto__" as a key stays data and never changes a prototype', () => {
  const config = parseConfig(
    yaml('version: 1', 'protect:', '  operations:', '    __proto__: { bodyBytes: 1 }'),
    'b.yaml',
    { env: {} },
  );
  const operations = config.protect?.operations ?? {};
  assert.equal(Object.getPrototypeOf(operations), Object.prototype);
  assert.ok(Object.hasOwn(operations, '__proto__'));
  assert.equal(({} as Record<string, unknown>).bodyBytes, undefined);
  const json = parseConfig(
    '{"version": 1, "protect": {"operations": {"__proto__": {"bodyBytes": 1}}}}',
    'b.json',
    { env: {} },
  );
  assert.ok(Object.hasOwn(json.protect?.operations ?? {}, '__proto__'));
});

test('"__proto__" where it is not an allowed key is an unknown key', () => {
  const error = configError(yaml('version: 1', 'protect:', '  __proto__: { upstream: x }'));
  assert.equal(error.message, 'protect.__proto__: unknown key');
});
