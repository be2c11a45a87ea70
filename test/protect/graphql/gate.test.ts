// The GraphQL gate without HTTP: each bypass of graphql-armor from issue 10 and each limit, refused
// with a generic text; and normal documents pass with the right cost.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sha256, type Verdict } from '../../../src/protect/graphql/gate.js';
import { ANON, gateWith } from './fixtures.js';

function code(v: Verdict): string {
  return v.ok ? 'ok' : v.code;
}

test('a normal query passes with a cost from its list sizes', () => {
  const gate = gateWith();
  const v = gate.check('POST', { query: '{ me { id documents(first: 5) { id title } } }' }, ANON);
  assert.equal(code(v), 'ok');
  // me (1) + 5 documents (1 each) = 6
  assert.equal(v.ok && v.cost, 6);
});

test('cost reads variables: users(first: $n) is priced at the value of $n (armor bypass)', () => {
  const gate = gateWith();
  const query = 'query Q($n: Int) { users(first: $n) { id documents(first: $n) { id } } }';
  const small = gate.check('POST', { query, variables: { n: 3 } }, ANON);
  assert.equal(small.ok && small.cost, 3 + 9);
  const big = gate.check('POST', { query, variables: { n: 1000 } }, ANON);
  assert.equal(code(big), 'BULWARK_DENY_GRAPHQL_TOO_COMPLEX');
  assert.equal(!big.ok && big.reason, 'cost limit exceeded');
  // A variable default counts too.
  const dflt = gate.check(
    'POST',
    { query: 'query Q($n: Int = 100000) { users(first: $n) { id } }' },
    ANON,
  );
  assert.equal(code(dflt), 'BULWARK_DENY_GRAPHQL_TOO_COMPLEX');
});

test('cyclic fragments are refused before any walk (armor bypass)', () => {
  const gate = gateWith();
  const query =
    '{ me { ...A } } fragment A on User { documents { owner { ...B } } } fragment B on User { ...A }';
  const v = gate.check('POST', { query }, ANON);
  assert.equal(code(v), 'BULWARK_DENY_GRAPHQL_INVALID');
  assert.equal(!v.ok && v.reason, 'fragment cycle');
});

test('a batch shares one budget: limits are not multiplied by the batch length (armor bypass)', () => {
  const gate = gateWith();
  const aliases = Array.from({ length: 10 }, (_, i) => `a${i}: me { id }`).join(' ');
  assert.equal(code(gate.check('POST', [{ query: `{ ${aliases} }` }], ANON)), 'ok');
  const batch = Array.from({ length: 3 }, () => ({ query: `{ ${aliases} }` }));
  const v = gate.check('POST', batch, ANON);
  assert.equal(code(v), 'BULWARK_DENY_GRAPHQL_TOO_COMPLEX');
  assert.equal(!v.ok && v.reason, 'aliases limit exceeded');
  const long = Array.from({ length: 6 }, () => ({ query: '{ me { id } }' }));
  assert.equal(code(gate.check('POST', long, ANON)), 'BULWARK_DENY_GRAPHQL_BATCH');
});

test('refusals never name limits unless exposeLimits is set (armor #716)', () => {
  const hidden = gateWith();
  const shown = gateWith({ exposeLimits: true });
  const d = 'documents(first: 1)';
  const deep = `{ me { ${d} { owner { ${d} { owner { ${d} { owner { ${d} { owner { id } } } } } } } } } }`;
  const a = hidden.check('POST', { query: deep }, ANON);
  const b = shown.check('POST', { query: deep }, ANON);
  assert.ok(!a.ok && !/\d/.test(a.detail) && !/depth/i.test(a.detail), a.ok ? '' : a.detail);
  assert.ok(!b.ok && b.detail.includes('depth') && b.detail.includes('8'));
});

test('50,000 nesting levels are refused by the pre-parse scan without overflowing the stack', () => {
  const gate = gateWith();
  const n = 50_000;
  const query = `{ ${'me { documents { owner { '.repeat(1)}${'a {'.repeat(n)}${'}'.repeat(n)} } } } }`;
  const v = gate.check('POST', { query: query.slice(0, 60_000) + '}'.repeat(10) }, ANON);
  assert.equal(code(v), 'BULWARK_DENY_GRAPHQL_TOO_COMPLEX');
  const exact = gate.check(
    'POST',
    { query: `${'{a'.repeat(n)}${'}'.repeat(n)}` },
    { roles: [], scopes: [] },
  );
  assert.ok(!exact.ok && ['bytes limit exceeded', 'nesting limit exceeded'].includes(exact.reason));
  const big = gateWith({ limits: { bytes: 10_000_000 } });
  const nest = big.check('POST', { query: `${'{a'.repeat(n)}${'}'.repeat(n)}` }, ANON);
  assert.equal(!nest.ok && nest.reason, 'nesting limit exceeded');
});

