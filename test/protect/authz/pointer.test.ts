// RFC 6901 pointers from the config are parsed once and read own properties only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePointer, pointerAt, pointerGet } from '../../../src/protect/authz/pointer.js';

test('segments are unescaped once: ~1 is /, ~0 is ~, in that order (RFC 6901 §4)', () => {
  assert.deepEqual(parsePointer(''), []);
  assert.deepEqual(parsePointer('/owner_id'), ['owner_id']);
  assert.deepEqual(parsePointer('/a~1b/c~0d/~01'), ['a/b', 'c~d', '~1']);
  assert.deepEqual(parsePointer('/items/0/'), ['items', '0', '']);
});

test('reads follow own properties only, and a missing step is undefined', () => {
  const doc = { 'a/b': { 'c~d': 7 }, items: [{ owner_id: 'u1' }], '': 'empty' };
  assert.equal(pointerAt(doc, parsePointer('/a~1b/c~0d')), 7);
  assert.equal(pointerGet(doc, '/items/0/owner_id'), 'u1');
  assert.equal(pointerGet(doc, '/'), 'empty');
  assert.equal(pointerGet(doc, ''), doc);
  assert.equal(pointerGet(doc, '/items/1/owner_id'), undefined);
  assert.equal(pointerGet(doc, '/constructor'), undefined, 'inherited names are not facts');
  assert.equal(pointerGet(null, '/x'), undefined);
});
