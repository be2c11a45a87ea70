// Every registered rule has an invalid document (it must fire) and a valid near miss (it must not),
// each a one-place change of the clean document in fixtures.ts. A rule without a case fails the
// suite, so new rules cannot land untested.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules } from '../../src/audit/registry.js';
import { audit, clean, cleanSwagger, idsOf, std, type Doc } from './fixtures.js';

interface Case {
  readonly invalid: () => Doc;
  readonly valid: () => Doc;
  readonly config?: { invalid: Doc; valid: Doc };
}

function edit(fn: (d: Doc) => void, base: () => Doc = clean): () => Doc {
  return () => {
    const d = base();
    fn(d);
    return d;
  };
}
const item = (d: Doc) => d['components'].schemas.Item.properties;
const scheme = (d: Doc, def: Doc) => (d['components'].securitySchemes.extra = def);
const listGet = (d: Doc) => d['paths']['/items'].get;
const post = (d: Doc) => d['paths']['/items'].post;
const to31 = (d: Doc) => (d['openapi'] = '3.1.0');
const swagger = (fn: (d: Doc) => void) => edit(fn, cleanSwagger);
const loginOp = (d: Doc) =>
  (d['paths']['/login'] = {
    post: {
      operationId: 'login',
      security: [],
      requestBody: {
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } },
      },
      responses: std({ $ref: '#/components/schemas/Error' }),
    },
  });
const adminOp = (security: Doc[]) => (d: Doc) =>
  (d['paths']['/admin/users'] = {
    get: {
      operationId: 'adminUsers',
      security,
      responses: std({ $ref: '#/components/schemas/Error' }),
    },
  });

// GraphQL endpoints carry their SDL and gate settings in x-bulwark-graphql (docs/graphql.md).
const GQL_FLAWED = `
type Query { users: [User!]! me: User }
type User { id: ID! passwordHash: String name: String }
type Mutation { deleteUser(id: ID!): Boolean }`;
const GQL_FIXED = `
directive @auth(roles: [String!]) on FIELD_DEFINITION | OBJECT
type Query { users(first: Int = 20): [User!]! me: User }
type User { id: ID! passwordHash: String @auth(roles: ["admin"]) name: String }
type Mutation @auth { deleteUser(id: ID!): Boolean }`;
const graphqlOp =
  (marker: Doc, security: Doc[] = [{ bearer: [] }]) =>
  (d: Doc) =>
    (d['paths']['/graphql'] = {
      post: {
        operationId: 'graphql',
        security,
        'x-bulwark-graphql': marker,
        responses: std({ $ref: '#/components/schemas/Error' }),
      },
    });