test('a 100k-token document is refused on the token budget before parsing', () => {
  const gate = gateWith({ limits: { bytes: 10_000_000 } });
  const query = `{ me { ${'id '.repeat(100_000)} } }`;
  const v = gate.check('POST', { query }, ANON);
  assert.equal(!v.ok && v.reason, 'tokens limit exceeded');
});

test('alias floods, directive floods and operation floods are refused', () => {
  const gate = gateWith();
  const aliases = Array.from({ length: 100 }, (_, i) => `a${i}: me { id }`).join(' ');
  assert.equal(
    code(gate.check('POST', { query: `{ ${aliases} }` }, ANON)),
    'BULWARK_DENY_GRAPHQL_TOO_COMPLEX',
  );
  const directives = '@skip(if: false)'.repeat(60);
  const d = gate.check('POST', { query: `{ me ${directives} { id } }` }, ANON);
  assert.equal(!d.ok && d.reason, 'directives limit exceeded');
  const ops = Array.from({ length: 11 }, (_, i) => `query Q${i} { me { id } }`).join(' ');
  const o = gate.check('POST', { query: ops, operationName: 'Q1' }, ANON);
  assert.equal(!o.ok && o.reason, 'operations limit exceeded');
});

test('fragment fan-out is bounded: distinct-field explosions stop at the field budget', () => {
  const gate = gateWith({ limits: { depth: 30, cost: 1e12, fields: 500 } });
  const frags = Array.from(
    { length: 12 },
    (_, i) =>
      `fragment F${i} on User { documents { owner { ...F${i + 1} } } me2: documents { owner { ...F${i + 1} } } }`,
  );
  frags.push('fragment F12 on User { id }');
  const v = gate.check('POST', { query: `{ me { ...F0 } } ${frags.join(' ')}` }, ANON);
  assert.equal(code(v), 'BULWARK_DENY_GRAPHQL_TOO_COMPLEX');
});

test('__type and __schema are refused by default and allowed per role', () => {
  const gate = gateWith({ introspection: { roles: ['admin'] } });
  for (const query of [
    '{ __type(name: "User") { fields { name } } }',
    '{ __schema { types { name } } }',
    'query M { me { ...I } } fragment I on User { __typename } query Q { __schema { queryType { name } } }',
  ]) {
    const v = gate.check(
      'POST',
      { query, operationName: query.includes('Q {') ? 'Q' : undefined },
      ANON,
    );
    assert.equal(code(v), 'BULWARK_DENY_GRAPHQL_INTROSPECTION', query);
  }
  const admin = gate.check(
    'POST',
    { query: '{ __type(name: "User") { name } }' },
    { roles: ['admin'], scopes: [] },
  );
  assert.equal(code(admin), 'ok');
  assert.equal(code(gate.check('POST', { query: '{ me { __typename } }' }, ANON)), 'ok');
});

test('sensitive fields are denied after fragment expansion; a rule grants them per role', () => {
  const gate = gateWith({ fields: { 'User.passwordHash': { roles: ['auditor'] } } });
  const direct = '{ me { passwordHash } }';
  const smuggled = '{ me { ...A } } fragment A on User { ... on User { passwordHash } }';
  for (const query of [direct, smuggled]) {
    const v = gate.check('POST', { query }, ANON);
    assert.equal(code(v), 'BULWARK_DENY_GRAPHQL_FIELD');
    assert.equal(!v.ok && v.detail.includes('passwordHash'), false);
  }
  assert.equal(
    code(gate.check('POST', { query: smuggled }, { roles: ['auditor'], scopes: [] })),
    'ok',
  );
});

test('validation errors mask field suggestions', () => {
  const v = gateWith().check('POST', { query: '{ me { passwordHas } }' }, ANON);
  assert.equal(code(v), 'BULWARK_DENY_GRAPHQL_INVALID');
  assert.ok(!v.ok && v.errors?.length === 1 && !v.errors.join().includes('Did you mean'));
});

test('GET carries queries only', () => {
  const gate = gateWith();
  const m = gate.check(
    'GET',
    { query: 'mutation { login(email: "a", password: "b") { ok } }' },
    ANON,
  );
  assert.equal(code(m), 'BULWARK_DENY_GRAPHQL_METHOD');
  assert.equal(code(gate.check('GET', { query: '{ me { id } }' }, ANON)), 'ok');
});

