// End to end: `bulwark audit` writes each report format through the CLI, and the files satisfy the
// same contracts as the renderers (official SARIF schema, JSON report schema, colour rules). This
// catches wiring mistakes the renderer tests cannot see, such as rule metadata a schema rejects.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { runCli } from '../helpers/cli.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv | Ajv2020) => Ajv | Ajv2020;
const SPEC = 'examples/lab/openapi.yaml';
const dir = mkdtempSync(join(tmpdir(), 'bulwark-cli-report-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

test('bulwark audit --format sarif writes a log valid against the official SARIF 2.1.0 schema', async () => {
  const output = join(dir, 'nested', 'audit.sarif');
  const run = await runCli([
    'audit',
    SPEC,
    '--format',
    'sarif',
    '--output',
    output,
    '--fail-on',
    'none',
  ]);
  assert.equal(run.code, 0, run.stderr);
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(
    readJson(
      new URL('../fixtures/reports/sarif-schema-2.1.0.json', import.meta.url).pathname,
    ) as object,
  );
  const log: Json = readJson(output);
  assert.equal(validate(log), true, ajv.errorsText(validate.errors));
  const results: Json[] = log.runs[0].results;
  assert.ok(results.length > 0, 'the lab spec has findings');
  const located = results.filter((r) => r.locations?.[0]?.physicalLocation?.region);
  assert.ok(located.length > 0);
  for (const result of located) {
    const { artifactLocation, region } = result.locations[0].physicalLocation;
    assert.deepEqual(artifactLocation, { uri: SPEC, uriBaseId: '%SRCROOT%' });
    assert.ok(region.startLine >= 1 && region.startColumn >= 1);
  }
});

test('bulwark audit --format json writes a report valid against schema/report.schema.json', async () => {
  const output = join(dir, 'audit.json');
  const run = await runCli([
    'audit',
    SPEC,
    '--format',
    'json',
    '--output',
    output,
    '--fail-on',
    'none',
  ]);
  assert.equal(run.code, 0, run.stderr);
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(
    readJson(new URL('../../schema/report.schema.json', import.meta.url).pathname) as object,
  );
  const report: Json = readJson(output);
  assert.equal(validate(report), true, ajv.errorsText(validate.errors));
  assert.equal(report.command, 'audit');
  assert.equal(typeof report.score.overall, 'number');
});

test('text output has colour only when forced, and none under NO_COLOR or when piped', async () => {
  const plain = await runCli(['audit', SPEC, '--fail-on', 'none']);
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /^bulwark audit: \d+ findings/);
  assert.equal(plain.stdout.includes('\u001b['), false);
  const forced = await runCli(['audit', SPEC, '--fail-on', 'none'], {
    env: { NO_COLOR: '', FORCE_COLOR: '1' },
  });
  assert.equal(forced.stdout.includes('\u001b['), true);
});

test('an unknown --format exits 2 with BULWARK_ERR_REPORT_FORMAT and a suggestion', async () => {
  const run = await runCli(['audit', SPEC, '--format', 'sarfi']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /BULWARK_ERR_REPORT_FORMAT/);
  assert.match(run.stderr, /did you mean 'sarif'\?/);
});
