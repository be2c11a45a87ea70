// auditRun end to end in-process: URLs over loopback, mixed good and bad specs.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { auditRun } from '../../src/audit/index.js';
import { clean } from './fixtures.js';

describe('auditRun', () => {
  it('audits a description served over http (loopback)', async (t) => {
    const weak = clean();
    weak['components'].securitySchemes.basic = { type: 'http', scheme: 'basic' };
    const body = JSON.stringify(weak, null, 2);
    const server = createServer((req, res) => {
      if (req.url === '/openapi.json')
        res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      else res.writeHead(404).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    t.after(() => server.close());
    const { port } = server.address() as AddressInfo;
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-run-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const outcome = await auditRun({
      specs: [`http://127.0.0.1:${port}/openapi.json`],
      cwd: dir,
      jobs: 1,
    });
    assert.equal(outcome.errors, 0, outcome.notes.join('\n'));
    assert.ok(outcome.findings.some((f) => f.id === 'owasp:api2:no-http-basic'));
    const missing = await auditRun({
      specs: [`http://127.0.0.1:${port}/nope.json`],
      cwd: dir,
      jobs: 1,
    });
    assert.equal(missing.errors, 1);
    assert.match(missing.notes[0]!, /BULWARK_ERR_SPEC_READ/);
  });

  it('keeps auditing the good specs when one is broken, and counts the error', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-run-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const weak = clean();
    delete weak['components'].schemas.Item.properties.name.maxLength;
    writeFileSync(join(dir, 'a.json'), JSON.stringify(weak));
    writeFileSync(join(dir, 'b.yaml'), 'openapi: 3.0.3\npaths: {\n');
    const outcome = await auditRun({
      specs: [join(dir, 'a.json'), join(dir, 'b.yaml')],
      cwd: dir,
      jobs: 1,
    });
    assert.equal(outcome.errors, 1);
    assert.equal(outcome.sources.length, 1);
    assert.ok(outcome.findings.some((f) => f.id === 'owasp:api4:string-limit'));
    assert.ok(outcome.score.overall < 100);
  });
});
