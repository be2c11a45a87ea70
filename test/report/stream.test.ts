import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { after, test } from 'node:test';
import { BulwarkError } from '../../src/core/errors.js';
import type { Finding } from '../../src/core/finding.js';
import { renderReport } from '../../src/report/index.js';
import { renderJson, renderJsonChunks } from '../../src/report/json.js';
import { renderReportChunks, writeReportChunks } from '../../src/report/stream.js';
import { ALL, meta } from './sample.js';

const dir = mkdtempSync(join(tmpdir(), 'bulwark-stream-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function isIo(error: unknown): boolean {
  return error instanceof BulwarkError && error.code === 'BULWARK_ERR_IO';
}

/** `count` findings, each with its own pointer (so all survive sorting as distinct entries). */
function many(count: number): Finding[] {
  const { fingerprint: _fingerprint, ...base } = ALL[2] as Finding;
  return Array.from({ length: count }, (_, i) => ({
    ...base,
    message: `finding ${i}\nwith a line break and "quotes"`,
    location: {
      spec: { file: 'a.yaml', line: i + 1, column: 3, pointer: `/paths/~1p${i}/get` },
      operation: `GET /p${i}`,
    },
  }));
}

test('the streamed JSON report is byte for byte the JSON.stringify layout, in several chunks', () => {
  for (const findings of [[], ALL, many(1234)]) {
    const chunks = [...renderJsonChunks(findings, meta())];
    const text = chunks.join('');
    assert.equal(text, `${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    assert.equal(text, renderJson(findings, meta()));
    assert.equal(JSON.parse(text).findings.length, findings.length);
    if (findings.length > 1000) assert.ok(chunks.length >= 20, `${chunks.length} chunks`);
  }
});

test('renderReportChunks streams JSON and renders other formats whole, refusing unknown ones', () => {
  assert.equal(
    [...renderReportChunks('json', ALL, meta())].join(''),
    renderReport('json', ALL, meta()),
  );
  assert.deepEqual([...renderReportChunks('md', ALL, meta())], [renderReport('md', ALL, meta())]);
  assert.throws(
    () => renderReportChunks('json', ALL, meta(), ['text']),
    (e: unknown) => e instanceof BulwarkError && e.code === 'BULWARK_ERR_REPORT_FORMAT',
  );
  assert.throws(() => renderReportChunks('yaml', ALL, meta()), BulwarkError);
});

test('writeReportChunks writes a file (creating directories) and stdout, waiting for drain', async () => {
  const chunks = [...renderJsonChunks(many(1500), meta())];
  await writeReportChunks(chunks, {
    output: 'nested/deeper/report.json',
    cwd: dir,
    stdout: new PassThrough(),
  });
  assert.equal(readFileSync(join(dir, 'nested/deeper/report.json'), 'utf8'), chunks.join(''));

  // A slow consumer with a tiny buffer: every write fills it, so the writer must wait for 'drain'.
  const received: string[] = [];
  let pending = 0;
  const slow = new Writable({
    highWaterMark: 16,
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      received.push(chunk);
      pending++;
      setImmediate(() => {
        pending--;
        done();
      });
    },
  });
  for (const output of [undefined, '-']) {
    received.length = 0;
    await writeReportChunks(['a', 'b', 'c'], { output, stdout: slow });
    assert.equal(received.join(''), 'abc');
    assert.equal(pending, 0);
  }
});

test('writeReportChunks failures are BULWARK_ERR_IO naming the path, with the OS error as cause', async () => {
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  await assert.rejects(
    writeReportChunks(['x'], {
      output: join(file, 'under-a-file.json'),
      stdout: new PassThrough(),
    }),
    (error: unknown) =>
      isIo(error) &&
      (error as BulwarkError).message.includes('under-a-file.json') &&
      (error as BulwarkError).cause instanceof Error,
  );
  await assert.rejects(writeReportChunks(['x'], { output: dir, stdout: new PassThrough() }), isIo);
  const broken = new Writable({ write: (_chunk, _encoding, done) => done(new Error('EPIPE')) });
  broken.on('error', () => undefined);
  await assert.rejects(writeReportChunks(['x', 'y'], { stdout: broken }), isIo);
});