test('malformed requests get a coded refusal, never a throw', () => {
  const gate = gateWith();
  for (const payload of [
    null,
    42,
    'x',
    [],
    [1],
    { query: 7 },
    { query: '{ me { id }' },
    { query: '{ me }}' },
    { query: '{ me { id } }', variables: [] },
    { query: 'query A { me { id } } query B { me { id } }' },
    {},
  ]) {
    const v = gate.check('POST', payload, ANON);
    assert.equal(v.ok, false, JSON.stringify(payload));
  }
});

test('APQ hashes are not an allowlist: an unknown hash is not found, a known one is re-checked', () => {
  const gate = gateWith();
  const query = 'query Q($n: Int) { users(first: $n) { id } }';
  const hash = sha256(query);
  const ext = { persistedQuery: { version: 1, sha256Hash: hash } };
  assert.equal(
    code(gate.check('POST', { extensions: ext, variables: { n: 2 } }, ANON)),
    'BULWARK_DENY_GRAPHQL_PERSISTED_NOT_FOUND',
  );
  assert.equal(
    code(gate.check('POST', { query, extensions: ext, variables: { n: 2 } }, ANON)),
    'ok',
  );
  // The hash-only replay with a huge $n is priced on the known text, not waved through.
  assert.equal(
    code(gate.check('POST', { extensions: ext, variables: { n: 1e6 } }, ANON)),
    'BULWARK_DENY_GRAPHQL_TOO_COMPLEX',
  );
  const ok = gate.check('POST', { extensions: ext, variables: { n: 2 } }, ANON);
  assert.ok(ok.ok && (ok.rewritten as { query: string }).query === query);
});

test('trusted documents: learn records passing documents, enforce admits only them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-gql-'));
  const learnFile = join(dir, 'learned.json');
  const learner = gateWith({ trustedDocuments: { mode: 'learn', learnFile } });
  const good = '{ me { id } }';
  assert.equal(code(learner.check('POST', { query: good }, ANON)), 'ok');
  learner.check('POST', { query: '{ me { passwordHash } }' }, ANON); // refused: not learned
  const learned = JSON.parse(readFileSync(learnFile, 'utf8')) as Record<string, string>;
  assert.deepEqual(Object.values(learned), [good]);
  const manifest = join(dir, 'manifest.json');
  writeFileSync(manifest, JSON.stringify(learned));
  const enforcer = gateWith({ trustedDocuments: { mode: 'enforce', manifest } });
  assert.equal(code(enforcer.check('POST', { query: good }, ANON)), 'ok');
  assert.equal(
    code(enforcer.check('POST', { query: '{ me { name } }' }, ANON)),
    'BULWARK_DENY_GRAPHQL_UNTRUSTED',
  );
  const byId = enforcer.check(
    'POST',
    { extensions: { persistedQuery: { sha256Hash: sha256(good) } } },
    ANON,
  );
  assert.ok(byId.ok && (byId.rewritten as { query: string }).query === good);
  assert.throws(
    () => gateWith({ trustedDocuments: { mode: 'enforce' } }),
    /BULWARK_ERR_CONFIG_INVALID|manifest/,
  );
});

test('a schema that does not build, or no schema, is a coded startup error', () => {
  assert.throws(
    () => gateWith({ sdl: 'type Query { x: Nope }' }),
    (e: Error & { code?: string }) => e.code === 'BULWARK_ERR_CONFIG_INVALID',
  );
  assert.throws(
    () => gateWith({ sdl: undefined, schemaFile: '/nonexistent/x.graphql' }),
    (e: Error & { code?: string }) => e.code === 'BULWARK_ERR_CONFIG_INVALID',
  );
});

test('@cost and @listSize(assumedSize, sizedFields) drive the cost', () => {
  const sdl = `type Query { search(first: Int): Conn @listSize(slicingArguments: ["first"], sizedFields: ["edges"]) expensive: Int @cost(weight: "100") all: [Item!]! @listSize(assumedSize: 50) }
type Conn { edges: [Item!]! total: Int }
type Item { id: ID! }`;
  const gate = gateWith({ sdl, sensitive: [] });
  const a = gate.check('POST', { query: '{ search(first: 7) { total edges { id } } }' }, ANON);
  assert.equal(a.ok && a.cost, 1 + 7);
  const b = gate.check('POST', { query: '{ expensive all { id } }' }, ANON);
  assert.equal(b.ok && b.cost, 100 + 50);
});

