import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { loadSpec, loadSpecFromString, parseSpecText } from '../../../src/core/openapi/load.js';
import type { SchemaObject } from '../../../src/core/openapi/model.js';
import { coded, FIXTURES, op } from './helpers.js';

const HEAD = 'openapi: 3.0.0\ninfo: { title: t, version: "1" }\n';

test('relative-file $refs across YAML and JSON files, with cycles across files', async () => {
  const model = await loadSpec(`${FIXTURES}split/root.yaml`);
  assert.equal(model.files.length, 5);
  const list = op(model, 'GET /pets');
  const pet = model.schemas['Pet'] as SchemaObject;
  const items = (list.responses[0]?.content[0]?.schema as SchemaObject)['items'];
  assert.equal(items, pet, 'the same file reached from two places is one object');
  const props = pet['properties'] as Record<string, SchemaObject>;
  assert.equal(props['friend'], pet, "'#' inside pet.yaml is pet.yaml's root");
  const ownerPets = (props['owner']?.['properties'] as Record<string, SchemaObject>)['pets'];
  assert.equal(ownerPets?.['items'], pet, 'pet.yaml -> owner.yaml -> pet.yaml is an object cycle');
  assert.equal(list.responses[1]?.content[0]?.schema, model.schemas['Error']);
  // Locations of nodes from other files point into those files.
  const where = model.locate(pet);
  assert.match(where?.file ?? '', /^test\/fixtures\/specs\/split\/schemas\/pet\.yaml$/);
  assert.equal(where?.line, 1);
  assert.equal(model.locate(model.schemas['Error'] as object)?.pointer, '/definitions/Error');
  assert.match(model.locate(model.schemas['Error'] as object)?.file ?? '', /common\.json$/);
  assert.equal(model.schemaName(model.schemas['Error'] as object), 'Error');
});

test('a $ref to a missing file is REF_UNRESOLVED at the $ref', async () => {
  const error = await coded(() => loadSpec(`${FIXTURES}bad/missing-file-ref.yaml`));
  assert.equal(error.code, 'BULWARK_ERR_REF_UNRESOLVED');
  assert.deepEqual([error.location?.line, error.location?.column], [7, 7]);
  assert.match(error.message, /nowhere\.yaml/);
});

test('a chain of refs that loops is REF_CYCLE; a recursive schema is fine', async () => {
  const error = await coded(() => loadSpec(`${FIXTURES}bad/ref-cycle.yaml`));
  assert.equal(error.code, 'BULWARK_ERR_REF_CYCLE');
  assert.match(error.toLine(), /ref-cycle\.yaml:7:7: BULWARK_ERR_REF_CYCLE/);
  const self = await coded(() =>
    parseSpecText(
      `${HEAD}paths: {}\ncomponents:\n  schemas:\n    A: { $ref: '#/components/schemas/A' }\n`,
    ),
  );
  assert.equal(self.code, 'BULWARK_ERR_REF_CYCLE');
  const through = await coded(() =>
    parseSpecText(
      `${HEAD}paths: {}\ncomponents:\n  schemas:\n    A: { $ref: '#/components/schemas/A/properties/x' }\n`,
    ),
  );
  assert.equal(through.code, 'BULWARK_ERR_REF_CYCLE', 'a pointer through its own ref');
});

test('a long chain of refs and a deep recursive schema neither hang nor overflow the stack', () => {
  const n = 20_000;
  const lines = [`${HEAD}paths: {}\ncomponents:\n  schemas:`];
  for (let i = 0; i < n; i++) lines.push(`    S${i}: { $ref: '#/components/schemas/S${i + 1}' }`);
  lines.push(
    `    S${n}: { type: object, properties: { self: { $ref: '#/components/schemas/S0' } } }`,
  );
  const model = parseSpecText(lines.join('\n'));
  const last = model.schemas[`S${n}`] as SchemaObject;
  assert.equal(model.schemas['S0'], last);
  assert.equal((last['properties'] as Record<string, unknown>)['self'], last);
});

