import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, test } from 'node:test';
import { parse } from 'yaml';
import { loadSpec, loadSpecFromString } from '../../../src/core/openapi/load.js';
import type { ApiModel, SchemaObject } from '../../../src/core/openapi/model.js';
import { FIXTURES, op } from './helpers.js';

let model: ApiModel;
before(async () => {
  model = await loadSpec(`${FIXTURES}swagger20-full.yaml`);
});

test('host, basePath and schemes become servers', () => {
  assert.equal(model.version, 'swagger-2.0');
  assert.equal(model.specVersion, '2.0');
  assert.deepEqual(
    model.servers.map((s) => s.url),
    ['https://api.example.com/v2', 'http://api.example.com/v2'],
  );
  assert.equal(model.servers[0]?.location.pointer, '/host');
  assert.deepEqual(
    op(model, 'POST /pets/{petId}/photo').servers.map((s) => s.url),
    ['wss://api.example.com/v2'],
  );
});

test('non-body parameters get a schema from type/format/items; collectionFormat becomes style/explode', () => {
  const params = op(model, 'GET /pets').parameters;
  assert.deepEqual(
    params.map((p) => `${p.in}:${p.name}`),
    ['query:limit', 'query:tags', 'query:ids', 'header:X-Trace'],
  );
  assert.deepEqual(params[0]?.schema, { type: 'integer', default: 20, maximum: 100 });
  assert.deepEqual(params[1]?.schema, { type: 'array', items: { type: 'string' } });
  assert.deepEqual([params[1]?.style, params[1]?.explode], ['form', true]);
  assert.deepEqual([params[2]?.style, params[2]?.explode], ['form', false]);
  assert.deepEqual(params[3]?.schema, { type: 'string', format: 'uuid' });
  // Synthesised schemas are located at their parameter.
  assert.equal(
    model.locate(params[3]?.schema as object)?.pointer,
    '/paths/~1pets/get/parameters/2',
  );
});

test('a body parameter becomes a request body per consumes media type', () => {
  const body = op(model, 'POST /pets').requestBody;
  assert.equal(body?.required, true);
  assert.deepEqual(
    body?.content.map((m) => m.mediaType),
    ['application/json', 'text/xml'],
  );
  assert.equal(body?.content[0]?.schema, model.schemas['Pet']);
  assert.equal(
    op(model, 'POST /pets').parameters.length,
    1,
    'only the inherited limit is a parameter',
  );
});

test('formData parameters become one object schema; a file makes it multipart', () => {
  const upload = op(model, 'POST /pets/{petId}/photo');
  assert.deepEqual(
    upload.parameters.map((p) => p.name),
    ['petId'],
  );
  const media = upload.requestBody?.content;
  assert.deepEqual(
    media?.map((m) => m.mediaType),
    ['multipart/form-data'],
  );
  assert.deepEqual(media?.[0]?.schema, {
    type: 'object',
    properties: { file: { type: 'string', format: 'binary' }, note: { type: 'string' } },
    required: ['file'],
  });
  assert.equal(upload.requestBody?.required, true);
  const login = op(model, 'POST /login').requestBody;
  assert.deepEqual(
    login?.content.map((m) => m.mediaType),
    ['application/x-www-form-urlencoded'],
  );
});

test('responses per produces media type, with headers and examples', () => {
  const ok = op(model, 'GET /pets').responses[0];
  assert.deepEqual(
    ok?.content.map((m) => m.mediaType),
    ['application/json', 'application/xml'],
  );
  assert.equal((ok?.content[0]?.schema as SchemaObject)['items'], model.schemas['Pet']);
  assert.deepEqual(ok?.content[0]?.example, [{ id: 1 }]);
  assert.deepEqual(
    ok?.headers.map((h) => [h.name, h.schema]),
    [['X-Next', { type: 'string' }]],
  );
  assert.deepEqual(op(model, 'POST /pets').responses[0]?.content, []);
});

test('securityDefinitions: basic, apiKey and the four oauth2 flows under their OAS 3 names', () => {
  const s = model.securitySchemes;
  assert.ok(s['basic']?.type === 'http' && s['basic'].scheme === 'basic');
  assert.ok(s['api_key']?.type === 'apiKey' && s['api_key'].in === 'header');
  const flows = (name: string) => {
    const scheme = s[name];
    assert.ok(scheme?.type === 'oauth2');
    return scheme.flows;
  };
  assert.deepEqual(flows('petstore_auth'), {
    implicit: {
      authorizationUrl: 'https://auth.example.com/dialog',
      scopes: { 'write:pets': 'modify pets' },
    },
  });
  assert.deepEqual(Object.keys(flows('password')), ['password']);
  assert.deepEqual(Object.keys(flows('app')), ['clientCredentials']);
  assert.deepEqual(flows('code').authorizationCode?.tokenUrl, 'https://auth.example.com/token');
  assert.deepEqual(op(model, 'POST /pets/{petId}/photo').security, {
    declared: [],
    fromOperation: true,
  });
  assert.deepEqual(
    op(model, 'GET /pets').security.declared?.[0]?.schemes[0]?.scheme.name,
    'api_key',
  );
});

test('the same description as JSON gives the same model', async () => {
  const text = JSON.stringify(parse(await readFile(`${FIXTURES}swagger20-full.yaml`, 'utf8')));
  const fromJson = await loadSpecFromString(text, { file: 'swagger20.json' });
  assert.deepEqual(
    fromJson.operations.map((o) => [o.key, o.parameters.length, o.requestBody?.content.length]),
    model.operations.map((o) => [o.key, o.parameters.length, o.requestBody?.content.length]),
  );
  assert.deepEqual(fromJson.schemas, model.schemas);
  // JSON positions are real too.
  const where = fromJson.locate(op(fromJson, 'POST /pets'));
  assert.equal(where?.pointer, '/paths/~1pets/post');
  assert.equal(where?.line, 1);
  assert.ok((where?.column ?? 0) > 1);
});
