import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadSpec } from '../../../src/core/openapi/load.js';
import type { ApiModel, SchemaObject } from '../../../src/core/openapi/model.js';
import { FIXTURES, op } from './helpers.js';

let model: ApiModel;
before(async () => {
  model = await loadSpec(`${FIXTURES}oas30-full.yaml`);
});

test('version, info, root servers and root extensions', () => {
  assert.equal(model.version, 'openapi-3.0');
  assert.equal(model.specVersion, '3.0.3');
  assert.equal(model.dialect, 'openapi-3.0');
  assert.deepEqual(
    { ...model.info },
    { title: 'Pet Store 3.0', version: '1.2.3', description: 'Fixture' },
  );
  assert.equal(model.servers.length, 1);
  assert.equal(model.servers[0]?.url, 'https://api.example.com/v1');
  assert.deepEqual(model.servers[0]?.variables, { region: { default: 'eu', enum: ['eu', 'us'] } });
  assert.deepEqual(model.extensions, { 'x-bulwark-owner': 'team-a' });
  assert.equal(model.files.length, 1);
});

test('operations have keys, ids, tags, deprecated flag and document order', () => {
  assert.deepEqual(
    model.operations.map((o) => o.key),
    [
      'GET /pets/{petId}',
      'PUT /pets/{petId}',
      'GET /public/status',
      'GET /anon',
      'GET /owners/{ownerId}',
      'GET /a~b/{x}',
    ],
  );
  const get = op(model, 'GET /pets/{petId}');
  assert.equal(get.operationId, 'getPet');
  assert.deepEqual(get.tags, ['pets', 'read']);
  assert.equal(get.deprecated, false);
  assert.equal(get.summary, 'One pet', 'path item summary is inherited');
  assert.equal(op(model, 'PUT /pets/{petId}').deprecated, true);
});

test('servers: operation, then path item, then root', () => {
  assert.deepEqual(
    op(model, 'PUT /pets/{petId}').servers.map((s) => s.url),
    ['https://write.example.com'],
  );
  assert.deepEqual(
    op(model, 'GET /pets/{petId}').servers.map((s) => s.url),
    ['https://pets.example.com'],
  );
  assert.deepEqual(
    op(model, 'GET /public/status').servers.map((s) => s.url),
    ['https://api.example.com/v1'],
  );
});

test('parameters merge path item and operation; the operation wins, header names case-insensitively', () => {
  const params = op(model, 'GET /pets/{petId}').parameters;
  assert.deepEqual(
    params.map((p) => `${p.in}:${p.name}`),
    ['path:petId', 'header:TRACE', 'cookie:session', 'query:filter'],
  );
  const trace = params.find((p) => p.name === 'TRACE');
  assert.equal(trace?.required, true);
  assert.equal((trace?.schema as SchemaObject)['maxLength'], 64);
  const petId = params[0];
  assert.equal(petId?.required, true);
  assert.deepEqual(petId?.schema, { type: 'integer' });
  // A parameter described with `content` takes the schema of its media type.
  assert.deepEqual(params.find((p) => p.name === 'filter')?.schema, { type: 'object' });
  // A referenced parameter is one model object wherever it is used.
  assert.equal(op(model, 'PUT /pets/{petId}').parameters[0], petId);
});

test('request bodies per media type, shared schemas by identity', () => {
  const body = op(model, 'PUT /pets/{petId}').requestBody;
  assert.ok(body);
  assert.equal(body.required, true);
  assert.deepEqual(
    body.content.map((m) => m.mediaType),
    ['application/json', 'application/xml'],
  );
  assert.equal(body.content[0]?.schema, model.schemas['Pet']);
  assert.equal(body.content[1]?.schema, model.schemas['Pet']);
});

test('responses per status and media type, headers without Content-Type, links', () => {
  const get = op(model, 'GET /pets/{petId}');
  assert.deepEqual(
    get.responses.map((r) => r.status),
    ['200', 'default'],
  );
  const ok = get.responses[0];
  assert.equal(ok?.description, 'the pet');
  assert.deepEqual(
    ok?.headers.map((h) => [h.name, h.required]),
    [['X-Rate-Limit', true]],
  );
  assert.equal(ok?.content[0]?.schema, model.schemas['Pet']);
  assert.deepEqual(ok?.content[0]?.example, { id: 1, name: 'Rex' });
  assert.equal(get.responses[1]?.content[0]?.mediaType, 'application/problem+json');
  assert.deepEqual(
    get.links['200']?.map((l) => [l.name, l.operationId]),
    [['owner', 'getOwner']],
  );
  assert.deepEqual(get.links['200']?.[0]?.parameters, { ownerId: '$response.body#/ownerId' });
  assert.deepEqual(
    op(model, 'GET /anon').responses.map((r) => r.status),
    ['2XX'],
  );
});

