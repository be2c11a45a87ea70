// The secure variant keeps the contract in examples/lab/openapi.yaml: every answer's status is
// documented for its operation and its body validates against the documented schema.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import Database from 'better-sqlite3';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { startLab } from '../../src/lab/index.js';
import { SPEC_FILE } from '../../src/lab/spec.js';
import { runCli } from '../helpers/cli.js';
import { GENEROUS, hostileFor, LabClient, labFor, type Reply } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const spec = parse(readFileSync(SPEC_FILE, 'utf8')) as Json;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
ajv.addSchema({ $id: 'lab', components: spec['components'] });

function deref(node: Json): Json {
  const ref = node['$ref'] as string | undefined;
  if (!ref) return node;
  return ref
    .slice(2)
    .split('/')
    .reduce((at: Json, key) => at[key], spec) as Json;
}

/** Asserts that `reply` is a documented answer of `method template`, schema included. */
function conforms(method: string, template: string, reply: Reply): void {
  const operation = spec['paths'][template]?.[method.toLowerCase()];
  assert.ok(operation, `${method} ${template} is documented`);
  const response = operation.responses[String(reply.status)];
  assert.ok(
    response,
    `${method} ${template}: status ${reply.status} is documented (${reply.text.slice(0, 120)})`,
  );
  const content = deref(response)['content'] as Json | undefined;
  if (!content) {
    assert.equal(reply.text, '', `${method} ${template} ${reply.status} has no body`);
    return;
  }
  const [mediaType, media] = Object.entries(content)[0] as [string, Json];
  assert.ok(String(reply.headers['content-type']).startsWith(mediaType), `${template} media type`);
  const schema = JSON.parse(
    JSON.stringify(media['schema']).replaceAll('"#/components', '"lab#/components'),
  );
  const validate = ajv.compile(schema);
  assert.ok(
    validate(reply.json),
    `${method} ${template} ${reply.status}: ${ajv.errorsText(validate.errors)}`,
  );
}

test('secure: every answer of a full session is documented and matches its schema', async (t) => {
  const classifier = await hostileFor(t, (_req, res) =>
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end('{"label":"public","score":0.1}'),
  );
  const lab = await labFor(t, {
    variant: 'secure',
    classifierUrl: classifier.url,
    limits: GENEROUS,
  });
  const call = async (method: string, template: string, path: string, options = {}) => {
    const reply = await lab.request(method, path, options);
    conforms(method, template, reply);
    return reply;
  };
  const login = await call('POST', '/api/v2/auth/login', '/api/v2/auth/login', {
    body: { email: 'alice@lab.test', password: 'alice-password-1' },
  });
  const token = login.json.access_token as string;
  await call('POST', '/api/v2/auth/login', '/api/v2/auth/login', {
    body: { email: 'alice@lab.test', password: 'nope' },
  });
  await call('POST', '/api/v2/users', '/api/v2/users', {
    body: { email: 'carol@lab.test', password: 'carol-password-1', name: 'Carol' },
  });
  await call('POST', '/api/v2/users', '/api/v2/users', {
    body: { email: 'carol@lab.test', password: 'carol-password-1', name: 'Carol' },
  });
  await call('GET', '/api/v2/users/me', '/api/v2/users/me', { token });
  await call('GET', '/api/v2/users/me', '/api/v2/users/me');
  await call('PATCH', '/api/v2/users/me', '/api/v2/users/me', { token, body: { name: 'Al' } });
  await call('PATCH', '/api/v2/users/me', '/api/v2/users/me', { token, body: { nick: 'Al' } });
  const page = await call('GET', '/api/v2/documents', '/api/v2/documents?limit=2', { token });
  await call('GET', '/api/v2/documents', '/api/v2/documents?limit=500', { token });
  const created = await call('POST', '/api/v2/documents', '/api/v2/documents', {
    token,
    body: { title: 'T', content: 'C' },
  });
  assert.equal(created.headers['location'], `/api/v2/documents/${created.json.id}`);
  const doc = `/api/v2/documents/${created.json.id}`;
  const one = '/api/v2/documents/{documentId}';
  await call('GET', one, doc, { token });
  await call('PUT', one, doc, { token, body: { title: 'T2', content: 'C2' } });
  await call('POST', `${one}/classify`, `${doc}/classify`, { token });
  await call('DELETE', one, doc, { token });
  await call('GET', one, doc, { token });
  await call('POST', '/api/v2/documents/import', '/api/v2/documents/import', {
    token,
    body: { url: 'http://127.0.0.1/' },
  });
  await call('POST', '/api/v2/documents', '/api/v2/documents', {
    token,
    raw: 'x',
    headers: { 'content-type': 'text/plain' },
  });
  await call('POST', '/api/v2/invitations', '/api/v2/invitations', {
    token,
    body: { email: 'friend@example.test' },
  });
  await call('GET', '/api/v2/invitations', '/api/v2/invitations', { token });
  await call('GET', '/api/v2/admin/users', '/api/v2/admin/users', { token });
  const admin = await lab.admin();
  const users = await call('GET', '/api/v2/admin/users', '/api/v2/admin/users', { token: admin });
  const carol = users.json.find((u: Json) => u['email'] === 'carol@lab.test');
  const del = '/api/v2/admin/users/{userId}';
  await call('DELETE', del, `/api/v2/admin/users/${carol.id}`, { token: admin });
  await call('DELETE', del, `/api/v2/admin/users/${carol.id}`, { token: admin });
  assert.equal(page.json.items.length, 2);
});

