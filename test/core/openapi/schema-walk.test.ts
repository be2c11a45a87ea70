import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSpec, parseSpecText } from '../../../src/core/openapi/load.js';
import type { SchemaObject } from '../../../src/core/openapi/model.js';
import {
  schemaUsage,
  walkSchema,
  type SchemaVisit,
} from '../../../src/core/openapi/schema-walk.js';
import { FIXTURES } from './helpers.js';

test('walkSchema visits every subschema keyword once, with paths and parent keywords', () => {
  const model = parseSpecText(`openapi: 3.1.0
info: { title: t, version: '1' }
components:
  schemas:
    Root:
      type: object
      properties:
        a: { type: string }
        b: { $ref: '#/components/schemas/Root' }
      patternProperties:
        '^x/': { type: integer }
      additionalProperties: { type: boolean }
      dependentSchemas:
        a: { required: [b] }
      $defs:
        d: { type: 'null' }
      allOf: [{ title: all }]
      anyOf: [{ title: any }]
      oneOf: [{ title: one }]
      not: { title: not }
      if: { title: if }
      then: { title: then }
      else: { title: else }
      propertyNames: { maxLength: 3 }
      unevaluatedProperties: false
    List:
      type: array
      prefixItems: [{ title: first }]
      items: { $ref: '#/components/schemas/Root' }
      contains: { title: contains }
`);
  const visits: SchemaVisit[] = [];
  walkSchema(model.schemas['Root'], (v) => {
    visits.push(v);
  });
  const paths = visits.map((v) => v.path);
  assert.equal(paths[0], '');
  assert.equal(new Set(visits.map((v) => v.schema)).size, visits.length, 'each schema once');
  for (const expected of [
    '/properties/a',
    '/patternProperties/^x~1',
    '/additionalProperties',
    '/dependentSchemas/a',
    '/$defs/d',
    '/allOf/0',
    '/anyOf/0',
    '/oneOf/0',
    '/not',
    '/if',
    '/then',
    '/else',
    '/propertyNames',
  ]) {
    assert.ok(paths.includes(expected), expected);
  }
  assert.ok(
    !paths.includes('/properties/b'),
    'the recursive reference is the root, already visited',
  );
  const a = visits.find((v) => v.path === '/properties/a');
  assert.equal(a?.keyword, 'properties');
  assert.equal(a?.name, 'a');
  assert.equal(a?.parent, model.schemas['Root']);
  assert.equal(a?.depth, 1);

  const list: string[] = [];
  walkSchema(model.schemas['List'], (v) => {
    list.push(v.path);
    return v.keyword === 'items' ? 'skip' : undefined;
  });
  assert.deepEqual(list, ['', '/items', '/contains', '/prefixItems/0']);

  let count = 0;
  walkSchema(model.schemas['Root'], () => (++count === 3 ? 'stop' : undefined));
  assert.equal(count, 3);
  walkSchema(true, () => assert.fail('boolean schemas have no object to visit'));
});

test('walkSchema on a deep chain does not recurse', () => {
  let deep: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < 100_000; i++) deep = { items: deep };
  let n = 0;
  walkSchema(deep, () => {
    n++;
  });
  assert.equal(n, 100_001);
});

test('schemaUsage tells request, response or both, with the operations', async () => {
  const model = await loadSpec(`${FIXTURES}oas30-full.yaml`);
  const usage = schemaUsage(model);
  const pet = model.schemas['Pet'] as SchemaObject;
  const owner = model.schemas['Owner'] as SchemaObject;
  const petUse = usage.get(pet);
  assert.ok(petUse);
  assert.equal(petUse.request, true);
  assert.equal(petUse.response, true);
  assert.deepEqual(
    petUse.requestOperations.map((o) => o.key),
    ['PUT /pets/{petId}'],
  );
  assert.deepEqual(
    petUse.responseOperations.map((o) => o.key),
    ['GET /pets/{petId}', 'GET /owners/{ownerId}'],
  );
  // Owner is reached from Pet (a request body) and returned by GET /owners/{ownerId}.
  assert.equal(usage.get(owner)?.request, true);
  const weird = usage.get(model.schemas['Weird/Name'] as SchemaObject);
  assert.deepEqual([weird?.request, weird?.response], [true, false]);
  const text = usage.get(model.schemas['With Space'] as SchemaObject);
  assert.deepEqual([text?.request, text?.response], [false, true]);
});
