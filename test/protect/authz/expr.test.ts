// The ABAC rule language: grammar, three-valued logic, and hostile rules and facts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BulwarkError } from '../../../src/core/errors.js';
import { evaluate, parseRule, type Facts } from '../../../src/protect/authz/expr.js';

const facts = (over: Partial<Record<keyof Facts, unknown>> = {}): Facts => ({
  subject: {
    sub: 'alice',
    role: 'user',
    department: 'sales',
    level: 3,
    roles: ['user', 'auditor'],
  },
  request: {
    method: 'GET',
    params: { userId: 'alice' },
    query: { department: 'sales' },
    body: { amount: 120, tags: ['a'] },
  },
  resource: undefined,
  env: { hour: 10, weekday: 2, ip: '203.0.113.5' },
  ...over,
});
const run = (src: string, f = facts()) => evaluate(parseRule(src), f);

test('comparisons, boolean logic, lists and precedence', () => {
  assert.equal(run("subject.role == 'user'"), 'allow');
  assert.equal(run("subject.role != 'admin' and subject.level >= 3"), 'allow');
  assert.equal(run('subject.level > 3'), 'deny');
  assert.equal(run('subject.department == request.query.department'), 'allow');
  assert.equal(run('request.params.userId == subject.sub'), 'allow');
  assert.equal(run("request.method in ['GET', 'HEAD']"), 'allow');
  assert.equal(run("subject.roles contains 'auditor'"), 'allow');
  assert.equal(run('request.body.amount <= 100 or subject.level >= 3'), 'allow');
  assert.equal(run("not (subject.role == 'admin')"), 'allow');
  assert.equal(
    run("subject.role == 'admin' or subject.role == 'user' and subject.level == 9"),
    'deny',
    'and binds tighter',
  );
  assert.equal(run('env.hour >= 8 and env.hour < 18'), 'allow');
  assert.equal(run('subject[\'department\'] == "sales"'), 'allow');
});

test('a missing fact never allows, even under not or !=', () => {
  assert.equal(run("subject.team != 'blue'"), 'unknown');
  assert.equal(run("not (subject.team == 'blue')"), 'unknown');
  assert.equal(run("subject.team == 'blue' or subject.role == 'user'"), 'allow');
  assert.equal(run("subject.team == 'blue' and subject.role == 'user'"), 'unknown');
  assert.equal(run("subject.role == 'admin' and subject.team == 'x'"), 'deny');
  assert.equal(run('subject.level < "3"'), 'unknown', 'no ordering across types');
});

test('only own data properties are read: prototype names are refused at parse, inherited ones are missing', () => {
  for (const src of [
    "subject.__proto__ == 'x'",
    "subject.constructor == 'x'",
    "subject['prototype'] == 1",
  ]) {
    assert.throws(
      () => parseRule(src),
      (e: unknown) => e instanceof BulwarkError && /forbidden property/.test(e.message),
    );
  }
  assert.equal(run("subject.toString == 'x'"), 'unknown');
  assert.equal(run('subject.roles.length == 2'), 'unknown', 'arrays expose only indices');
  assert.equal(run("subject.roles.0 == 'user'".replace('.0', "['0']")), 'allow');
});

test('syntax errors and code-like input are configuration errors, never executed', () => {
  const bad = [
    '',
    'subject.role ==',
    'process.exit(1)',
    'require("fs")',
    "subject.role == 'x'; drop",
    'subject.role = 1',
    '(((subject.a == 1)',
    "subject.role == 'unterminated",
    `${'not '.repeat(40)}subject.a == 1`,
    'x'.repeat(2001),
  ];
  for (const src of bad) {
    assert.throws(
      () => parseRule(src),
      (e: unknown) => e instanceof BulwarkError && e.code === 'BULWARK_ERR_CONFIG_INVALID',
      src.slice(0, 40),
    );
  }
});

test('rules that read the body are marked so they run after body validation', () => {
  assert.equal(parseRule('request.body.amount < 10').readsBody, true);
  assert.equal(parseRule("request.query.a == 'b'").readsBody, false);
});
