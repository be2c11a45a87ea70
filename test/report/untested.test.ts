// Operations a scan could not test (the target throttled them) are neither passes nor findings: every
// format lists them apart, and JUnit shows them as skipped cases, never as passing ones.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/md.js';
import { renderSarif } from '../../src/report/sarif.js';
import { renderText } from '../../src/report/text.js';
import type { UntestedOperation } from '../../src/report/types.js';
import { ALL, XSS, meta } from './sample.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv | Ajv2020) => Ajv | Ajv2020;
const read = (path: string): object =>
  JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as object;

const untested: UntestedOperation[] = [
  { check: 'scan:api1:bola-read', operation: 'GET /documents/{documentId}', reason: 'throttled' },
  { check: 'discovery', operation: `POST /x/${XSS}`, reason: 'throttled' },
];
const withUntested = meta({ command: 'scan', untested });

test('JSON lists untested operations and still validates against the report schema', () => {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(read('../../schema/report.schema.json'));
  const report = JSON.parse(renderJson(ALL, withUntested)) as { untested?: unknown };
  assert.ok(validate(report), JSON.stringify(validate.errors));
  assert.deepEqual(report.untested, untested);
  const plain = JSON.parse(renderJson(ALL, meta({ command: 'scan' }))) as object;
  assert.equal('untested' in plain, false, 'absent when every operation was tested');
});

test('SARIF carries them as tool execution notifications and stays valid SARIF 2.1.0', () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(read('../fixtures/reports/sarif-schema-2.1.0.json'));
  const log = JSON.parse(renderSarif(ALL, withUntested)) as {
    runs: { invocations: { toolExecutionNotifications?: { descriptor: { id: string } }[] }[] }[];
  };
  assert.ok(validate(log), JSON.stringify(validate.errors));
  const notes = log.runs[0]?.invocations[0]?.toolExecutionNotifications ?? [];
  assert.deepEqual(
    notes.map((n) => n.descriptor.id),
    ['scan:api1:bola-read', 'discovery'],
  );
});

test('JUnit shows each untested operation as a skipped case, counted in the totals', () => {
  const xml = renderJunit(ALL, withUntested);
  assert.match(
    xml,
    /<testsuite name="not tested \(throttled\)" tests="2" failures="0" errors="0" skipped="2"/,
  );
  assert.equal((xml.match(/<skipped /g) ?? []).length, 2);
  const plainTests = Number(/<testsuites [^>]*tests="(\d+)"/.exec(renderJunit(ALL, meta()))?.[1]);
  const tests = Number(/<testsuites [^>]*tests="(\d+)"/.exec(xml)?.[1]);
  assert.equal(tests, plainTests + 2);
  assert.ok(!xml.includes('<img'), 'operation names are escaped');
});

test('text, Markdown and HTML say which operations were not tested, escaped', () => {
  const text = renderText(ALL, withUntested);
  assert.match(text, /Not tested: 2 operations, throttled by the target/);
  assert.match(text, /GET \/documents\/\{documentId\}: scan:api1:bola-read could not test it/);
  assert.match(renderMarkdown(ALL, withUntested), /\*\*Not tested:\*\* 2 operations/);
  const html = renderHtml(ALL, withUntested);
  assert.match(html, /<strong>Not tested:<\/strong> 2 operations/);
  assert.ok(!html.includes(XSS), 'the hostile operation name is escaped');
});
