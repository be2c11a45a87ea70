import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Finding } from '../../src/core/finding.js';
import { renderSarif, SARIF_LEVEL, SECURITY_SEVERITY } from '../../src/report/sarif.js';
import { ALL, SECRET_TOKEN, basicAuth, bola, corsWildcard, lowInventory, meta } from './sample.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const schemaPath = new URL('../fixtures/reports/sarif-schema-2.1.0.json', import.meta.url);
// The official schema (draft-07, Ajv's default). strict: false because the standard uses
// `anyOf: [{ required: [...] }]` constructs that Ajv's own strict mode flags although they are valid.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);

interface Region {
  startLine?: number;
  startColumn?: number;
}

function regions(value: unknown, out: Region[] = []): Region[] {
  if (Array.isArray(value)) for (const item of value) regions(item, out);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'region') out.push(child as Region);
      regions(child, out);
    }
  }
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function render(findings: readonly Finding[] = ALL, overrides = {}): Json {
  return JSON.parse(renderSarif(findings, meta(overrides)));
}

test('the schema fixture is the official SARIF 2.1.0 schema and rejects a 0 line', () => {
  assert.equal(validate({ version: '2.1.0', runs: [] }), true);
  const bad = {
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'x' } },
        results: [
          {
            message: { text: 'm' },
            locations: [
              { physicalLocation: { artifactLocation: { uri: 'a' }, region: { startLine: 0 } } },
            ],
          },
        ],
      },
    ],
  };
  assert.equal(validate(bad), false, 'a validator that accepts startLine 0 proves nothing');
});

test('SARIF output validates against the official SARIF 2.1.0 schema', () => {
  for (const findings of [ALL, [], [lowInventory]]) {
    const log = render(findings);
    assert.equal(validate(log), true, ajv.errorsText(validate.errors));
  }
  const partial = render(ALL, {
    partial: true,
    score: { overall: 71, categories: { 'API1:2023': 40 } },
  });
  assert.equal(validate(partial), true, ajv.errorsText(validate.errors));
  assert.equal(partial.runs[0].invocations[0].executionSuccessful, false);
});

test('a relative help link stays out of helpUri (which must be absolute) and the log stays valid', () => {
  const base = meta();
  const rule = {
    ...(base.rules?.[0] as NonNullable<typeof base.rules>[number]),
    helpUri: 'docs/audit/rules.md#x',
  };
  const log = render(ALL, { rules: [rule] });
  assert.equal(validate(log), true, ajv.errorsText(validate.errors));
  assert.equal(log.runs[0].tool.driver.rules[0].helpUri, undefined);
  assert.equal(log.runs[0].tool.driver.rules[0].properties.helpPath, 'docs/audit/rules.md#x');
});

test('no region anywhere has a line or column below 1, even when a finding says 0', () => {
  const all = regions(render());
  assert.ok(all.length >= 3);
  for (const region of all) {
    assert.ok(
      (region.startLine ?? 1) >= 1 && (region.startColumn ?? 1) >= 1,
      JSON.stringify(region),
    );
  }
  const log = render([basicAuth]);
  assert.deepEqual(log.runs[0].results[0].locations[0].physicalLocation.region, {
    startLine: 1,
    startColumn: 1,
  });
});

test('rules carry descriptions, help, CWE and OWASP tags, level and security-severity', () => {
  const log = render();
  const rules: Json[] = log.runs[0].tool.driver.rules;
  assert.equal(
    rules[0].id,
    'owasp:api4:unbounded-array',
    'rules from meta come first, findings or not',
  );
  assert.equal(rules[0].helpUri, 'https://example.test/rules/unbounded-array');
  assert.equal(new Set(rules.map((r) => r.id)).size, rules.length);
  const bolaRule = rules.find((r) => r.id === bola.id);
  assert.equal(bolaRule.name, 'BolaRead');
  assert.equal(bolaRule.shortDescription.text, bola.title);
  assert.equal(bolaRule.help.text, bola.remediation);
  assert.equal(bolaRule.defaultConfiguration.level, 'error');
  assert.deepEqual(bolaRule.properties.tags, [
    'security',
    'OWASP-API1:2023',
    'external/cwe/cwe-639',
  ]);
  assert.equal(bolaRule.properties['security-severity'], '9.5');
});

