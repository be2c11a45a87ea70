import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadSpec, parseSpecText } from '../../../src/core/openapi/load.js';
import { FIXTURES, op } from './helpers.js';

const TEXT = readFileSync(`${FIXTURES}oas30-full.yaml`, 'utf8').split('\n');

/** 1-based line of the first line matching `pattern` after line `after`. */
function lineOf(pattern: RegExp, after = 0): number {
  const index = TEXT.findIndex((l, i) => i >= after && pattern.test(l));
  assert.ok(index >= 0, String(pattern));
  return index + 1;
}

test('operations, parameters, responses and schemas are located at their key', async () => {
  const model = await loadSpec(`${FIXTURES}oas30-full.yaml`);
  const get = op(model, 'GET /pets/{petId}');
  const pathLine = lineOf(/^ {2}\/pets\/\{petId\}:/);
  assert.deepEqual(model.locate(get), {
    file: 'test/fixtures/specs/oas30-full.yaml',
    line: lineOf(/^ {4}get:/, pathLine),
    column: 5,
    pointer: '/paths/~1pets~1{petId}/get',
  });
  assert.deepEqual(get.location, model.locate(get));
  // A referenced parameter is located where it is defined, not where it is used.
  const petId = get.parameters[0];
  assert.ok(petId);
  assert.equal(model.locate(petId)?.pointer, '/components/parameters/PetId');
  assert.equal(model.locate(petId)?.line, lineOf(/^ {4}PetId:/));
  const pet = model.schemas['Pet'] as object;
  assert.equal(model.locate(pet)?.line, lineOf(/^ {4}Pet:/));
  assert.equal(model.locate(pet)?.pointer, '/components/schemas/Pet');
  const ok = get.responses[0];
  assert.ok(ok);
  assert.equal(model.locate(ok)?.pointer, '/paths/~1pets~1{petId}/get/responses/200');
  assert.equal(
    model.locate(ok.content[0] as object)?.pointer,
    '/paths/~1pets~1{petId}/get/responses/200/content/application~1json',
  );
  assert.equal(
    model.locate(model.securitySchemes['oauth'] as object)?.pointer,
    '/components/securitySchemes/oauth',
  );
  assert.equal(model.locate(op(model, 'GET /a~b/{x}'))?.pointer, '/paths/~1a~0b~1{x}/get');
});

test('every model object has a real location (never 0:0)', async () => {
  const model = await loadSpec(`${FIXTURES}swagger20-full.yaml`);
  const located: { location: { line: number; column: number } }[] = [
    ...model.servers,
    ...Object.values(model.securitySchemes),
  ];
  for (const o of model.operations) {
    located.push(o, ...o.parameters, ...o.responses, ...o.servers);
    for (const r of o.responses) located.push(...r.content, ...r.headers);
    if (o.requestBody) located.push(o.requestBody, ...o.requestBody.content);
  }
  for (const item of located) {
    assert.ok(item.location.line >= 1 && item.location.column >= 1, JSON.stringify(item.location));
    assert.ok(model.locate(item as object));
  }
});

test('locatePointer: what is written at a pointer, scalars included', async () => {
  const model = await loadSpec(`${FIXTURES}oas30-full.yaml`);
  const title = model.locatePointer('/info/title');
  assert.deepEqual(title, {
    file: 'test/fixtures/specs/oas30-full.yaml',
    line: lineOf(/^ {2}title:/),
    column: 3,
    pointer: '/info/title',
  });
  // Through a $ref site: the location of the reference, not of its target.
  const at = model.locatePointer(
    '/paths/~1pets~1{petId}/get/responses/200/content/application~1json/schema',
  );
  const pathLine = lineOf(/^ {2}\/pets\/\{petId\}:/);
  assert.equal(
    at?.line,
    lineOf(/^ {14}schema: \{ \$ref: '#\/components\/schemas\/Pet' \}/, pathLine),
  );
  assert.equal(
    model.locatePointer('/paths/~1pets~1{petId}/get/tags/1')?.line,
    lineOf(/tags: \[pets, read\]/),
  );
  assert.equal(model.locatePointer('')?.line, lineOf(/^openapi:/));
  assert.equal(model.locatePointer('/nope'), undefined);
  assert.equal(model.locatePointer('/paths/~1pets~1{petId}/get/tags/9'), undefined);
  assert.equal(model.locatePointer('no-slash'), undefined);
});

test('locatePointer in another file of a split description', async () => {
  const model = await loadSpec(`${FIXTURES}split/root.yaml`);
  const file = model.files.find((f) => f.endsWith('pet.yaml'));
  assert.ok(file);
  assert.deepEqual(model.locatePointer('/properties/name/type', file), {
    file,
    line: 4,
    column: 5,
    pointer: '/properties/name/type',
  });
  assert.equal(model.locatePointer('/properties', 'nope.yaml'), undefined);
});

test('JSON documents are located as precisely as YAML', () => {
  const text =
    '{\n  "openapi": "3.0.0",\n  "info": {"title": "t", "version": "1"},\n  "paths": {\n    "/a": {\n      "get": {"responses": {"200": {"description": "ok"}}}\n    }\n  }\n}\n';
  const model = parseSpecText(text, 'a.json');
  assert.deepEqual(model.locate(op(model, 'GET /a')), {
    file: 'a.json',
    line: 6,
    column: 7,
    pointer: '/paths/~1a/get',
  });
  assert.deepEqual(model.locatePointer('/info/version'), {
    file: 'a.json',
    line: 3,
    column: 26,
    pointer: '/info/version',
  });
});
