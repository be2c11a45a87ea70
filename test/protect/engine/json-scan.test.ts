import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanJson } from '../../../src/protect/engine/json-scan.js';

const scan = (text: string, depth = 32, keys = 1000) => scanJson(Buffer.from(text), depth, keys);

test('ordinary documents pass', () => {
  assert.equal(scan('{"a":1,"b":[1,2,{"c":"x:y{["}],"d":{"e":null}}'), undefined);
  assert.equal(scan('[]'), undefined);
  assert.equal(scan('"just a string with { and :"'), undefined);
});

test('depth over the cap is refused, at the cap passes', () => {
  assert.equal(scan('[[[[1]]]]', 4), undefined);
  assert.equal(scan('[[[[[1]]]]]', 4), 'depth');
  assert.equal(scan('['.repeat(100_000) + ']'.repeat(100_000)), 'depth');
});

test('key count over the cap is refused', () => {
  const obj = JSON.stringify(
    Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i])),
  );
  assert.equal(scan(obj, 32, 50), undefined);
  assert.equal(scan(obj, 32, 49), 'keys');
});

test('__proto__ keys are refused, also escaped, and as values they are fine', () => {
  assert.equal(scan('{"__proto__":{"admin":true}}'), 'pollution');
  assert.equal(scan('{"a":{"__proto__":{}}}'), 'pollution');
  assert.equal(scan('{"\\u005f_proto__":{"admin":true}}'), 'pollution');
  assert.equal(scan('{"a":"__proto__"}'), undefined);
});

test('constructor.prototype is refused, a lone constructor key is not', () => {
  assert.equal(scan('{"constructor":{"prototype":{"isAdmin":true}}}'), 'pollution');
  assert.equal(scan('{"constructor":"x","prototype":1}'), undefined);
});

test('duplicate keys are refused (parsers disagree on which one wins)', () => {
  assert.equal(scan('{"role":"user","role":"admin"}'), 'duplicate');
  assert.equal(scan('{"role":"user","r\\u006fle":"admin"}'), 'duplicate');
  assert.equal(scan('{"a":{"x":1},"b":{"x":1}}'), undefined);
  const many = `{${Array.from({ length: 40 }, (_, i) => `"k${i}":1`).join(',')},"k3":2}`;
  assert.equal(scan(many), 'duplicate');
});
