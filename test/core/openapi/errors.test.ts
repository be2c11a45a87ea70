// Bad input: every case is a one-line BulwarkError with a stable code and a location.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadSpec, loadSpecFromString, parseSpecText } from '../../../src/core/openapi/load.js';
import { coded } from './helpers.js';

const HEAD = 'openapi: 3.0.0\ninfo: { title: t, version: "1" }\n';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bulwark-load-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function oneLine(line: string): void {
  assert.doesNotMatch(line, /\n/);
  assert.ok(line.length < 300, line);
}

test('invalid YAML: SPEC_PARSE at the first error', async () => {
  const error = await coded(() =>
    parseSpecText('openapi: 3.0.0\ninfo:\n  title: x\n   version: 1\n', 'a.yaml'),
  );
  assert.equal(error.code, 'BULWARK_ERR_SPEC_PARSE');
  assert.deepEqual(
    [error.location?.file, error.location?.line, error.location?.column],
    ['a.yaml', 3, 10],
  );
  oneLine(error.toLine());
});

test('invalid JSON: SPEC_PARSE with line and column', async () => {
  const error = await coded(() =>
    parseSpecText('{\n  "openapi": "3.0.0",\n  "info": {"title": "x" "version": "1"}\n}', 'a.json'),
  );
  assert.equal(error.code, 'BULWARK_ERR_SPEC_PARSE');
  assert.deepEqual([error.location?.line, error.location?.column], [3, 25]);
  for (const bad of [
    '{"a": 1,}',
    '{"a": "\u0001"}',
    '{"a": tru}',
    '[1, 2',
    '{"a": "x\\q"}',
    '{} {}',
  ]) {
    assert.equal(
      (await coded(() => parseSpecText(bad, 'b.json'))).code,
      'BULWARK_ERR_SPEC_PARSE',
      bad,
    );
  }
});

test('JSON-looking YAML (a trailing comma) still loads when the file is not .json', () => {
  const model = parseSpecText(
    '{"openapi": "3.0.0", "info": {"title": "x", "version": "1"}, "paths": {},}',
    'a.yaml',
  );
  assert.equal(model.info.title, 'x');
});

test('0-byte and whitespace-only files: SPEC_EMPTY naming the file', async (t) => {
  const dir = await tempDir(t);
  for (const [name, text] of [
    ['zero.yaml', ''],
    ['blank.yaml', ' \n\t\n'],
    ['comment.yaml', '# nothing\n'],
  ] as const) {
    await writeFile(join(dir, name), text);
    const error = await coded(() => loadSpec(join(dir, name)));
    assert.equal(error.code, 'BULWARK_ERR_SPEC_EMPTY', name);
    assert.match(error.location?.file ?? '', new RegExp(`${name}$`));
  }
});

test('binary input (NUL bytes, invalid UTF-8): SPEC_BINARY with the position', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'nul.yaml'), Buffer.from('openapi: 3.0.0\ninfo:\x00\x01'));
  const nul = await coded(() => loadSpec(join(dir, 'nul.yaml')));
  assert.equal(nul.code, 'BULWARK_ERR_SPEC_BINARY');
  assert.deepEqual([nul.location?.line, nul.location?.column], [2, 6]);
  await writeFile(join(dir, 'latin1.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
  assert.equal(
    (await coded(() => loadSpec(join(dir, 'latin1.yaml')))).code,
    'BULWARK_ERR_SPEC_BINARY',
  );
  await writeFile(
    join(dir, 'png.yaml'),
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]),
  );
  assert.equal(
    (await coded(() => loadSpec(join(dir, 'png.yaml')))).code,
    'BULWARK_ERR_SPEC_BINARY',
  );
});

test('UTF-8 BOM and UTF-16 with BOM are text', async (t) => {
  const dir = await tempDir(t);
  const text = `${HEAD}paths: {}\n`;
  await writeFile(
    join(dir, 'bom.yaml'),
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
  );
  assert.equal((await loadSpec(join(dir, 'bom.yaml'))).info.title, 't');
  await writeFile(
    join(dir, 'utf16.yaml'),
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
  );
  assert.equal((await loadSpec(join(dir, 'utf16.yaml'))).info.title, 't');
});

test('over the size cap: SPEC_TOO_LARGE, without naming the cap', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'big.yaml');
  await writeFile(file, `${HEAD}paths: {}\nx-pad: "${'a'.repeat(5000)}"\n`);
  const error = await coded(() => loadSpec(file, { maxBytes: 4321 }));
  assert.equal(error.code, 'BULWARK_ERR_SPEC_TOO_LARGE');
  assert.doesNotMatch(error.toLine(), /4321|4\.2|KiB|MiB/);
  const inline = await coded(() => loadSpecFromString('a'.repeat(100), { maxBytes: 10 }));
  assert.equal(inline.code, 'BULWARK_ERR_SPEC_TOO_LARGE');
});

test('missing file and directory: SPEC_READ', async (t) => {
  const dir = await tempDir(t);
  const missing = await coded(() => loadSpec(join(dir, 'nope.yaml')));
  assert.equal(missing.code, 'BULWARK_ERR_SPEC_READ');
  assert.match(missing.toLine(), /nope\.yaml: BULWARK_ERR_SPEC_READ: .*no such file/);
  assert.equal((await coded(() => loadSpec(dir))).code, 'BULWARK_ERR_SPEC_READ');
});

