// Bad input never crashes either variant nor corrupts data: malformed JSON, huge numbers, deep
// nesting, prototype-pollution keys and Unicode edge cases, at every body-taking route and in paths.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { GENEROUS, labFor, type LabClient } from './helpers.js';

const DEEP = '['.repeat(100_000) + ']'.repeat(100_000);
const DEEP_OBJECT = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000);

const BODIES: ReadonlyArray<string | Buffer> = [
  '',
  '{',
  '{"title": }',
  'nul',
  '"just a string"',
  'null',
  '[]',
  '123',
  '\u0000',
  Buffer.from([0xff, 0xfe, 0xfd]),
  DEEP,
  DEEP_OBJECT,
  `{"title": ${DEEP}, "content": "x"}`,
  '{"title": 1e400, "content": -0}',
  '{"title": 123456789012345678901234567890, "content": 1e-400}',
  '{"limit": 99999999999999999999999}',
  '{"title": "\\ud800", "content": "\\udfff"}',
  '{"title": "a\\u0000b", "content": "nul\\u0000inside"}',
  '{"title": "a", "title": "b", "content": "dup"}',
  '{"__proto__": {"role": "admin"}, "name": "proto", "constructor": {"prototype": {"role": "admin"}}}',
  `{"title": "${'x'.repeat(300_000)}", "content": "long"}`,
  '{"email": "alice@lab.test", "password": {"$ne": null}}',
  '{"email": ["alice@lab.test"], "password": ["x"]}',
  '{"url": "http://127.0.0.1:1/\\u0000"}',
];

const PATHS = [
  '/api/v2/documents',
  '/api/v2/users/me',
  '/api/v2/auth/login',
  '/api/v2/users',
  '/api/v2/invitations',
  '/api/v2/documents/import',
];

const METHOD: Readonly<Record<string, string>> = { '/api/v2/users/me': 'PATCH' };

const WEIRD_PATHS = [
  '/api/v2/documents/%ED%A0%80',
  '/api/v2/documents/%00',
  '/api/v2/documents/%FF',
  '/api/v2/documents/%',
  '/api/v2/documents/..%2f..%2fadmin%2fusers',
  '/api/v2/documents/%2e%2e',
  `/api/v2/documents/${'9'.repeat(400)}`,
  '/api/v2/documents/1e400',
  '/api/v2/documents?limit=1e400&cursor=%00',
  '/api/v2/documents?limit=-0&cursor=ZDE',
  `/api/v2/documents?cursor=${'A'.repeat(5000)}`,
  '/api/v2/documents/\u202eevil',
];

interface Snapshot {
  readonly users: unknown[];
  readonly bobDocs: unknown[];
}

/** The seeded accounts and Bob's documents, as stored (new rows created by the input are fine). */
function snapshot(dbFile: string): Snapshot {
  const db = new Database(dbFile, { readonly: true });
  try {
    return {
      users: db
        .prepare(
          "SELECT id, email, role, password_hash FROM users WHERE email LIKE '%@lab.test' ORDER BY id",
        )
        .all(),
      bobDocs: db
        .prepare(
          "SELECT d.* FROM documents d JOIN users u ON u.id = d.owner_id WHERE u.email = 'bob@lab.test' ORDER BY d.seq",
        )
        .all(),
    };
  } finally {
    db.close();
  }
}

async function hammer(lab: LabClient, token: string): Promise<number[]> {
  const statuses: number[] = [];
  for (const path of PATHS) {
    for (const raw of BODIES) {
      const reply = await lab.request(METHOD[path] ?? 'POST', path, { token, raw });
      statuses.push(reply.status);
    }
  }
  for (const path of WEIRD_PATHS) {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const reply = await lab.request(method, path, { token, raw: '{"title":"t","content":"c"}' });
      statuses.push(reply.status);
    }
  }
  return statuses;
}

for (const variant of ['vulnerable', 'secure'] as const) {
  test(`${variant}: malformed, huge, deep and odd-Unicode input leaves the lab up and the data intact`, async (t) => {
    const lab = await labFor(t, {
      variant,
      limits: { ...GENEROUS, loginPerAccount: 1000, loginPerAddress: 1000 },
    });
    const alice = await lab.alice();
    const before = snapshot(lab.lab.dbFile);
    const statuses = await hammer(lab, alice);
    assert.ok(
      statuses.every((s) => s >= 200 && s < 600),
      'every request got an answer',
    );
    if (variant === 'secure') {
      assert.deepEqual(
        statuses.filter((s) => s >= 500),
        [],
        'the secure variant never answers 5xx to bad input',
      );
    }
    // Still up, still the same people with the same roles and passwords, Bob's data untouched.
    const me = await lab.request('GET', '/api/v2/users/me', { token: alice });
    assert.equal(me.status, 200);
    assert.equal(me.json.role, 'user', 'no prototype pollution or mass assignment of role');
    assert.deepEqual(snapshot(lab.lab.dbFile), before);
    assert.equal((Object.prototype as Record<string, unknown>)['role'], undefined);
    await lab.bob();
  });
}

test('secure: valid Unicode is stored and returned byte for byte', async (t) => {
  const lab = await labFor(t, { variant: 'secure', limits: GENEROUS });
  const alice = await lab.alice();
  const samples = [
    { title: 'مرحبا بالعالم', content: 'right-to-left\u200f text \u202ereversed\u202c' },
    { title: '👩‍👩‍👧 family 🇺🇦', content: 'e\u0301 combining, ß, İ, \ufeffBOM' },
    { title: 'x'.repeat(200), content: 'line\nbreaks\r\nand\ttabs ' + 'y'.repeat(99_000) },
  ];
  for (const body of samples) {
    const created = await lab.request('POST', '/api/v2/documents', { token: alice, body });
    assert.equal(created.status, 201);
    const read = await lab.request('GET', `/api/v2/documents/${created.json.id}`, { token: alice });
    assert.equal(read.json.title, body.title);
    assert.equal(read.json.content, body.content);
  }
  const refused = [
    { title: 'x'.repeat(201), content: '' },
    { title: '\ud800', content: '' },
    { title: 'ok', content: '\udfff' },
    { title: 'a\u0000b', content: '' },
    { title: '', content: '' },
    { title: 'ok', content: 'bell\u0007' },
  ];
  for (const body of refused) {
    const reply = await lab.request('POST', '/api/v2/documents', { token: alice, body });
    assert.equal(reply.status, 400, JSON.stringify(body).slice(0, 40));
    assert.equal(reply.json.code, 'invalid_body');
  }
  assert.equal((await lab.documents(alice)).length, 6);
});
