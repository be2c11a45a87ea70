// The engine's promises: context awareness through $ref, one finding per shared component, real
// locations across files, Swagger 2.0 coverage, inline ignores with reasons, and config overrides.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { auditModel } from '../../src/audit/engine/run.js';
import { buildSchemaIndex } from '../../src/audit/engine/schema-index.js';
import { rules } from '../../src/audit/registry.js';
import { loadSpec, parseSpecText } from '../../src/core/openapi/load.js';
import { audit, clean, cleanSwagger, std, type Doc } from './fixtures.js';

const only = (id: string) => ({ only: id });

describe('audit engine: schema context', () => {
  it('reports a shared request component once, listing every operation that uses it', () => {
    const d = clean();
    delete d['components'].schemas.Item.properties.name.maxLength;
    d['paths']['/items/{itemId}'].put = {
      requestBody: {
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } },
      },
      responses: std({ $ref: '#/components/schemas/Item' }),
    };
    const { findings } = audit(d, only('owasp:api4:string-limit'));
    assert.equal(findings.length, 1);
    const f = findings[0]!;
    assert.equal(f.location.spec?.pointer, '/components/schemas/Item/properties/name');
    const ops = [f.location.operation, ...(f.related ?? []).map((r) => r.operation)].filter(
      Boolean,
    );
    assert.deepEqual(ops.sort(), ['POST /items', 'PUT /items/{itemId}']);
  });

  it('skips request-side limits on schemas used only in responses, even through $ref chains', () => {
    const d = clean();
    d['components'].schemas.Error.properties.detail = { $ref: '#/components/schemas/Detail' };
    d['components'].schemas.Detail = { type: 'array', items: { type: 'string' } };
    const { findings } = audit(d);
    assert.deepEqual(
      findings.map((f) => f.id),
      [],
    );
  });

  it('respects readOnly on request bodies and writeOnly on responses', () => {
    const d = clean();
    d['components'].schemas.Item.properties.notes = { type: 'string', readOnly: true };
    d['components'].schemas.Item.properties.secret = {
      type: 'string',
      maxLength: 9,
      format: 'password',
      writeOnly: true,
    };
    assert.deepEqual(
      audit(d).findings.map((f) => f.id),
      [],
    );
  });

  it('classifies a schema used on both sides as both, and a cycle does not hang', () => {
    const d = clean();
    d['components'].schemas.Item.properties.parent = { $ref: '#/components/schemas/Item' };
    const model = parseSpecText(JSON.stringify(d), 'spec.json');
    const index = buildSchemaIndex(model);
    const item = model.schemas['Item'] as object;
    assert.deepEqual(index.useOf(item), { request: true, response: true });
    assert.deepEqual(index.operationsOf(item, 'request'), ['POST /items']);
    assert.deepEqual(index.operationsOf(item, 'response'), [
      'GET /items',
      'GET /items/{itemId}',
      'POST /items',
    ]);
  });

  it('does not count length-bounding formats, enums or bounded patterns as unbounded strings', () => {
    const d = clean();
    const props = d['components'].schemas.Item.properties;
    props.day = { type: 'string', format: 'date' };
    props.ref = { type: 'string', format: 'uuid' };
    props.kind = { type: 'string', enum: ['a', 'b'] };
    props.code = { type: 'string', pattern: '^[A-Z]{2,3}$' };
    props.free = { type: 'string', format: 'email' };
    const { findings } = audit(d, only('owasp:api4:string-limit'));
    assert.deepEqual(
      findings.map((f) => f.location.spec?.pointer),
      ['/components/schemas/Item/properties/free'],
    );
  });
});

describe('audit engine: locations', () => {
  it('points into the file a $ref leads to, at the real line', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-audit-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const d = clean();
    d['paths']['/items'].post.requestBody.content['application/json'].schema = {
      $ref: 'schemas.yaml#/Thing',
    };
    writeFileSync(join(dir, 'main.json'), JSON.stringify(d, null, 2));
    writeFileSync(
      join(dir, 'schemas.yaml'),
      [
        '# shared schemas',
        'Thing:',
        '  type: object',
        '  properties:',
        '    label:',
        '      type: string',
        '',
      ].join('\n'),
    );
    const model = await loadSpec(join(dir, 'main.json'));
    const { findings } = auditModel(model, {
      rules: rules.filter((r) => r.id === 'owasp:api4:string-limit'),
    });
    assert.equal(findings.length, 1);
    const spec = findings[0]!.location.spec!;
    assert.match(spec.file, /schemas\.yaml$/);
    assert.equal(spec.line, 5);
    assert.ok(spec.column >= 1);
  });

  it('never reports 0:0, even for findings about missing things', () => {
    const d = clean();
    delete d['paths']['/items'].get.responses['429'];
    delete d['servers'][0]['x-internal'];
    for (const f of audit(d).findings) {
      assert.ok(f.location.spec!.line >= 1 && f.location.spec!.column >= 1, f.id);
    }
  });
});

