// The GraphQL SDL audit rules on a description whose /graphql operation carries its schema: each
// fires on the flawed SDL or settings and stays quiet on the fixed near miss.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { auditModel } from '../../../src/audit/engine/run.js';
import { graphqlIntrospectionEnabled } from '../../../src/audit/rules/graphql-introspection-enabled.js';
import { graphqlMutationUnauthenticated } from '../../../src/audit/rules/graphql-mutation-unauthenticated.js';
import { graphqlSensitiveField } from '../../../src/audit/rules/graphql-sensitive-field.js';
import { graphqlUnboundedList } from '../../../src/audit/rules/graphql-unbounded-list.js';
import type { AuditRule } from '../../../src/audit/types.js';
import { parseSpecText } from '../../../src/core/openapi/load.js';
import { labSdl } from '../../../src/lab/graphql/sdl.js';

function spec(marker: Record<string, unknown>, security?: unknown[]): string {
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'g', version: '1' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths: {
      '/graphql': {
        post: {
          operationId: 'graphql',
          ...(security ? { security } : {}),
          'x-bulwark-graphql': marker,
          responses: { '200': { description: 'ok' } },
        },
      },
    },
  });
}

function run(rule: AuditRule, text: string, file = 'inline.json') {
  const result = auditModel(parseSpecText(text, file), { rules: [rule] });
  assert.deepEqual(result.failures, []);
  for (const f of result.findings) assert.ok((f.location.spec?.line ?? 0) >= 1, f.message);
  return result.findings.map((f) => f.message);
}

const FLAWED = `
type Query { users: [User!]! me: User }
type User { id: ID! passwordHash: String apiKey: String name: String }
type Mutation { login(email: String!, password: String!): String deleteUser(id: ID!): Boolean }`;

const FIXED = `
directive @auth(roles: [String!]) on FIELD_DEFINITION | OBJECT
directive @listSize(assumedSize: Int) on FIELD_DEFINITION
type Query { users(first: Int = 20): [User!]! search: [User!]! @listSize(assumedSize: 10) me: User }
type User { id: ID! passwordHash: String @auth(roles: ["admin"]) name: String }
type Mutation @auth { login(email: String!, password: String!): String deleteUser(id: ID!): Boolean }`;

test('sensitive fields without an auth directive; a directive or Bulwark settings guard them', () => {
  assert.deepEqual(run(graphqlSensitiveField, spec({ sdl: FLAWED })), [
    'Sensitive-looking fields without an authorization directive: User.passwordHash (schema line 3); User.apiKey (schema line 3).',
  ]);
  assert.deepEqual(run(graphqlSensitiveField, spec({ sdl: FIXED })), []);
  const guarded = spec({
    sdl: FLAWED,
    sensitive: ['User.passwordHash'],
    fields: { 'User.apiKey': { roles: ['a'] } },
  });
  assert.deepEqual(run(graphqlSensitiveField, guarded), []);
});

test('lists without pagination or @listSize', () => {
  assert.deepEqual(run(graphqlUnboundedList, spec({ sdl: FLAWED })), [
    'Lists with no pagination argument or @listSize: Query.users (schema line 2).',
  ]);
  assert.deepEqual(run(graphqlUnboundedList, spec({ sdl: FIXED })), []);
  // The lab's schema paginates every list.
  assert.deepEqual(run(graphqlUnboundedList, spec({ sdl: labSdl(true) })), []);
});

test('mutations without authentication on a public endpoint; login stays public', () => {
  const msgs = run(graphqlMutationUnauthenticated, spec({ sdl: FLAWED }, []));
  assert.deepEqual(msgs, ['Mutations reachable without credentials: deleteUser (schema line 4).']);
  assert.deepEqual(run(graphqlMutationUnauthenticated, spec({ sdl: FIXED }, [])), []);
  assert.deepEqual(
    run(graphqlMutationUnauthenticated, spec({ sdl: FLAWED }, [{ bearer: [] }])),
    [],
  );
});

test('introspection, suggestions, exposed limits and debug from the settings', () => {
  const msgs = run(
    graphqlIntrospectionEnabled,
    spec({
      sdl: FIXED,
      introspection: { allow: true },
      maskSuggestions: false,
      exposeLimits: true,
      debug: true,
    }),
  );
  assert.equal(msgs.length, 1);
  for (const part of ['introspection', 'suggestions', 'limits', 'debug'])
    assert.ok(msgs[0]?.includes(part));
  assert.deepEqual(
    run(graphqlIntrospectionEnabled, spec({ sdl: FIXED, introspection: { roles: ['dev'] } })),
    [],
  );
});

test('schemaFile is read next to the description; a broken or missing SDL is skipped, not thrown', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-gql-audit-'));
  writeFileSync(join(dir, 'schema.graphql'), FLAWED);
  const file = join(dir, 'api.json');
  writeFileSync(file, spec({ schemaFile: 'schema.graphql' }));
  assert.equal(run(graphqlUnboundedList, spec({ schemaFile: 'schema.graphql' }), file).length, 1);
  assert.deepEqual(run(graphqlUnboundedList, spec({ schemaFile: 'nope.graphql' }), file), []);
  assert.deepEqual(run(graphqlUnboundedList, spec({ sdl: 'type Query {' })), []);
});