test('aliased or batched login mutations count as separate attempts', () => {
  const gate = gateWith({ loginFields: ['Mutation.login'] });
  const one = 'mutation { login(email: "a@x", password: "p") { ok } }';
  assert.equal(code(gate.check('POST', { query: one }, ANON)), 'ok');
  const aliased =
    'mutation { a: login(email: "a@x", password: "1") { ok } b: login(email: "a@x", password: "2") { ok } }';
  const v = gate.check('POST', { query: aliased }, ANON);
  assert.equal(!v.ok && v.reason, 'logins limit exceeded');
  const batch = gate.check('POST', [{ query: one }, { query: one }], ANON);
  assert.equal(!batch.ok && batch.reason, 'logins limit exceeded');
  // Through a fragment on the mutation type too.
  const frag =
    'mutation { ...L } fragment L on Mutation { x: login(email: "a", password: "1") { ok } y: login(email: "a", password: "2") { ok } }';
  assert.equal(code(gate.check('POST', { query: frag }, ANON)), 'BULWARK_DENY_GRAPHQL_TOO_COMPLEX');
});

test('without full validation the gate still refuses what would change its view of the document', () => {
  const gate = gateWith();
  const invalid = [
    '{ me { nope } }', // unknown field: its cost and rules would be unknown
    '{ me { ...Missing } }', // unknown fragment
    '{ me { ... on Ghost { id } } }', // unknown type condition
    '{ me { ...F } } fragment F on Ghost { id }',
    '{ me { ...F } } fragment F on String { id }', // not a composite type
    'query A { me { id } } query A { documents { id } }', // which one would run?
    '{ me { ...F } } fragment F on User { id } fragment F on User { passwordHash }',
    '{ me { id } } query B { me { id } }', // an anonymous operation must be alone
    'type Evil { x: Int } { me { id } }', // only executable definitions
    'subscription { me { id } }', // no subscription root
    '{ me { documents { owner { ...A } } } } fragment A on User { ...B } fragment B on User { ...A }',
  ];
  for (const query of invalid) {
    const v = gate.check(
      'POST',
      { query, operationName: query.includes('query B') ? 'B' : undefined },
      ANON,
    );
    assert.equal(code(v), 'BULWARK_DENY_GRAPHQL_INVALID', query);
    assert.doesNotMatch(JSON.stringify(v), /Did you mean/);
  }
  // Rules that decide nothing the gate relies on are left to the upstream's own validation
  // (it validates before executing), unless `validation: full` asks the gate to run them too.
  const missingArgument = '{ document { id } }';
  assert.equal(code(gate.check('POST', { query: missingArgument }, ANON)), 'ok');
  const full = gateWith({ validation: 'full' });
  assert.equal(
    code(full.check('POST', { query: missingArgument }, ANON)),
    'BULWARK_DENY_GRAPHQL_INVALID',
  );
  // Introspection fields keep working for allowed callers (their subtree has no rules).
  const dev = gateWith({ introspection: { allow: true } });
  assert.equal(
    code(dev.check('POST', { query: '{ __type(name: "User") { name kind } }' }, ANON)),
    'ok',
  );
});

test('alias and directive floods are refused before parsing only where the text count is exact', () => {
  const gate = gateWith();
  const twenty = Array.from({ length: 20 }, (_, i) => `a${i}: me { id }`).join(' ');
  // One operation, no fragments: refused by the prescan with the analyser's own verdict.
  const flood = gate.check('POST', { query: `query Flood { ${twenty} }` }, ANON);
  assert.equal(!flood.ok && flood.reason, 'aliases limit exceeded');
  // Colons inside arguments, variable definitions and object values are not aliases.
  const vars = Array.from({ length: 20 }, (_, i) => `$v${i}: Int = ${i}`).join(', ');
  const notAliases = `query Q(${vars}) { users(first: $v3) { id } }`;
  assert.equal(code(gate.check('POST', { query: notAliases }, ANON)), 'ok');
  // Two operations: the text holds 20 aliases, the selected operation 5, so it passes.
  const five = Array.from({ length: 5 }, (_, i) => `b${i}: me { id }`).join(' ');
  const twoOps = `query Big { ${twenty} } query Small { ${five} }`;
  assert.equal(code(gate.check('POST', { query: twoOps, operationName: 'Small' }, ANON)), 'ok');
  // A fragment spread twice in one selection set is walked once: 10 aliases in the text, 5 walked.
  const frag = `query F { me { ...A ...A } } fragment A on User { ${Array.from({ length: 5 }, (_, i) => `c${i}: id`).join(' ')} }`;
  assert.equal(code(gate.check('POST', { query: frag }, ANON)), 'ok');
  // The batch sums: 10 + 10 aliases across two exact documents is over 15.
  const ten = Array.from({ length: 10 }, (_, i) => `e${i}: me { id }`).join(' ');
  const batch = gate.check('POST', [{ query: `{ ${ten} }` }, { query: `{ ${ten} }` }], ANON);
  assert.equal(!batch.ok && batch.reason, 'aliases limit exceeded');
});
