import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalisePath } from '../../../src/protect/engine/normalise.js';

const ok = (raw: string, expected: string): void => {
  const r = normalisePath(raw);
  assert.deepEqual(r, { ok: true, path: expected }, raw);
};
const refused = (raw: string): void => {
  const r = normalisePath(raw);
  assert.equal(r.ok, false, `${raw} should be refused, got ${JSON.stringify(r)}`);
};

test('plain paths pass untouched', () => {
  ok('/api/v2/documents', '/api/v2/documents');
  ok('/a/b/', '/a/b/');
  ok('/', '/');
});

test('dot segments, duplicate slashes and encoded dots are resolved (RFC 3986 §5.2.4)', () => {
  ok('/a/./b', '/a/b');
  ok('/a/x/../b', '/a/b');
  ok('/a//b', '/a/b');
  ok('//a', '/a');
  ok('/a/%2e%2e/b', '/b');
  ok('/a/.%2E/b', '/b');
  ok('/a/%2E/b', '/a/b');
  ok('/a/..', '/');
});

test('unreserved escapes are decoded and other escapes upper-cased', () => {
  ok('/a/%41%7e', '/a/A~');
  ok('/a/%20b', '/a/%20b');
  ok('/a/%e2%82%ac', '/a/%E2%82%AC');
});

test('encoded slash and backslash are refused: /public/..%2fadmin never reaches the upstream', () => {
  for (const p of [
    '/public/..%2fadmin',
    '/public/..%2Fadmin',
    '/a%2fb',
    '/a%5cb',
    '/public/..%5cadmin',
  ])
    refused(p);
});

test('raw backslashes, matrix parameters, NUL and control bytes are refused', () => {
  for (const p of [
    '/a\\b',
    '/public\\..\\admin',
    '/a;x=1',
    '/a/..;/admin',
    '/a%3bx',
    '/a/%00',
    '/a%00.json',
    '/a/%0d%0a',
    '/a/%7f',
    '/a b',
    '/a\tb',
  ])
    refused(p);
});

test('double encoding and malformed escapes are refused', () => {
  for (const p of ['/a/%252e%252e/admin', '/a/%25', '/a/%2', '/a/%zz', '/a/%2g']) refused(p);
});

test('overlong and invalid UTF-8 escapes are refused, valid UTF-8 passes', () => {
  for (const p of [
    '/a/%c0%af',
    '/a/%c0%ae%c0%ae/admin',
    '/a/%e0%80%af',
    '/a/%f0%80%80%af',
    '/a/%ff',
    '/a/%c3',
    '/a/%80',
  ])
    refused(p);
  ok('/caf%C3%A9', '/caf%C3%A9');
});

test('climbing above the root and non-origin forms are refused', () => {
  for (const p of [
    '/..',
    '/../etc/passwd',
    '/a/../../b',
    '/%2e%2e/admin',
    '',
    'a/b',
    'http://x/a',
    '*',
  ])
    refused(p);
});

test('raw non-ASCII bytes are refused', () => {
  refused('/caf\u00e9');
  refused('/a/\u00c0\u00af');
});