test('security schemes of every kind are resolved to objects', () => {
  const s = model.securitySchemes;
  assert.deepEqual(Object.keys(s), [
    'bearerAuth',
    'basicAuth',
    'apiKeyHeader',
    'apiKeyQuery',
    'apiKeyCookie',
    'oauth',
    'oidc',
  ]);
  assert.equal(s['bearerAuth']?.type, 'http');
  assert.ok(
    s['bearerAuth']?.type === 'http' && s['bearerAuth'].scheme === 'bearer',
    'scheme names are case-insensitive',
  );
  assert.ok(
    s['bearerAuth']?.type === 'http' &&
      'bearerFormat' in s['bearerAuth'] &&
      s['bearerAuth'].bearerFormat === 'JWT',
  );
  assert.ok(s['basicAuth']?.type === 'http' && s['basicAuth'].scheme === 'basic');
  for (const [name, where, param] of [
    ['apiKeyHeader', 'header', 'X-API-Key'],
    ['apiKeyQuery', 'query', 'api_key'],
    ['apiKeyCookie', 'cookie', 'sid'],
  ] as const) {
    const scheme = s[name];
    assert.ok(scheme?.type === 'apiKey');
    assert.equal(scheme.in, where);
    assert.equal(scheme.paramName, param);
  }
  const oauth = s['oauth'];
  assert.ok(oauth?.type === 'oauth2');
  assert.equal(oauth.description, 'OAuth');
  assert.deepEqual(Object.keys(oauth.flows), ['clientCredentials', 'authorizationCode']);
  assert.equal(oauth.flows.authorizationCode?.refreshUrl, 'https://auth.example.com/refresh');
  assert.deepEqual(oauth.flows.authorizationCode?.scopes, {
    'pets:read': 'read pets',
    'pets:write': 'write pets',
  });
  const oidc = s['oidc'];
  assert.ok(oidc?.type === 'openIdConnect');
  assert.match(oidc.openIdConnectUrl, /openid-configuration$/);
});

test('operation security: inherited, own, explicit public and anonymous alternative', () => {
  const inherited = op(model, 'GET /pets/{petId}').security;
  assert.equal(inherited.fromOperation, false);
  assert.equal(inherited.declared, model.security);
  assert.equal(inherited.declared?.[0]?.schemes[0]?.scheme, model.securitySchemes['bearerAuth']);

  const own = op(model, 'PUT /pets/{petId}').security;
  assert.equal(own.fromOperation, true);
  assert.deepEqual(
    own.declared?.map((r) => r.schemes.map((x) => [x.scheme.name, [...x.scopes]])),
    [
      [
        ['oauth', ['pets:write', 'pets:read']],
        ['apiKeyHeader', []],
      ],
      [['basicAuth', []]],
    ],
  );

  const publicOp = op(model, 'GET /public/status').security;
  assert.deepEqual(publicOp, { declared: [], fromOperation: true });

  const anon = op(model, 'GET /anon').security.declared;
  assert.equal(anon?.length, 2);
  assert.equal(anon?.[0]?.schemes.length, 0, '{} is an alternative with no scheme');
});

test('extensions of the operation are merged over those of its path item', () => {
  assert.deepEqual(op(model, 'GET /pets/{petId}').extensions, {
    'x-bulwark-path': 'p',
    'x-bulwark-rate': 10,
  });
  assert.deepEqual(op(model, 'PUT /pets/{petId}').extensions, { 'x-bulwark-path': 'p' });
});

test('named schemas, recursion as object cycles, and literal "$ref"s in examples kept as data', () => {
  const pet = model.schemas['Pet'] as SchemaObject;
  const owner = model.schemas['Owner'] as SchemaObject;
  const props = pet['properties'] as Record<string, SchemaObject>;
  assert.equal(props['owner'], owner);
  assert.equal((props['children'] as { items: unknown }).items, pet);
  assert.equal(
    ((owner['properties'] as Record<string, SchemaObject>)['pets'] as { items: unknown }).items,
    pet,
  );
  assert.deepEqual(pet['example'], { $ref: 'this is data, not a reference' });
  assert.equal(model.schemas['Alias'], owner, 'a component that is a $ref is its target');
  assert.equal(model.schemaName(pet), 'Pet');
  assert.equal(model.schemaName(owner), 'Owner');
  assert.equal(model.schemaName(props['id'] as object), undefined);
});

test('JSON pointer escaping (~0, ~1) and percent-encoding in $refs', () => {
  const weird = op(model, 'GET /a~b/{x}');
  assert.equal(weird.parameters[0]?.schema, model.schemas['Weird/Name']);
  assert.equal(weird.responses[0]?.content[0]?.schema, model.schemas['With Space']);
});

test('the model is deeply frozen, schemas included', () => {
  assert.ok(Object.isFrozen(model));
  assert.ok(Object.isFrozen(model.operations));
  assert.ok(Object.isFrozen(op(model, 'GET /pets/{petId}').parameters[0]));
  const pet = model.schemas['Pet'] as Record<string, unknown>;
  assert.ok(Object.isFrozen(pet));
  assert.ok(Object.isFrozen(pet['properties']));
  assert.throws(() => {
    (pet as { type: string }).type = 'string';
  }, TypeError);
});

test('an empty servers list on an operation overrides nothing', async () => {
  const { parseSpecText } = await import('../../../src/core/openapi/load.js');
  const m = parseSpecText(
    'openapi: 3.0.0\ninfo: {title: t, version: "1"}\nservers: [{url: /root}]\npaths:\n  /a:\n    get:\n      servers: []\n      responses: {}\n',
  );
  assert.deepEqual(
    m.operations[0]?.servers.map((s) => s.url),
    ['/root'],
  );
});
