import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadSpec } from '../../../src/core/openapi/load.js';
import type { ApiModel, SchemaObject } from '../../../src/core/openapi/model.js';
import { FIXTURES, op } from './helpers.js';

let model: ApiModel;
before(async () => {
  model = await loadSpec(`${FIXTURES}oas31-full.yaml`);
});

test('3.1 version, dialect and mutualTLS', () => {
  assert.equal(model.version, 'openapi-3.1');
  assert.equal(model.dialect, 'json-schema-2020-12');
  const mtls = model.securitySchemes['mtls'];
  assert.equal(mtls?.type, 'mutualTLS');
  assert.equal(mtls?.description, 'client certificates');
  assert.equal(op(model, 'GET /items').security.declared?.[0]?.schemes[0]?.scheme, mtls);
});

test('a path item $ref is followed (components.pathItems); webhooks are not operations', () => {
  assert.deepEqual(
    model.operations.map((o) => o.key),
    ['GET /items', 'POST /things/{id}'],
  );
  assert.equal(op(model, 'GET /items').operationId, 'listItems');
});

test('$ref with schema siblings means allOf in 3.1; summary/description siblings keep the shared target', () => {
  const post = op(model, 'POST /things/{id}');
  const thing = model.schemas['Thing'];
  const requestSchema = post.requestBody?.content[0]?.schema as SchemaObject;
  assert.notEqual(requestSchema, thing);
  assert.equal(requestSchema['maxProperties'], 5);
  assert.deepEqual(requestSchema['allOf'], [thing]);
  assert.equal((requestSchema['allOf'] as unknown[])[0], thing);
  assert.equal(post.responses[0]?.content[0]?.schema, thing);
  // The wrapper is located at the $ref that produced it.
  const where = model.locate(requestSchema);
  assert.ok(where);
  assert.match(where.pointer, /requestBody\/content\/application~1json\/schema$/);
});

test('boolean schemas, type arrays, prefixItems, $defs and $anchor references', () => {
  const post = op(model, 'POST /things/{id}');
  assert.equal(post.responses[1]?.content[0]?.schema, false);
  assert.deepEqual(post.parameters[0]?.schema, { type: ['string', 'null'] });
  const thing = model.schemas['Thing'] as SchemaObject;
  const idDef = (thing['$defs'] as Record<string, unknown>)['id'];
  const props = thing['properties'] as Record<string, SchemaObject>;
  assert.equal(props['id'], idDef, '#thingId ($anchor) resolves');
  assert.equal(props['tags']?.['items'], idDef, 'a pointer through $defs resolves');
  const list = op(model, 'GET /items').responses[0]?.content[0]?.schema as SchemaObject;
  assert.deepEqual(list['prefixItems'], [thing]);
  assert.equal(list['items'], true);
});