test('results point at their rule by id and index, with the mapped level', () => {
  const log = render();
  const { rules } = log.runs[0].tool.driver;
  for (const result of log.runs[0].results as Json[]) {
    assert.equal(rules[result.ruleIndex].id, result.ruleId);
    assert.ok(['error', 'warning', 'note'].includes(result.level));
    assert.ok(result.partialFingerprints['bulwarkFinding/v1'].startsWith(result.ruleId));
  }
  const byId = new Map((log.runs[0].results as Json[]).map((r) => [r.ruleId, r]));
  assert.equal(byId.get(corsWildcard.id).level, SARIF_LEVEL.medium);
  assert.equal(byId.get(corsWildcard.id).properties['security-severity'], SECURITY_SEVERITY.medium);
  assert.equal(byId.get('scan:api8:server-banner').level, 'note');
  assert.equal(byId.get('scan:api8:server-banner').properties['security-severity'], undefined);
});

test('spec files inside the base directory are relative to %SRCROOT%; others are absolute URIs', () => {
  const log = render();
  assert.deepEqual(log.runs[0].originalUriBaseIds['%SRCROOT%'], { uri: 'file:///work/project/' });
  const result = (log.runs[0].results as Json[]).find((r) => r.ruleId === bola.id);
  assert.deepEqual(result.locations[0].physicalLocation, {
    artifactLocation: { uri: 'specs/lab.yaml', uriBaseId: '%SRCROOT%' },
    region: { startLine: 41, startColumn: 7 },
  });
  assert.deepEqual(result.locations[0].logicalLocations[0], {
    name: 'GET /documents/{id}',
    fullyQualifiedName: 'GET /documents/{id}',
    kind: 'function',
  });
  const basic = (log.runs[0].results as Json[]).find((r) => r.ruleId === basicAuth.id);
  assert.equal(
    basic.relatedLocations[1].physicalLocation.artifactLocation.uri,
    'file:///elsewhere/other.yaml',
  );
  const remote = (log.runs[0].results as Json[]).find((r) => r.ruleId === lowInventory.id);
  assert.deepEqual(remote.locations[0].physicalLocation.artifactLocation, {
    uri: 'https://example.test/openapi.json',
  });
});

test('paths with spaces and unicode become valid URI references', () => {
  const finding: Finding = {
    ...lowInventory,
    location: { spec: { file: 'my specs/ä #1.yaml', line: 2, column: 3, pointer: '/a' } },
  };
  const log = render([finding]);
  assert.equal(
    log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri,
    'my%20specs/%C3%A4%20%231.yaml',
  );
  assert.equal(validate(log), true, ajv.errorsText(validate.errors));
});

test('HTTP evidence goes into webRequest/webResponse with secrets redacted', () => {
  const text = renderSarif(ALL, meta());
  assert.doesNotMatch(text, new RegExp(SECRET_TOKEN.slice(0, 20)));
  assert.doesNotMatch(text, /hunter2|leaky/);
  const result = (JSON.parse(text).runs[0].results as Json[]).find((r) => r.ruleId === bola.id);
  assert.equal(result.webRequest.method, 'GET');
  assert.equal(result.webRequest.headers.Authorization, 'Bearer [REDACTED]');
  assert.equal(result.webResponse.statusCode, 200);
  assert.match(result.properties.curl, /^curl /);
});

test('related locations are capped at 1,000 per result (the GitHub limit)', () => {
  const related = Array.from({ length: 1500 }, (_, i) => ({ operation: `GET /r${i}` }));
  const log = render([{ ...basicAuth, related }]);
  assert.equal(log.runs[0].results[0].relatedLocations.length, 1000);
  assert.equal(validate(log), true, ajv.errorsText(validate.errors));
});