test('dangling internal refs, bad array indexes and escaped tokens', async () => {
  const dangling = await coded(() =>
    parseSpecText(
      `${HEAD}paths: {}\ncomponents:\n  schemas:\n    A: { $ref: '#/components/schemas/B' }\n`,
      'x.yaml',
    ),
  );
  assert.equal(
    dangling.toLine(),
    "x.yaml:6:10: BULWARK_ERR_REF_UNRESOLVED: $ref '#/components/schemas/B' points at nothing",
  );
  const index = await coded(() =>
    parseSpecText(
      `${HEAD}paths: {}\nx-list: [1]\ncomponents:\n  schemas:\n    A: { $ref: '#/components/schemas/B' }\n    B: { allOf: [{type: string}] }\n    C: { $ref: '#/components/schemas/B/allOf/01' }\n`,
    ),
  );
  assert.equal(index.code, 'BULWARK_ERR_REF_UNRESOLVED');
  const ok = parseSpecText(
    `${HEAD}paths: {}\ncomponents:\n  schemas:\n    'a~b/c': { type: string }\n    R: { $ref: '#/components/schemas/a~0b~1c' }\n`,
  );
  assert.equal(ok.schemas['R'], ok.schemas['a~b/c']);
});

test('refs inside extensions resolve when they can and stay data when they cannot', () => {
  const model = parseSpecText(
    `${HEAD}paths: {}\nx-good: { $ref: '#/components/schemas/A' }\nx-bad: { $ref: '#/nowhere' }\ncomponents:\n  schemas:\n    A: { type: string }\n`,
  );
  assert.equal(model.extensions['x-good'], model.schemas['A']);
  assert.deepEqual(model.extensions['x-bad'], { $ref: '#/nowhere' });
});

test('parseSpecText does not read other files', async () => {
  const error = await coded(() =>
    parseSpecText(`${HEAD}paths: {}\ncomponents:\n  schemas:\n    A: { $ref: 'other.yaml' }\n`),
  );
  assert.equal(error.code, 'BULWARK_ERR_REF_UNRESOLVED');
});

test('URL sources: relative refs are fetched from the same origin, never local files or other origins', async (t) => {
  const files: Record<string, string> = {
    '/api/root.yaml': `${HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: { $ref: 'schemas/a.yaml' }\n`,
    '/api/schemas/a.yaml': 'type: object\nproperties:\n  b: { $ref: "../b.json#/B" }\n',
    '/api/b.json': '{"B": {"type": "string"}}',
    '/api/local.yaml': `${HEAD}paths: {}\ncomponents:\n  schemas:\n    A: { $ref: 'file:///etc/passwd' }\n`,
    '/api/cross.yaml': `${HEAD}paths: {}\ncomponents:\n  schemas:\n    A: { $ref: 'http://127.0.0.2:1/x.yaml' }\n`,
  };
  const server = createServer((req, res) => {
    const body = files[req.url ?? ''];
    res.writeHead(body === undefined ? 404 : 200).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;

  const model = await loadSpec(`${base}/root.yaml`);
  assert.equal(model.source, `${base}/root.yaml`);
  assert.equal(model.files.length, 3);
  const schema = op(model, 'GET /a').responses[0]?.content[0]?.schema as SchemaObject;
  assert.deepEqual(schema['properties'], { b: { type: 'string' } });
  assert.equal(model.locate(schema)?.file, `${base}/schemas/a.yaml`);
  assert.equal(model.servers.length, 0);

  const local = await coded(() => loadSpec(`${base}/local.yaml`));
  assert.equal(local.code, 'BULWARK_ERR_REF_UNRESOLVED');
  assert.match(local.message, /cannot reference a local file/);
  const cross = await coded(() => loadSpec(`${base}/cross.yaml`));
  assert.match(cross.message, /another origin/);
  const missing = await coded(() => loadSpec(`${base}/missing.yaml`));
  assert.equal(missing.code, 'BULWARK_ERR_SPEC_READ');
  assert.match(missing.message, /HTTP 404/);
});

test('a local description does not make us fetch remote refs unless allowed', async () => {
  const error = await coded(() =>
    parseSpecText(
      `${HEAD}paths: {}\ncomponents:\n  schemas:\n    A: { $ref: 'https://example.com/a.yaml' }\n`,
    ),
  );
  assert.equal(error.code, 'BULWARK_ERR_REF_UNRESOLVED');
});

test('a local description only references description files (no /etc/passwd, no .env)', async () => {
  for (const target of ['/etc/passwd', '../.env', 'id_rsa']) {
    const error = await coded(() =>
      loadSpecFromString(
        `${HEAD}paths: {}\ncomponents:\n  schemas:\n    A: { $ref: '${target}' }\n`,
        {
          file: `${FIXTURES}inline.yaml`,
        },
      ),
    );
    assert.equal(error.code, 'BULWARK_ERR_REF_UNRESOLVED', target);
    assert.match(error.message, /must name a \.yaml, \.yml or \.json file/);
  }
});
