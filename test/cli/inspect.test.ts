// `bulwark inspect` end to end: the acceptance list of malformed inputs each exit 2 with one coded line
// that has a location, and no stack trace.
import assert from 'node:assert/strict';
import { open, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, after, test } from 'node:test';
import { runCli } from '../helpers/cli.js';

const SPECS = 'test/fixtures/specs';
let dir = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulwark-inspect-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function assertOneCodedLine(stderr: string, code: string, where: RegExp): void {
  const lines = stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0] ?? '', new RegExp(`^bulwark: ${where.source}: ${code}: `));
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
}

test('inspect prints version, title, operations with security and deprecation', async () => {
  const { code, stdout, stderr } = await runCli(['inspect', `${SPECS}/oas30-full.yaml`]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^Pet Store 3\.0 1\.2\.3$/m);
  assert.match(stdout, /^format: +openapi-3\.0 \(3\.0\.3\)$/m);
  assert.match(stdout, /^operations: 6 \(1 deprecated\)$/m);
  assert.match(
    stdout,
    /^ {2}PUT \/pets\/\{petId\} +oauth\(pets:write pets:read\) \+ apiKeyHeader \| basicAuth {2}\[deprecated\]$/m,
  );
  assert.match(stdout, /^ {2}GET \/public\/status +public$/m);
  assert.match(stdout, /^ {2}GET \/anon +anonymous \| apiKeyQuery$/m);
});

test('inspect --format json', async () => {
  const { code, stdout } = await runCli([
    'inspect',
    `${SPECS}/swagger20-full.yaml`,
    '--format',
    'json',
  ]);
  assert.equal(code, 0);
  const out = JSON.parse(stdout) as {
    version: string;
    servers: string[];
    operations: { key: string; security: unknown; location: string }[];
  };
  assert.equal(out.version, 'swagger-2.0');
  assert.deepEqual(out.servers, ['https://api.example.com/v2', 'http://api.example.com/v2']);
  const upload = out.operations.find((o) => o.key === 'POST /pets/{petId}/photo');
  assert.deepEqual(upload?.security, []);
  assert.match(upload?.location ?? '', /swagger20-full\.yaml:\d+:5$/);
});

test('usage errors: no spec, two specs, unknown format', async () => {
  const none = await runCli(['inspect']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /BULWARK_ERR_USAGE/);
  const two = await runCli(['inspect', 'a.yaml', 'b.yaml']);
  assert.equal(two.code, 2);
  const format = await runCli(['inspect', `${SPECS}/oas30-full.yaml`, '--format', 'xml']);
  assert.equal(format.code, 2);
  assert.match(format.stderr, /BULWARK_ERR_REPORT_FORMAT/);
});

test('broken YAML: exit 2, SPEC_PARSE at file:line:col', async () => {
  const { code, stdout, stderr } = await runCli(['inspect', `${SPECS}/bad/broken.yaml`]);
  assert.equal(code, 2);
  assert.equal(stdout, '');
  assertOneCodedLine(
    stderr,
    'BULWARK_ERR_SPEC_PARSE',
    /test\/fixtures\/specs\/bad\/broken\.yaml:3:10/,
  );
});

test('dangling $ref: exit 2, REF_UNRESOLVED at the $ref', async () => {
  const { code, stderr } = await runCli(['inspect', `${SPECS}/bad/dangling-ref.yaml`]);
  assert.equal(code, 2);
  assertOneCodedLine(
    stderr,
    'BULWARK_ERR_REF_UNRESOLVED',
    /test\/fixtures\/specs\/bad\/dangling-ref\.yaml:12:17/,
  );
});

test('$ref cycle: exit 2, REF_CYCLE at the $ref', async () => {
  const { code, stderr } = await runCli(['inspect', `${SPECS}/bad/ref-cycle.yaml`]);
  assert.equal(code, 2);
  assertOneCodedLine(
    stderr,
    'BULWARK_ERR_REF_CYCLE',
    /test\/fixtures\/specs\/bad\/ref-cycle\.yaml:7:7/,
  );
});

test('0-byte file: exit 2, SPEC_EMPTY naming the file', async () => {
  const file = join(dir, 'empty.yaml');
  await writeFile(file, '');
  const { code, stderr } = await runCli(['inspect', file]);
  assert.equal(code, 2);
  assertOneCodedLine(stderr, 'BULWARK_ERR_SPEC_EMPTY', /\S*empty\.yaml/);
});

test('binary file: exit 2, SPEC_BINARY with the position of the first bad byte', async () => {
  const file = join(dir, 'binary.yaml');
  await writeFile(file, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0xff, 0xfe]));
  const { code, stderr } = await runCli(['inspect', file]);
  assert.equal(code, 2);
  assertOneCodedLine(stderr, 'BULWARK_ERR_SPEC_BINARY', /\S*binary\.yaml:1:8/);
});

test('50 MB file: exit 2, SPEC_TOO_LARGE naming the file but not the cap', async () => {
  const file = join(dir, 'huge.yaml');
  const handle = await open(file, 'w');
  try {
    await handle.write('openapi: 3.0.0\ninfo: {title: huge, version: "1"}\npaths: {}\nx-pad:\n');
    const row = `  - "${'a'.repeat(1000)}"\n`.repeat(1000);
    for (let i = 0; i < 50; i++) await handle.write(row);
  } finally {
    await handle.close();
  }
  const { code, stderr } = await runCli(['inspect', file]);
  assert.equal(code, 2);
  assertOneCodedLine(stderr, 'BULWARK_ERR_SPEC_TOO_LARGE', /\S*huge\.yaml/);
  const message = stderr.split(': BULWARK_ERR_SPEC_TOO_LARGE: ')[1] ?? '';
  assert.match(message, /too large/);
  assert.doesNotMatch(message, /\d/, 'the cap is not revealed');
});

test('a missing file: exit 2, SPEC_READ; --debug adds the cause chain', async () => {
  const plain = await runCli(['inspect', join(dir, 'missing.yaml')]);
  assert.equal(plain.code, 2);
  assertOneCodedLine(plain.stderr, 'BULWARK_ERR_SPEC_READ', /\S*missing\.yaml/);
  const debug = await runCli(['inspect', join(dir, 'missing.yaml'), '--debug']);
  assert.equal(debug.code, 2);
  assert.match(debug.stderr, /ENOENT/);
});
