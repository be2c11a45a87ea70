// Request smuggling and path confusion, sent as raw bytes so no client library "fixes" them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testModel } from '../fixtures.js';
import { rawRequest, startHarness } from '../helpers.js';

const crlf = (lines: string[], body = ''): string => `${lines.join('\r\n')}\r\n\r\n${body}`;

test('CL.TE: Content-Length together with Transfer-Encoding is refused before the upstream', async (t) => {
  const h = await startHarness(t, testModel());
  const res = await rawRequest(
    h.url,
    crlf(
      [
        'PUT /users/1 HTTP/1.1',
        'Host: x',
        'Content-Type: application/json',
        'Content-Length: 6',
        'Transfer-Encoding: chunked',
      ],
      '0\r\n\r\nG',
    ),
  );
  assert.equal(res.status, 400);
  assert.equal(h.upstream.seen.length, 0);
});

test('TE.CL with an obfuscated Transfer-Encoding is refused', async (t) => {
  const h = await startHarness(t, testModel());
  for (const te of [
    'chunked, identity',
    'xchunked',
    'chunked\t,x',
    'identity',
    ' chunked',
    'CHUNKED, chunked',
  ]) {
    const res = await rawRequest(
      h.url,
      crlf(
        [
          'PUT /users/1 HTTP/1.1',
          'Host: x',
          'Content-Type: application/json',
          `Transfer-Encoding: ${te}`,
          'Content-Length: 4',
        ],
        '5c\r\nGPOST / HTTP/1.1\r\n\r\n0\r\n\r\n',
      ),
    );
    assert.ok([400, 501].includes(res.status), `${te}: ${res.status}`);
  }
  assert.equal(h.upstream.seen.length, 0);
});

test('an unknown transfer coding alone is refused (501 or 400), never forwarded', async (t) => {
  const h = await startHarness(t, testModel());
  for (const te of ['gzip', 'xchunked', 'chunked, gzip']) {
    const res = await rawRequest(
      h.url,
      crlf(['PUT /users/1 HTTP/1.1', 'Host: x', `Transfer-Encoding: ${te}`], '0\r\n\r\n'),
    );
    assert.ok([400, 501].includes(res.status), `${te}: ${res.status}`);
  }
  assert.equal(h.upstream.seen.length, 0);
});

test('duplicate Content-Length (equal or different) and duplicate Host are refused', async (t) => {
  const h = await startHarness(t, testModel());
  for (const lines of [
    ['Content-Length: 2', 'Content-Length: 2'],
    ['Content-Length: 2', 'Content-Length: 3'],
    ['Content-Length: 2, 2'],
    ['Content-Length: +2'],
  ]) {
    const res = await rawRequest(
      h.url,
      crlf(['PUT /users/1 HTTP/1.1', 'Host: x', 'Content-Type: application/json', ...lines], '{}'),
    );
    assert.equal(res.status, 400, lines.join('|'));
  }
  const host = await rawRequest(h.url, crlf(['GET /users/1 HTTP/1.1', 'Host: a', 'Host: b']));
  assert.equal(host.status, 400);
  assert.equal(h.upstream.seen.length, 0);
});

test('path confusion vectors are refused with problem+json and never reach the upstream', async (t) => {
  const h = await startHarness(t, testModel());
  const vectors = [
    '/users/..%2f..%2fadmin',
    '/old/..%2fgone',
    '/users%2f1',
    '/users\\1',
    '/users/1;jsessionid=x',
    '/users/..;/users/1',
    '/users/%2e%2e/%2e%2e/etc/passwd',
    '/users/%252e%252e/1',
    '/users/%c0%af',
    '/users/%00',
    '/users/1%00.json',
  ];
  for (const v of vectors) {
    const res = await rawRequest(h.url, crlf([`GET ${v} HTTP/1.1`, 'Host: x']));
    assert.ok(res.status === 400 || res.status === 404, `${v}: ${res.status}`);
    assert.match(res.head, /application\/problem\+json/i, v);
  }
  assert.equal(h.upstream.seen.length, 0);
});

test('the upstream receives exactly the normalised path that was checked', async (t) => {
  const h = await startHarness(t, testModel());
  const res = await rawRequest(h.url, crlf(['GET /old/../users/./%31 HTTP/1.1', 'Host: x']));
  assert.equal(res.status, 200);
  assert.equal(h.upstream.seen[0]?.url, '/users/1');
  const q = await rawRequest(h.url, crlf(['GET /old/%2E%2E/users?limit=5 HTTP/1.1', 'Host: x']));
  assert.equal(q.status, 200);
  assert.equal(h.upstream.seen[1]?.url, '/users?limit=5');
  const dot = await rawRequest(h.url, crlf(['GET /users//./7 HTTP/1.1', 'Host: x']));
  assert.equal(dot.status, 200);
  assert.equal(h.upstream.seen[2]?.url, '/users/7');
});

test('absolute-form and asterisk-form targets are refused', async (t) => {
  const h = await startHarness(t, testModel());
  const abs = await rawRequest(h.url, crlf(['GET http://internal/users/1 HTTP/1.1', 'Host: x']));
  assert.equal(abs.status, 400);
  const star = await rawRequest(h.url, crlf(['OPTIONS * HTTP/1.1', 'Host: x']));
  assert.equal(star.status, 400);
  assert.equal(h.upstream.seen.length, 0);
});

test('URL length, header size and query parameter count are capped without revealing the caps', async (t) => {
  const h = await startHarness(t, testModel(), {
    limits: { urlLength: 200, headerBytes: 2048, queryParams: 3 },
  });
  const long = await fetch(`${h.url}/users?${'a'.repeat(300)}`);
  assert.equal(long.status, 414);
  const text = await long.text();
  assert.doesNotMatch(text, /200/);
  const big = await rawRequest(
    h.url,
    crlf(['GET /users HTTP/1.1', 'Host: x', `X-Big: ${'b'.repeat(4096)}`]),
  );
  assert.equal(big.status, 431);
  const many = await fetch(`${h.url}/users?limit=1&tags=a&tags=b&tags=c`);
  assert.equal(many.status, 400);
  assert.equal(((await many.json()) as { code: string }).code, 'BULWARK_DENY_QUERY_TOO_MANY');
  assert.equal(h.upstream.seen.length, 0);
});

test('after a refused smuggling attempt the gateway keeps serving', async (t) => {
  const h = await startHarness(t, testModel());
  await rawRequest(
    h.url,
    crlf(
      ['POST /users HTTP/1.1', 'Host: x', 'Content-Length: 5', 'Transfer-Encoding: chunked'],
      '0\r\n\r\n',
    ),
  );
  const ok = await fetch(`${h.url}/users/3`);
  assert.equal(ok.status, 200);
});