test('secure: pagination walks every own document once, with opaque cursors', async (t) => {
  const lab = await labFor(t, { variant: 'secure', limits: GENEROUS });
  const alice = await lab.alice();
  for (let i = 0; i < 4; i++) {
    await lab.request('POST', '/api/v2/documents', {
      token: alice,
      body: { title: `n${i}`, content: '' },
    });
  }
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 10; pages++) {
    const q: string = cursor ? `&cursor=${cursor}` : '';
    const reply = await lab.request('GET', `/api/v2/documents?limit=3${q}`, { token: alice });
    assert.equal(reply.status, 200);
    seen.push(...reply.json.items.map((d: Json) => d['id']));
    cursor = reply.json.next_cursor;
    if (cursor === null) break;
  }
  assert.equal(seen.length, 7);
  assert.equal(new Set(seen).size, 7);
  const bad = await lab.request('GET', '/api/v2/documents?cursor=not-a-cursor', { token: alice });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.code, 'invalid_cursor');
});

test('both variants: seed accounts, /openapi.json and startLab cleanup', async (t) => {
  for (const variant of ['vulnerable', 'secure'] as const) {
    const lab = await startLab({ variant, limits: GENEROUS });
    t.after(() => lab.close());
    assert.match(lab.url, /^http:\/\/127\.0\.0\.1:[0-9]+$/);
    const openapi = await fetch(`${lab.url}/openapi.json`);
    assert.equal(openapi.status, 200);
    assert.deepEqual(await openapi.json(), spec);
    const client = new LabClient(lab);
    const admin = await client.admin();
    const me = await client.request('GET', '/api/v2/users/me', { token: admin });
    assert.equal(me.json.role, 'admin', variant);
    assert.equal((await client.documents(await client.alice())).length, 3, variant);
    assert.equal((await client.documents(await client.bob())).length, 3, variant);
    assert.ok(existsSync(lab.dbFile), 'a real SQLite file');
    await lab.close();
    await lab.close(); // idempotent
    assert.equal(existsSync(lab.dbFile), false, 'the temporary database is deleted');
  }
});

test('--db: a lab database is reused and reseeded; foreign, missing and non-SQLite files are refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-db-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'lab.sqlite');
  const first = await labFor(t, { variant: 'vulnerable', dbFile: file });
  await first.request('POST', '/api/v2/documents', {
    token: await first.alice(),
    body: { title: 'x', content: 'y' },
  });
  await first.lab.close();
  assert.ok(existsSync(file), 'a given --db file is kept');
  const second = await labFor(t, { variant: 'vulnerable', dbFile: file });
  assert.equal((await second.documents(await second.alice())).length, 3, 'reseeded');
  await second.lab.close();
  const foreign = join(dir, 'foreign.sqlite');
  const db = new Database(foreign);
  db.exec('CREATE TABLE precious (x)');
  db.close();
  await assert.rejects(startLab({ variant: 'secure', dbFile: foreign }), {
    code: 'BULWARK_ERR_LAB_DB',
  });
  await assert.rejects(startLab({ variant: 'secure', dbFile: join(dir, 'no', 'such', 'dir.db') }), {
    code: 'BULWARK_ERR_LAB_DB',
  });
  const text = join(dir, 'notes.txt');
  writeFileSync(
    text,
    'not a database, just some text that is long enough to have a header'.repeat(20),
  );
  await assert.rejects(startLab({ variant: 'secure', dbFile: text }), {
    code: 'BULWARK_ERR_LAB_DB',
  });
  assert.match(readFileSync(text, 'utf8'), /^not a database/, 'the text file is untouched');
  const check = new Database(foreign, { readonly: true });
  assert.ok(check.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'precious'").get());
  check.close();
});

test("Bulwark's own audit finds nothing at medium or above in the secure contract", async () => {
  const { code, stdout, stderr } = await runCli([
    'audit',
    'examples/lab/openapi.yaml',
    '--fail-on',
    'medium',
    '--format',
    'json',
  ]);
  assert.equal(code, 0, `${stderr}${stdout.slice(0, 2000)}`);
});