test('not an API description: SPEC_NOT_API', async () => {
  for (const text of [
    'info: {title: t, version: "1"}\npaths: {}\n',
    'name: x\nitems: [1]\n',
    '- a\n- b\n',
    'just a string\n',
    'asyncapi: 2.0.0\ninfo: {}\n',
  ]) {
    const error = await coded(() => parseSpecText(text, 'n.yaml'));
    assert.equal(error.code, 'BULWARK_ERR_SPEC_NOT_API', text);
    assert.equal(error.location?.line, 1);
  }
});

test('unknown version: SPEC_VERSION at the version key', async () => {
  for (const [text, line] of [
    ['openapi: 4.0.0\ninfo: {}\npaths: {}\n', 1],
    ['info: {title: t}\nswagger: "1.2"\n', 2],
    ['openapi: 3.2.x\n', 1],
    ['swaggerVersion: "1.2"\napis: []\n', 1],
  ] as const) {
    const error = await coded(() => parseSpecText(text, 'v.yaml'));
    assert.equal(error.code, 'BULWARK_ERR_SPEC_VERSION', text);
    assert.equal(error.location?.line, line, text);
  }
  // Unquoted YAML numbers are versions too.
  assert.equal(
    parseSpecText('openapi: 3.0\ninfo: {title: t, version: 1}\npaths: {}\n').specVersion,
    '3.0',
  );
  assert.equal(
    parseSpecText('swagger: 2.0\ninfo: {title: t, version: 1}\npaths: {}\n').version,
    'swagger-2.0',
  );
});

test('wrong structural shape: SPEC_INVALID at the offending node', async () => {
  const cases: [string, number][] = [
    [`${HEAD}paths: []\n`, 3],
    [`${HEAD}paths:\n  /a: 7\n`, 4],
    [`${HEAD}paths:\n  /a:\n    get: [1]\n`, 5],
    [`${HEAD}paths:\n  /a:\n    get:\n      parameters: {a: 1}\n`, 6],
    [`${HEAD}paths:\n  /a:\n    get:\n      parameters:\n        - {name: a, in: body}\n`, 7],
    [`${HEAD}paths:\n  /a:\n    get:\n      security:\n        - nope: []\n`, 7],
    [`openapi: 3.0.0\npaths: {}\n`, 1],
    [`openapi: 3.0.0\ninfo: { title: t, version: "1" }\n`, 1],
    [`${HEAD}paths: {}\ncomponents:\n  securitySchemes:\n    a: {type: magic}\n`, 6],
    [
      `${HEAD}paths: {}\ncomponents:\n  securitySchemes:\n    a: {type: apiKey, in: body, name: x}\n`,
      6,
    ],
    [`${HEAD}paths: {}\ncomponents:\n  schemas:\n    A: 42\n`, 6],
  ];
  for (const [text, line] of cases) {
    const error = await coded(() => parseSpecText(text, 's.yaml'));
    assert.equal(error.code, 'BULWARK_ERR_SPEC_INVALID', text);
    assert.equal(error.location?.line, line, text);
    oneLine(error.toLine());
  }
});

test('duplicate keys are tolerated (last wins) and reported as warnings', () => {
  const warnings: string[] = [];
  const model = parseSpecText(
    `${HEAD}info: { title: second, version: "2" }\npaths: {}\n`,
    'd.yaml',
    {
      onWarning: (w) => warnings.push(w),
    },
  );
  assert.equal(model.info.title, 'second');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /duplicate key 'info'/);
});

test('YAML alias bombs are refused; ordinary aliases and merge keys work', async () => {
  const rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i);
    rows.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${prev}`).join(',')}]`,
    );
  }
  const bomb = await coded(() =>
    parseSpecText(`${HEAD}paths: {}\n${rows.map((r) => `x-${r}`).join('\n')}\n`),
  );
  assert.equal(bomb.code, 'BULWARK_ERR_SPEC_PARSE');
  assert.match(bomb.message, /alias/);
  const model = parseSpecText(
    `${HEAD}paths: {}\ncomponents:\n  schemas:\n    Base: &base { type: object, description: base }\n    Same: *base\n    Merged:\n      <<: *base\n      description: merged\n`,
  );
  assert.equal(model.schemas['Same'], model.schemas['Base']);
  assert.deepEqual(model.schemas['Merged'], { type: 'object', description: 'merged' });
});

test('absurd nesting is a clean SPEC_PARSE, in JSON and in YAML', async () => {
  for (const [text, file] of [
    ['['.repeat(200_000), 'deep.json'],
    [`${HEAD}x: ${'['.repeat(200_000)}`, 'deep.yaml'],
    [`${HEAD}x: ${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`, 'deep2.yaml'],
  ] as const) {
    const error = await coded(() => parseSpecText(text, file));
    assert.equal(error.code, 'BULWARK_ERR_SPEC_PARSE', file);
    assert.match(error.message, /nesting is too deep/);
  }
});

test('more than one YAML document is refused', async () => {
  const error = await coded(() =>
    parseSpecText(`${HEAD}paths: {}\n---\nopenapi: 3.0.0\n`, 'm.yaml'),
  );
  assert.equal(error.code, 'BULWARK_ERR_SPEC_PARSE');
  assert.equal(error.location?.line, 4);
});

test('__proto__ keys stay data (no prototype pollution)', () => {
  const model = parseSpecText(
    `${HEAD}paths: {}\ncomponents:\n  schemas:\n    P:\n      properties:\n        __proto__: { type: string, polluted: true }\n`,
  );
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  const props = (model.schemas['P'] as { properties: object }).properties;
  assert.ok(Object.prototype.hasOwnProperty.call(props, '__proto__'));
  const json = parseSpecText(
    `{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{},"__proto__":{"polluted":1}}`,
    'p.json',
  );
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  assert.equal(json.info.title, 't');
});