const CASES: Record<string, Case> = {
  'owasp:api3:graphql-sensitive-field': {
    invalid: edit(graphqlOp({ sdl: GQL_FLAWED })),
    valid: edit(graphqlOp({ sdl: GQL_FIXED })),
  },
  'owasp:api4:graphql-unbounded-list': {
    invalid: edit(graphqlOp({ sdl: GQL_FLAWED })),
    valid: edit(graphqlOp({ sdl: GQL_FIXED })),
  },
  'owasp:api2:graphql-mutation-unauthenticated': {
    invalid: edit(graphqlOp({ sdl: GQL_FLAWED }, [])),
    valid: edit(graphqlOp({ sdl: GQL_FLAWED })),
  },
  'owasp:api8:graphql-introspection-enabled': {
    invalid: edit(graphqlOp({ sdl: GQL_FIXED, introspection: { allow: true } })),
    valid: edit(graphqlOp({ sdl: GQL_FIXED })),
  },
  'owasp:api1:no-numeric-ids': {
    invalid: edit(
      (d) =>
        (d['paths']['/items/{itemId}'].get.parameters[0].schema = {
          type: 'integer',
          format: 'int64',
          minimum: 1,
          maximum: 9,
        }),
    ),
    valid: edit((d) =>
      listGet(d).parameters.push({
        name: 'count',
        in: 'query',
        schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 9 },
      }),
    ),
  },
  'owasp:api2:no-http-basic': {
    invalid: edit((d) => scheme(d, { type: 'http', scheme: 'basic' })),
    valid: clean,
  },
  'owasp:api2:no-api-keys-in-url': {
    invalid: edit((d) => scheme(d, { type: 'apiKey', in: 'query', name: 'api_key' })),
    valid: edit((d) => scheme(d, { type: 'apiKey', in: 'header', name: 'X-API-Key' })),
  },
  'owasp:api2:no-credentials-in-url': {
    invalid: edit((d) =>
      listGet(d).parameters.push({
        name: 'access_token',
        in: 'query',
        schema: { type: 'string', maxLength: 9, format: 'x' },
      }),
    ),
    valid: edit((d) =>
      listGet(d).parameters.push({
        name: 'page_token',
        in: 'query',
        schema: { type: 'string', maxLength: 9, format: 'x' },
      }),
    ),
  },
  'owasp:api2:auth-insecure-schemes': {
    invalid: edit((d) => scheme(d, { type: 'http', scheme: 'negotiate' })),
    valid: edit((d) => scheme(d, { type: 'http', scheme: 'bearer' })),
  },
  'owasp:api2:jwt-best-practices': {
    invalid: edit((d) => delete d['components'].securitySchemes.bearer.description),
    valid: clean,
  },
  'owasp:api2:short-lived-access-tokens': {
    invalid: edit((d) =>
      scheme(d, {
        type: 'oauth2',
        description: 'RFC 8725',
        flows: {
          authorizationCode: {
            authorizationUrl: 'https://a.example.com/auth',
            tokenUrl: 'https://a.example.com/token',
            scopes: {},
          },
        },
      }),
    ),
    valid: edit((d) =>
      scheme(d, {
        type: 'oauth2',
        description: 'RFC 8725',
        flows: { clientCredentials: { tokenUrl: 'https://a.example.com/token', scopes: {} } },
      }),
    ),
  },
  'owasp:api2:write-restricted': {
    invalid: edit((d) => (post(d).security = [{}, { bearer: ['items:write'] }])),
    valid: clean,
  },
  'owasp:api2:read-restricted': {
    invalid: edit((d) => delete d['security']),
    valid: edit((d) => (listGet(d).security = [{}, { bearer: ['items:read'] }])),
  },
  'owasp:api2:weak-oauth-flows': {
    invalid: edit((d) =>
      scheme(d, {
        type: 'oauth2',
        description: 'RFC 8725',
        flows: { implicit: { authorizationUrl: 'https://a.example.com/auth', scopes: {} } },
      }),
    ),
    valid: edit((d) =>
      scheme(d, {
        type: 'oauth2',
        description: 'RFC 8725',
        flows: {
          authorizationCode: {
            authorizationUrl: 'https://a.example.com/auth',
            tokenUrl: 'https://a.example.com/token',
            refreshUrl: 'https://a.example.com/refresh',
            scopes: {},
          },
        },
      }),
    ),
  },
  'owasp:api2:secrets-in-examples': {
    invalid: edit(
      (d) =>
        (post(d).requestBody.content['application/json'].example = {
          name: 'x',
          api_key: 'AKIAZ7VXQ2L3M4N5P6Q7',
        }),
    ),
    valid: edit(
      (d) =>
        (post(d).requestBody.content['application/json'].example = {
          name: 'x',
          api_key: 'your-api-key-here-0000',
        }),
    ),
  },
  'owasp:api3:no-additional-properties': {
    invalid: edit((d) => (d['components'].schemas.Item.additionalProperties = true)),
    valid: edit((d) => (d['components'].schemas.Error.additionalProperties = true)),
  },
  'owasp:api3:constrained-additional-properties': {
    invalid: edit(
      (d) =>
        (item(d).tags = { type: 'object', additionalProperties: { type: 'string', enum: ['a'] } }),
    ),
    valid: edit(
      (d) =>
        (item(d).tags = {
          type: 'object',
          maxProperties: 9,
          additionalProperties: { type: 'string', enum: ['a'] },
        }),
    ),
  },
  'owasp:api3:no-unevaluated-properties': {
    invalid: edit((d) => (to31(d), (d['components'].schemas.Item.unevaluatedProperties = true))),
    valid: edit((d) => (to31(d), (d['components'].schemas.Item.unevaluatedProperties = false))),
  },
  'owasp:api3:constrained-unevaluated-properties': {
    invalid: edit(
      (d) => (
        to31(d),
        (item(d).tags = { type: 'object', unevaluatedProperties: { type: 'string', enum: ['a'] } })
      ),
    ),
    valid: edit(
      (d) => (
        to31(d),
        (item(d).tags = {
          type: 'object',
          maxProperties: 3,
          unevaluatedProperties: { type: 'string', enum: ['a'] },
        })
      ),
    ),
  },
  'owasp:api3:sensitive-response-fields': {
    invalid: edit(
      (d) => (item(d).password = { type: 'string', maxLength: 64, format: 'password' }),
    ),
    valid: edit(
      (d) =>
        (item(d).password = { type: 'string', maxLength: 64, format: 'password', writeOnly: true }),
    ),
  },
  'owasp:api3:mass-assignment': {
    invalid: edit((d) => (item(d).isAdmin = { type: 'boolean' })),
    valid: edit((d) => (item(d).isAdmin = { type: 'boolean', readOnly: true })),
  },
  'owasp:api4:rate-limit': {
    invalid: edit((d) => delete listGet(d).responses['200'].headers.RateLimit),
    valid: edit((d) => {
      const h = listGet(d).responses['200'].headers;
      delete h.RateLimit;
      h['X-RateLimit-Limit'] = { schema: { type: 'integer' } };
    }),
  },
  'owasp:api4:rate-limit-retry-after': {
    invalid: edit((d) => delete listGet(d).responses['429'].headers['Retry-After']),
    valid: clean,
  },
  'owasp:api4:rate-limit-responses-429': {
    invalid: edit((d) => delete listGet(d).responses['429']),
    valid: clean,
  },
  'owasp:api4:array-limit': {
    invalid: edit(
      (d) => (item(d).tags = { type: 'array', items: { type: 'string', enum: ['a'] } }),
    ),
    // The clean list response is an unbounded array too, but clients never send it.
    valid: edit(
      (d) =>
        (item(d).tags = { type: 'array', maxItems: 9, items: { type: 'string', enum: ['a'] } }),
    ),
  },
  'owasp:api4:string-limit': {
    invalid: edit((d) => delete item(d).name.maxLength),
    valid: edit((d) => (item(d).name = { type: 'string', pattern: '^[a-z]{1,20}$' })),
  },
  'owasp:api4:string-restricted': {
    invalid: edit((d) => delete item(d).name.pattern),
    valid: edit((d) => (item(d).name = { type: 'string', enum: ['a', 'b'] })),
  },
  'owasp:api4:integer-limit': {
    invalid: edit((d) => (item(d).qty = { type: 'integer', format: 'int32', minimum: 0 })),
    valid: edit(
      (d) => (item(d).qty = { type: 'integer', format: 'int32', minimum: 0, maximum: 9 }),
    ),
  },
  'owasp:api4:integer-format': {
    invalid: edit((d) => (item(d).qty = { type: 'integer', minimum: 0 })),
    valid: edit((d) => (item(d).qty = { type: 'integer', minimum: 0, maximum: 9 })),
  },
  'owasp:api4:unbounded-lists': {
    invalid: edit((d) => delete listGet(d).parameters[0].schema.maximum),
    valid: clean,
  },
  'owasp:api4:request-body-limits': {
    invalid: edit(
      (d) =>
        (post(d).requestBody.content['application/octet-stream'] = {
          schema: { type: 'string', format: 'binary' },
        }),
    ),
    valid: edit(
      (d) =>
        (post(d).requestBody.content['application/octet-stream'] = {
          schema: { type: 'string', format: 'binary', maxLength: 1048576 },
        }),
    ),
  },
  'owasp:api5:admin-security-unique': {
    invalid: edit(adminOp([{ bearer: ['items:read'] }])),
    valid: edit(adminOp([{ bearer: ['admin'] }])),
  },
  'owasp:api5:admin-not-stricter': {
    invalid: edit(adminOp([{ bearer: [] }])),
    valid: edit(adminOp([{ bearer: ['admin'] }])),
  },
  'owasp:api7:concerning-url-parameter': {
    invalid: edit(
      (d) => (item(d).callback_url = { type: 'string', format: 'uri', maxLength: 2000 }),
    ),
    valid: edit((d) => (item(d).label = { type: 'string', enum: ['a'] })),
  },
  'owasp:api8:define-cors-origin': {
    invalid: edit((d) => delete listGet(d).responses['200'].headers['Access-Control-Allow-Origin']),
    valid: clean,
  },
  'owasp:api8:no-scheme-http': {
    invalid: swagger((d) => (d['schemes'] = ['http', 'https'])),
    valid: cleanSwagger,
  },
  'owasp:api8:no-server-http': {
    invalid: edit((d) => (d['servers'][0].url = 'http://api.example.com')),
    valid: clean,
  },
  'owasp:api8:define-error-validation': {
    invalid: edit((d) => delete listGet(d).responses['400']),
    valid: clean,
  },
  'owasp:api8:define-error-responses-401': {
    invalid: edit((d) => delete listGet(d).responses['401']),
    // A public operation cannot answer 401, so it needs no 401 response.
    valid: edit((d) => ((listGet(d).security = []), delete listGet(d).responses['401'])),
  },
  'owasp:api8:define-error-responses-500': {
    invalid: edit((d) => delete listGet(d).responses['500']),
    valid: edit((d) => {
      const r = listGet(d).responses;
      r['5XX'] = r['500'];
      delete r['500'];
    }),
  },
  'owasp:api9:server-urls': {
    invalid: edit((d) =>
      d['servers'].push({
        url: 'https://staging-api.example.com',
        description: 'staging',
        'x-internal': true,
      }),
    ),
    valid: clean,
  },
  'owasp:api9:inventory-access': {
    invalid: edit((d) => delete d['servers'][0]['x-internal']),
    valid: clean,
  },
  'owasp:api9:inventory-environment': {
    invalid: edit((d) => (d['servers'][0].description = 'Main')),
    valid: clean,
  },
  'owasp:api9:deprecated-without-sunset': {
    invalid: edit((d) => (d['paths']['/items/{itemId}'].get.deprecated = true)),
    valid: edit((d) => {
      const op = d['paths']['/items/{itemId}'].get;
      op.deprecated = true;
      op.description = 'Replaced by listItems.';
    }),
  },
  'owasp:api9:multiple-versions': {
    invalid: edit((d) => {
      d['paths']['/v1/items'] = d['paths']['/items'];
      d['paths']['/v2/items'] = d['paths']['/items'];
      delete d['paths']['/items'];
    }),
    valid: edit((d) => {
      d['paths']['/v1/items'] = d['paths']['/items'];
      delete d['paths']['/items'];
    }),
  },
  'owasp:api8:policy-cors-credentials': {
    invalid: clean,
    valid: clean,
    config: {
      invalid: { version: 1, protect: { cors: { origins: ['*'], credentials: true } } },
      valid: {
        version: 1,
        protect: { cors: { origins: ['https://app.example.com'], credentials: true } },
      },
    },
  },
  'owasp:api2:policy-jwt-algorithms': {
    invalid: clean,
    valid: clean,
    config: {
      // The shape of protect.auth (src/core/config/sections/auth.ts).
      invalid: {
        version: 1,
        protect: { auth: { schemes: { main: { type: 'jwt', issuer: 'https://id.example.com' } } } },
      },
      valid: {
        version: 1,
        protect: {
          auth: {
            schemes: {
              main: { type: 'jwt', issuer: 'https://id.example.com', algorithms: ['ES256'] },
            },
          },
        },
      },
    },
  },
  'owasp:api2:policy-hs256-shared': {
    invalid: clean,
    valid: clean,
    config: {
      invalid: {
        version: 1,
        protect: {
          auth: {
            schemes: { main: { type: 'jwt', algorithms: ['HS256'], audience: ['web', 'mobile'] } },
          },
        },
      },
      valid: {
        version: 1,
        protect: {
          auth: {
            schemes: { main: { type: 'jwt', algorithms: ['ES256'], audience: ['web', 'mobile'] } },
          },
        },
      },
    },
  },
  'owasp:api4:policy-login-rate-limit': {
    invalid: edit(loginOp),
    valid: edit(loginOp),
    config: {
      invalid: { version: 1, protect: { cors: { origins: ['https://app.example.com'] } } },
      valid: { version: 1, protect: { rateLimit: { limit: 10, windowMs: 60000 } } },
    },
  },
  'owasp:api8:policy-fail-open': {
    invalid: clean,
    valid: clean,
    config: {
      invalid: { version: 1, protect: { rateLimit: { store: { failMode: 'open' } } } },
      valid: { version: 1, protect: { rateLimit: { store: { failMode: 'closed' } } } },
    },
  },
};

