import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { after, test } from 'node:test';
import { BulwarkError } from '../../src/core/errors.js';
import {
  REPORT_FORMATS,
  REPORT_RENDERERS,
  getRenderer,
  renderReport,
  writeReport,
} from '../../src/report/index.js';
import { ALL, meta } from './sample.js';

const dir = mkdtempSync(join(tmpdir(), 'bulwark-report-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function isCode(code: string, hint?: string) {
  return (error: unknown) =>
    error instanceof BulwarkError &&
    error.code === code &&
    (hint === undefined || error.hint === hint);
}

test('the registry holds the six formats once each, with extension and media type', () => {
  assert.deepEqual([...REPORT_FORMATS].sort(), ['html', 'json', 'junit', 'md', 'sarif', 'text']);
  assert.equal(new Set(REPORT_RENDERERS.map((r) => r.extension)).size, REPORT_RENDERERS.length);
  for (const renderer of REPORT_RENDERERS) {
    assert.ok(renderer.mediaType.includes('/'));
    const out = renderer.render(ALL, meta());
    assert.ok(out.endsWith('\n'), `${renderer.name} ends with a newline`);
    assert.ok(out.length > 100);
  }
});

test('renderReport dispatches by name', () => {
  assert.equal(JSON.parse(renderReport('json', ALL, meta())).version, '1');
  assert.match(renderReport('sarif', ALL, meta()), /"version": "2\.1\.0"/);
});

test('an unknown format is BULWARK_ERR_REPORT_FORMAT with a did-you-mean hint', () => {
  assert.throws(
    () => renderReport('sarfi', ALL, meta()),
    isCode('BULWARK_ERR_REPORT_FORMAT', "did you mean 'sarif'?"),
  );
  assert.throws(() => renderReport('pdf', ALL, meta()), isCode('BULWARK_ERR_REPORT_FORMAT'));
  assert.throws(() => getRenderer(''), isCode('BULWARK_ERR_REPORT_FORMAT'));
});

test('a format the command does not offer is refused like an unknown one', () => {
  assert.throws(
    () => renderReport('junit', ALL, meta(), ['text', 'json']),
    isCode('BULWARK_ERR_REPORT_FORMAT'),
  );
  assert.equal(getRenderer('json', ['text', 'json']).name, 'json');
});

test('writeReport creates parent directories and writes the file', async () => {
  await writeReport('hello\n', {
    output: 'nested/deeper/report.json',
    cwd: dir,
    stdout: new PassThrough(),
  });
  assert.equal(readFileSync(join(dir, 'nested/deeper/report.json'), 'utf8'), 'hello\n');
});

test('writeReport writes to stdout without --output or with -', async () => {
  for (const output of [undefined, '-']) {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    await writeReport('to stdout\n', { output, stdout });
    assert.equal(Buffer.concat(chunks).toString(), 'to stdout\n');
  }
});

test('writeReport failures are BULWARK_ERR_IO naming the path, with the OS error as cause', async () => {
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  await assert.rejects(
    writeReport('x', { output: join(file, 'under-a-file.json'), stdout: new PassThrough() }),
    (error: unknown) =>
      isCode('BULWARK_ERR_IO')(error) &&
      (error as BulwarkError).message.includes('under-a-file.json') &&
      (error as BulwarkError).cause instanceof Error,
  );
  await assert.rejects(
    writeReport('x', { output: dir, stdout: new PassThrough() }),
    isCode('BULWARK_ERR_IO'),
  );
  const broken = new Writable({ write: (_chunk, _encoding, done) => done(new Error('EPIPE')) });
  broken.on('error', () => undefined);
  await assert.rejects(writeReport('x', { stdout: broken }), isCode('BULWARK_ERR_IO'));
});

test('a target URL with credentials is redacted in every format', () => {
  for (const format of REPORT_FORMATS) {
    const out = renderReport(
      format,
      ALL,
      meta({ target: 'http://admin:s3cret@127.0.0.1:8081/?api_key=k3y' }),
    );
    assert.doesNotMatch(out, /s3cret|k3y/, format);
  }
});
