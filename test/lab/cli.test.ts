// `bulwark lab` from the command line: the ready line other tools wait for, bad flags, clean stop.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';

const DEV_CLI = fileURLToPath(new URL('../../scripts/dev-cli.ts', import.meta.url));
const READY = /^lab \((vulnerable|secure)\) listening on http:\/\/127\.0\.0\.1:([0-9]+)\n$/;

test('bulwark lab --variant secure --port 0 prints the ready line, serves, and stops cleanly on SIGTERM', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'lab.sqlite');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', DEV_CLI, 'lab', '--variant', 'secure', '--port', '0', '--db', db],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (stdout.includes('\n')) resolve(stdout);
    });
    void exited.then(() => reject(new Error(`lab exited early: ${stderr}`)));
  });
  const match = READY.exec(line);
  assert.ok(match, `ready line: ${JSON.stringify(line)}`);
  assert.equal(match[1], 'secure');
  const port = Number(match[2]);
  assert.ok(port > 0);
  const reply = await fetch(`http://127.0.0.1:${port}/.well-known/jwks.json`);
  assert.equal(reply.status, 200);
  child.kill('SIGTERM');
  assert.equal(await exited, 0, stderr);
  assert.equal(stdout, line, 'exactly one line on stdout');
  assert.ok(existsSync(db), 'an explicit --db file is kept');
  await assert.rejects(fetch(`http://127.0.0.1:${port}/openapi.json`), 'the port is closed');
});

test('an unknown variant exits 2 with BULWARK_ERR_USAGE from the real CLI', async () => {
  const { code, stdout, stderr } = await runCli(['lab', '--variant', 'insecure', '--port', '0']);
  assert.equal(code, 2);
  assert.equal(stdout, '');
  assert.match(
    stderr,
    /^bulwark: BULWARK_ERR_USAGE: unknown --variant 'insecure' \(use vulnerable or secure\)\n$/,
  );
});

/** Runs the CLI in-process (same code path as bin/bulwark.js) and collects its output. */
async function mainCapture(args: readonly string[]) {
  let stdout = '';
  let stderr = '';
  const sink = (write: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        write(chunk.toString());
        callback();
      },
    });
  const code = await main(args, {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
  });
  return { code, stdout, stderr };
}

test('bad flags exit 2 with BULWARK_ERR_USAGE and nothing on stdout', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['lab', '--port', '0'], /missing --variant/],
    [['lab', '--variant', 'secure'], /missing --port/],
    [['lab', '--variant', 'secure', '--port', '70000'], /--port must be an integer/],
    [['lab', '--variant', 'secure', '--port', 'abc'], /--port must be an integer/],
    [['lab', '--variant', 'secure', '--port=-1'], /--port must be an integer/],
    [['lab', '--variant', 'vulnerable', '--port', '0', '--allow-http-import'], /secure only/],
    [
      ['lab', '--variant', 'secure', '--port', '0', '--classifier-url', 'ftp://x'],
      /classifier URL/,
    ],
    [['lab', '--variant', 'secure', '--port', '0', 'extra'], /Unexpected argument 'extra'/],
    [['lab', '--variant', 'secure', '--port', '0', '--colour'], /Unknown option/],
  ];
  for (const [args, message] of cases) {
    const { code, stdout, stderr } = await mainCapture(args);
    assert.equal(code, 2, args.join(' '));
    assert.equal(stdout, '', args.join(' '));
    assert.match(stderr, /^bulwark: BULWARK_ERR_USAGE: /, args.join(' '));
    assert.match(stderr, message, args.join(' '));
    assert.doesNotMatch(stderr, /\n\s+at /);
  }
});

test('a port in use is BULWARK_ERR_LAB_LISTEN, exit 2', async (t) => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const port = (blocker.address() as { port: number }).port;
  const { code, stderr } = await mainCapture([
    'lab',
    '--variant',
    'vulnerable',
    '--port',
    String(port),
  ]);
  assert.equal(code, 2);
  assert.match(
    stderr,
    /BULWARK_ERR_LAB_LISTEN: cannot listen on 127\.0\.0\.1:[0-9]+ \(the port is in use; try --port 0\)/,
  );
});
