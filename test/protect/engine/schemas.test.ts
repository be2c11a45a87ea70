import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiModel, SchemaDialect } from '../../../src/core/openapi/model.js';
import { ProjectorCompiler } from '../../../src/protect/engine/projector.js';
import { SchemaCompiler } from '../../../src/protect/engine/schema-compiler.js';

function compiler(
  dialect: SchemaDialect = 'openapi-3.0',
  names = new Map<object, string>(),
): SchemaCompiler {
  return new SchemaCompiler({
    dialect,
    schemaName: (n: object) => names.get(n),
  } as unknown as ApiModel);
}

test('OpenAPI 3.0 nullable becomes a null type, and nullable enums accept null', () => {
  const v = compiler().body(
    { type: 'object', properties: { n: { type: 'string', nullable: true, enum: ['a'] } } },
    'request',
    true,
    't',
  );
  assert.equal(v({ n: null }), true);
  assert.equal(v({ n: 'a' }), true);
  assert.equal(v({ n: 'b' }), false);
});

test('Swagger 2.0 x-nullable and boolean exclusiveMinimum are understood', () => {
  const v = compiler('swagger-2.0').body(
    { type: 'integer', minimum: 0, exclusiveMinimum: true, 'x-nullable': true },
    'request',
    true,
    't',
  );
  assert.equal(v(0), false);
  assert.equal(v(1), true);
  assert.equal(v(null), true);
});

test('3.1 schemas pass as JSON Schema 2020-12 (type arrays, const, prefixItems)', () => {
  const v = compiler('json-schema-2020-12').body(
    { type: ['string', 'null'], const: 'x' },
    'request',
    true,
    't',
  );
  assert.equal(v('x'), true);
  assert.equal(v('y'), false);
});

test('annotation keywords outside JSON Schema do not break strict ajv', () => {
  const v = compiler().body(
    {
      type: 'object',
      example: { a: 1 },
      'x-internal': true,
      xml: { name: 'a' },
      discriminator: { propertyName: 'k' },
      properties: { a: { type: 'string', format: 'made-up' } },
    },
    'request',
    true,
    't',
  );
  assert.equal(v({ a: 'anything' }), true);
});

test('cyclic schemas compile through $defs and validate recursively', () => {
  const tree: Record<string, unknown> = { type: 'object', properties: { v: { type: 'integer' } } };
  (tree['properties'] as Record<string, unknown>)['children'] = { type: 'array', items: tree };
  const c = compiler('openapi-3.0', new Map([[tree, 'Tree']]));
  const converted = c.convert(tree, 'request', true) as Record<string, unknown>;
  assert.ok((converted['$defs'] as Record<string, unknown>)['Tree']);
  const v = c.body(tree, 'request', true, 't');
  assert.equal(v({ v: 1, children: [{ v: 2, children: [{ v: 3 }] }] }), true);
  assert.equal(v({ v: 1, children: [{ v: 2, children: [{ v: 3, admin: true }] }] }), false);
});

test('closed mode refuses unknown properties, allOf composition still works', () => {
  const base = { type: 'object', properties: { a: { type: 'string' } } };
  const v = compiler().body(
    { allOf: [base, { type: 'object', properties: { b: { type: 'string' } } }] },
    'request',
    true,
    't',
  );
  assert.equal(v({ a: 'x', b: 'y' }), true);
  assert.equal(v({ a: 'x', role: 'admin' }), false);
  const open = compiler().body({ allOf: [base] }, 'request', false, 't');
  assert.equal(open({ a: 'x', role: 'admin' }), true);
});

test('explicit additionalProperties in the schema wins over closed mode', () => {
  const v = compiler().body(
    { type: 'object', properties: {}, additionalProperties: { type: 'integer' } },
    'request',
    true,
    't',
  );
  assert.equal(v({ x: 1 }), true);
  assert.equal(v({ x: 'a' }), false);
});

test('readOnly properties may not be sent in requests; required readOnly is not demanded', () => {
  const s = {
    type: 'object',
    required: ['id', 'name'],
    properties: { id: { type: 'string', readOnly: true }, name: { type: 'string' } },
  };
  const v = compiler().body(s, 'request', true, 't');
  assert.equal(v({ name: 'x' }), true);
  assert.equal(v({ name: 'x', id: '1' }), false);
});

test('projection strips undeclared and writeOnly properties, nested and in arrays', () => {
  const user = {
    type: 'object',
    properties: {
      id: { type: 'string' },
      password: { type: 'string', writeOnly: true },
      profile: { type: 'object', properties: { bio: { type: 'string' } } },
    },
  };
  const p = new ProjectorCompiler().compile({ type: 'array', items: user });
  const data = [{ id: '1', password: 'x', password_hash: 'h', profile: { bio: 'b', ssn: 's' } }];
  assert.equal(p(data), 3);
  assert.deepEqual(data, [{ id: '1', profile: { bio: 'b' } }]);
});

test('projection merges allOf, picks oneOf branches by required members, keeps free-form objects', () => {
  const p = new ProjectorCompiler().compile({
    allOf: [{ type: 'object', properties: { id: { type: 'string' } } }],
    properties: { meta: { type: 'object' } },
    oneOf: [
      { type: 'object', required: ['card'], properties: { card: { type: 'string' } } },
      { type: 'object', required: ['iban'], properties: { iban: { type: 'string' } } },
    ],
  });
  const v: Record<string, unknown> = {
    id: '1',
    iban: 'DE',
    card: undefined,
    secret: 's',
    meta: { any: 1 },
  };
  delete v['card'];
  p(v);
  assert.deepEqual(v, { id: '1', iban: 'DE', meta: { any: 1 } });
});

test('projection handles cycles and additionalProperties schemas', () => {
  const node: Record<string, unknown> = {
    type: 'object',
    properties: { name: { type: 'string' } },
  };
  (node['properties'] as Record<string, unknown>)['next'] = node;
  const map = { type: 'object', additionalProperties: node };
  const p = new ProjectorCompiler().compile(map);
  const v = { a: { name: 'x', hidden: 1, next: { name: 'y', hidden: 2 } } };
  assert.equal(p(v), 2);
  assert.deepEqual(v, { a: { name: 'x', next: { name: 'y' } } });
});
