import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Router, type CompiledOperation } from '../../../src/protect/engine/router.js';

function op(method: string, template: string): CompiledOperation {
  return {
    index: 0,
    method,
    template,
    key: `${method} ${template}`,
  } as unknown as CompiledOperation;
}

function router(): Router {
  const r = new Router();
  r.add('/users/{id}', [op('GET', '/users/{id}'), op('DELETE', '/users/{id}')]);
  r.add('/users/me', [op('GET', '/users/me')]);
  r.add('/users/{id}/docs/{docId}', [op('GET', '/users/{id}/docs/{docId}')]);
  r.add('/files/{name}.json', [op('GET', '/files/{name}.json')]);
  r.add('/files/{name}', [op('GET', '/files/{name}')]);
  r.add('/a/b/c', [op('POST', '/a/b/c')]);
  r.add('/a/{x}/d', [op('POST', '/a/{x}/d')]);
  return r;
}

test('static segments win over parameters, whatever the order of the spec', () => {
  const params: string[] = [];
  assert.equal(router().match('/users/me', params)?.template, '/users/me');
  assert.deepEqual(params, []);
});

test('parameters are captured in template order and percent-decoded once', () => {
  const params: string[] = [];
  assert.equal(
    router().match('/users/42/docs/a%20b', params)?.template,
    '/users/{id}/docs/{docId}',
  );
  assert.deepEqual(params, ['42', 'a b']);
});

test('mixed segments win over whole-segment parameters', () => {
  const p1: string[] = [];
  assert.equal(router().match('/files/report.json', p1)?.template, '/files/{name}.json');
  assert.deepEqual(p1, ['report']);
  const p2: string[] = [];
  assert.equal(router().match('/files/report.csv', p2)?.template, '/files/{name}');
  assert.deepEqual(p2, ['report.csv']);
});

test('backtracking: a static prefix that dead-ends falls back to the parameter branch', () => {
  const params: string[] = [];
  assert.equal(router().match('/a/b/d', params)?.template, '/a/{x}/d');
  assert.deepEqual(params, ['b']);
});

test('unknown paths, extra segments, trailing slashes and empty parameters do not match', () => {
  const r = router();
  for (const p of [
    '/nope',
    '/users',
    '/users/',
    '/users/1/docs',
    '/users/1/docs/2/x',
    '/users//docs/1',
  ]) {
    assert.equal(r.match(p, []), undefined, p);
  }
});

test('Allow lists the documented methods and adds HEAD for GET', () => {
  const entry = router().match('/users/1', []);
  assert.equal(entry?.allow, 'GET, DELETE, HEAD');
});
