import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import addFormatsModule from 'ajv-formats';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { REPORT_SCHEMA_ID, REPORT_VERSION, renderJson } from '../../src/report/json.js';
import { ALL, SECRET_TOKEN, basicAuth, bola, meta } from './sample.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const schema = JSON.parse(
  readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8'),
) as { $id: string };
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

test('the JSON report validates against schema/report.schema.json', () => {
  for (const report of [
    renderJson(ALL, meta()),
    renderJson([], meta({ command: 'audit', sources: ['a.yaml', 'b.json'] })),
    renderJson(
      ALL,
      meta({
        score: { overall: 64.5, categories: { 'API2:2023': 10, 'API8:2023': 100 } },
        partial: true,
      }),
    ),
  ]) {
    assert.equal(validate(JSON.parse(report)), true, ajv.errorsText(validate.errors));
  }
});

test('the schema has teeth: wrong version, unknown fields and 0 lines are rejected', () => {
  const good: Json = JSON.parse(renderJson(ALL, meta()));
  for (const mutate of [
    (r: Json) => (r.version = 2),
    (r: Json) => (r.extra = true),
    (r: Json) => (r.findings[0].owasp = 'API11:2023'),
    (r: Json) => (r.findings[0].location.spec = { file: 'a', line: 0, column: 1, pointer: '' }),
    (r: Json) => delete r.findings[0].fingerprint,
    (r: Json) => (r.summary.byCategory['API0:2023'] = 1),
  ]) {
    const copy = structuredClone(good);
    mutate(copy);
    assert.equal(validate(copy), false, mutate.toString());
  }
});

test('the report is versioned, self-describing and counts findings', () => {
  const report: Json = JSON.parse(renderJson(ALL, meta()));
  assert.equal(report.$schema, schema.$id);
  assert.equal(report.$schema, REPORT_SCHEMA_ID);
  assert.equal(report.version, REPORT_VERSION);
  assert.equal(report.summary.total, ALL.length);
  assert.equal(report.summary.bySeverity.critical, 1);
  assert.deepEqual(report.summary.counters, { operations: 12, requests: 340 });
  assert.deepEqual(
    report.findings.map((f: Json) => f.severity),
    ['critical', 'high', 'medium', 'low', 'info'],
  );
});

test('findings keep their data, gain a fingerprint and a curl line, and lose their secrets', () => {
  const text = renderJson(ALL, meta());
  assert.doesNotMatch(text, new RegExp(SECRET_TOKEN.slice(0, 20)));
  assert.doesNotMatch(text, /hunter2|leaky/);
  const report: Json = JSON.parse(text);
  const first = report.findings[0];
  assert.equal(first.id, bola.id);
  assert.equal(first.fingerprint, 'scan:api1:bola-read@/paths/~1documents~1{id}/get');
  assert.equal(first.location.url, 'http://127.0.0.1:8081/documents/42?access_token=[REDACTED]');
  assert.equal(first.evidence.exchanges[0].request.headers.Authorization, 'Bearer [REDACTED]');
  assert.match(first.evidence.curl, /^curl .*'Authorization: Bearer \[REDACTED\]'/);
  const basic = report.findings.find((f: Json) => f.id === basicAuth.id);
  assert.deepEqual(basic.location.spec, {
    file: 'specs/lab.yaml',
    line: 1,
    column: 1,
    pointer: '/components/securitySchemes/basic',
  });
  assert.equal(basic.related.length, 2);
});