describe('audit engine: Swagger 2.0', () => {
  it('finds HTTP basic and API keys in the query, which Spectral misses in 2.0', () => {
    const d = cleanSwagger();
    d['securityDefinitions'].basic = { type: 'basic' };
    d['securityDefinitions'].key = { type: 'apiKey', in: 'query', name: 'api_key' };
    d['securityDefinitions'].oauth = {
      type: 'oauth2',
      flow: 'password',
      tokenUrl: 'https://a.example.com/t',
      scopes: {},
    };
    const ids = audit(d)
      .findings.map((f) => f.id)
      .sort();
    assert.ok(ids.includes('owasp:api2:no-http-basic'));
    assert.ok(ids.includes('owasp:api2:no-api-keys-in-url'));
    assert.ok(ids.includes('owasp:api2:weak-oauth-flows'));
  });

  it('finds unbounded strings in body parameters and non-body parameters', () => {
    const d = cleanSwagger();
    d['paths']['/things'] = {
      post: {
        parameters: [
          { name: 'q', in: 'query', type: 'string' },
          {
            name: 'body',
            in: 'body',
            schema: { type: 'object', properties: { label: { type: 'string' } } },
          },
        ],
        responses: { '200': { description: 'ok' } },
      },
    };
    const messages = audit(d, only('owasp:api4:string-limit')).findings.map((f) => f.message);
    assert.equal(messages.length, 2, messages.join('\n'));
  });
});

describe('audit engine: suppression and overrides', () => {
  const withUnbounded = (): Doc => {
    const d = clean();
    delete d['components'].schemas.Item.properties.name.maxLength;
    return d;
  };

  it('honours x-bulwark-ignore with a reason, on the node', () => {
    const d = withUnbounded();
    d['components'].schemas.Item.properties.name['x-bulwark-ignore'] = {
      'owasp:api4:string-limit': 'bounded by the gateway body limit',
    };
    const result = audit(d, only('owasp:api4:string-limit'));
    assert.deepEqual(result.findings, []);
    assert.equal(result.ignored.length, 1);
    assert.equal(result.ignored[0]!.reason, 'bounded by the gateway body limit');
  });

  it('honours the list form on an operation and at the root', () => {
    const d = clean();
    delete d['security'];
    d['paths']['/items'].get['x-bulwark-ignore'] = [
      { rule: 'owasp:api2:read-restricted', reason: 'public catalogue' },
    ];
    d['x-bulwark-ignore'] = { 'owasp:api2:read-restricted': 'public API' };
    const result = audit(d, only('owasp:api2:read-restricted'));
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.ignored.map((i) => i.reason).sort(), [
      'public API',
      'public catalogue',
    ]);
  });

  it('does not honour an ignore without a reason, and says so', () => {
    const d = withUnbounded();
    d['components'].schemas.Item.properties.name['x-bulwark-ignore'] = ['owasp:api4:string-limit'];
    const result = audit(d, only('owasp:api4:string-limit'));
    assert.equal(result.findings.length, 1);
    assert.equal(result.ignoreProblems.length, 1);
    assert.match(result.ignoreProblems[0]!.message, /no reason/);
  });

  it('rejects an ignore naming something that is not a rule id', () => {
    const d = clean();
    d['x-bulwark-ignore'] = { 'not-a-rule': 'because' };
    assert.match(audit(d).ignoreProblems[0]!.message, /not a rule id/);
  });

  it('turns rules off and overrides severities from the config', () => {
    const d = withUnbounded();
    assert.deepEqual(audit(d, { overrides: { 'owasp:api4:string-limit': 'off' } }).findings, []);
    const raised = audit(d, { overrides: { 'owasp:api4:string-limit': 'critical' } }).findings;
    assert.deepEqual(
      raised.map((f) => [f.id, f.severity]),
      [['owasp:api4:string-limit', 'critical']],
    );
  });

  it('reports a rule that throws as a failure and keeps the other rules running', () => {
    const model = parseSpecText(JSON.stringify(withUnbounded()), 'spec.json');
    const boom = {
      ...rules[0]!,
      id: 'owasp:api1:boom',
      run: () => {
        throw new Error('bug');
      },
    };
    const stringLimit = rules.find((r) => r.id === 'owasp:api4:string-limit')!;
    const result = auditModel(model, { rules: [boom, stringLimit] });
    assert.deepEqual(result.failures, [{ rule: 'owasp:api1:boom', message: 'bug' }]);
    assert.equal(result.findings.length, 1);
  });
});
