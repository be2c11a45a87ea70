// `bulwark audit` as a user runs it: exit codes, formats, bad input, baselines and config.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, before, after } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { clean } from '../audit/fixtures.js';

let dir = '';
const path = (name: string) => join(dir, name);

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'bulwark-cli-audit-'));
  writeFileSync(path('clean.json'), JSON.stringify(clean(), null, 2));
  const weak = clean();
  weak['components'].securitySchemes.basic = { type: 'http', scheme: 'basic' };
  delete weak['components'].schemas.Item.properties.name.maxLength;
  writeFileSync(path('weak.json'), JSON.stringify(weak, null, 2));
  writeFileSync(path('broken.yaml'), 'openapi: 3.0.3\ninfo: [\n');
  mkdirSync(path('dir'));
  writeFileSync(path('dir/api.json'), JSON.stringify(weak, null, 2));
  writeFileSync(path('dir/notes.json'), '[1, 2, 3]');
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('bulwark audit (CLI)', () => {
  it('exits 0 on a clean description and shows the score', async () => {
    const r = await runCli(['audit', path('clean.json')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Score:\s+100\/100/);
  });

  it('exits 1 when findings reach --fail-on, 0 with --fail-on none', async () => {
    const r = await runCli(['audit', path('weak.json')]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /owasp:api2:no-http-basic/);
    assert.match(r.stdout, /weak\.json:\d+:\d+/);
    assert.equal((await runCli(['audit', path('weak.json'), '--fail-on', 'none'])).code, 0);
    assert.equal((await runCli(['audit', path('weak.json'), '--fail-on', 'critical'])).code, 0);
  });

  it('writes JSON and SARIF with real line numbers', async () => {
    const json = await runCli(['audit', path('weak.json'), '-f', 'json', '--fail-on', 'none']);
    const report = JSON.parse(json.stdout) as {
      findings: { id: string; location: { spec: { line: number } } }[];
    };
    assert.ok(report.findings.some((f) => f.id === 'owasp:api4:string-limit'));
    assert.ok(report.findings.every((f) => f.location.spec.line >= 1));
    const out = path('report.sarif');
    const sarif = await runCli(['audit', path('weak.json'), '-f', 'sarif', '-o', out]);
    assert.equal(sarif.code, 1);
    const log = JSON.parse(readFileSync(out, 'utf8')) as {
      runs: {
        results: { locations: { physicalLocation: { region: { startLine: number } } }[] }[];
      }[];
    };
    const results = log.runs[0]!.results;
    assert.ok(results.length > 0);
    for (const result of results)
      assert.ok(result.locations[0]!.physicalLocation.region.startLine >= 1);
  });

  it('shows the score in the HTML report too', async () => {
    const r = await runCli(['audit', path('weak.json'), '-f', 'html', '--fail-on', 'none']);
    assert.equal(r.code, 0, r.stderr);
    const score = /data-score="(\d+)"/.exec(r.stdout);
    assert.ok(score, 'no score in the HTML report');
    assert.ok(Number(score[1]) < 100);
  });

  it('reports a broken description in one coded line, no stack, exit 2', async () => {
    const r = await runCli(['audit', path('broken.yaml')]);
    assert.equal(r.code, 2);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /broken\.yaml:\d+:\d+: BULWARK_ERR_SPEC_PARSE/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(r.stdout, '');
  });

  it('exits 2 on usage errors: no spec, missing file, unknown format, bad --jobs', async () => {
    for (const args of [
      ['audit'],
      ['audit', path('missing.yaml')],
      ['audit', path('clean.json'), '--format', 'pdf'],
      ['audit', path('clean.json'), '--jobs', 'many'],
      ['audit', path('clean.json'), '--fail-on', 'severe'],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /BULWARK_ERR_/);
    }
  });

  it('audits a directory in one run, skipping JSON that is not an API description', async () => {
    const r = await runCli(['audit', path('dir'), '-f', 'json', '--fail-on', 'none']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /skipped .*notes\.json: not an API description/);
    const report = JSON.parse(r.stdout) as { findings: unknown[] };
    assert.ok(report.findings.length > 0);
  });

  it('audits a glob of several specs in parallel, with results in a stable order', async () => {
    const glob = join(dir, '*.json');
    const r = await runCli(['audit', glob, '-f', 'json', '--fail-on', 'none', '--jobs', '2']);
    assert.equal(r.code, 0, r.stderr);
    const again = await runCli(['audit', glob, '-f', 'json', '--fail-on', 'none', '--jobs', '1']);
    const ids = (s: string) =>
      (JSON.parse(s) as { findings: { fingerprint: string }[] }).findings
        .map((f) => f.fingerprint)
        .sort();
    assert.deepEqual(ids(r.stdout), ids(again.stdout));
  });

  it('writes a baseline, then passes CI with it until a new finding appears', async () => {
    const baseline = path('baseline.json');
    const write = await runCli(['audit', path('weak.json'), '--write-baseline', baseline]);
    assert.equal(write.code, 0, write.stderr);
    const ok = await runCli(['audit', path('weak.json'), '--baseline', baseline]);
    assert.equal(ok.code, 0, ok.stdout);
    const worse = clean();
    worse['components'].securitySchemes.basic = { type: 'http', scheme: 'basic' };
    delete worse['components'].schemas.Item.properties.name.maxLength;
    worse['servers'][0].url = 'http://api.example.com';
    writeFileSync(path('weak.json'), JSON.stringify(worse, null, 2));
    const fail = await runCli(['audit', path('weak.json'), '--baseline', baseline]);
    assert.equal(fail.code, 1);
    assert.match(fail.stdout, /owasp:api8:no-server-http/);
    assert.doesNotMatch(fail.stdout, /owasp:api2:no-http-basic/);
    writeFileSync(path('bad-baseline.json'), '{}');
    const bad = await runCli(['audit', path('weak.json'), '--baseline', path('bad-baseline.json')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /BULWARK_ERR_BASELINE_INVALID/);
  });

  it('applies audit.rules from the config and lints the protect policy', async () => {
    writeFileSync(
      path('bulwark.yaml'),
      [
        'version: 1',
        'audit:',
        '  rules:',
        '    owasp:api2:no-http-basic: "off"',
        '    owasp:api4:string-limit: critical',
        'protect:',
        '  cors:',
        '    origins: ["*"]',
        '    credentials: true',
        '',
      ].join('\n'),
    );
    const r = await runCli(['audit', path('weak.json'), '-c', path('bulwark.yaml'), '-f', 'json']);
    const report = JSON.parse(r.stdout) as {
      findings: {
        id: string;
        severity: string;
        location: { spec: { file: string; line: number } };
      }[];
    };
    assert.ok(!report.findings.some((f) => f.id === 'owasp:api2:no-http-basic'));
    assert.ok(
      report.findings.some((f) => f.id === 'owasp:api4:string-limit' && f.severity === 'critical'),
    );
    const cors = report.findings.find((f) => f.id === 'owasp:api8:policy-cors-credentials');
    assert.ok(cors, r.stderr);
    assert.match(cors.location.spec.file, /bulwark\.yaml$/);
    assert.equal(cors.location.spec.line, 8);
    rmSync(path('bulwark.yaml'));
  });
});