describe('audit rules: valid and invalid documents', () => {
  it('the clean document and config raise no finding at all', () => {
    const result = audit(clean(), { config: { version: 1, protect: { rateLimit: { limit: 5 } } } });
    assert.deepEqual(idsOf(result.findings), []);
    assert.deepEqual(result.failures, []);
    assert.deepEqual(idsOf(audit(cleanSwagger()).findings), []);
  });

  it('every registered rule has a case', () => {
    assert.deepEqual(
      rules.map((r) => r.id).filter((id) => !(id in CASES)),
      [],
    );
  });

  for (const rule of rules) {
    const c = CASES[rule.id];
    if (!c) continue;
    it(`${rule.id} fires on the invalid document`, () => {
      const result = audit(c.invalid(), {
        only: rule.id,
        ...(c.config ? { config: c.config.invalid } : {}),
      });
      assert.deepEqual(result.failures, []);
      assert.ok(result.findings.length > 0, `${rule.id} did not fire`);
      for (const f of result.findings) {
        assert.equal(f.id, rule.id);
        assert.ok((f.location.spec?.line ?? 0) >= 1 && (f.location.spec?.column ?? 0) >= 1);
      }
    });
    it(`${rule.id} stays quiet on the valid near miss`, () => {
      const result = audit(c.valid(), {
        only: rule.id,
        ...(c.config ? { config: c.config.valid } : {}),
      });
      assert.deepEqual(result.failures, []);
      assert.deepEqual(
        result.findings.map((f) => f.message),
        [],
      );
    });
  }
});
