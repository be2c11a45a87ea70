import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';

test('bulwark --help lists every command and exits 0', async () => {
  const { code, stdout } = await runCli(['--help']);
  assert.equal(code, 0);
  for (const name of ['audit', 'scan', 'protect', 'lab'])
    assert.match(stdout, new RegExp(`^  ${name} `, 'm'));
});

test('bulwark <command> --help exists for each command', async () => {
  for (const name of ['audit', 'scan', 'protect', 'lab']) {
    const { code, stdout } = await runCli([name, '--help']);
    assert.equal(code, 0, name);
    assert.match(stdout, new RegExp(`^Usage: bulwark ${name}`, 'm'));
  }
});

test('an unknown command exits 2 with a coded line and a suggestion', async () => {
  const { code, stderr, stdout } = await runCli(['audti']);
  assert.equal(code, 2);
  assert.equal(stdout, '');
  assert.equal(
    stderr,
    "bulwark: BULWARK_ERR_USAGE: unknown command 'audti' (did you mean 'audit'?)\n",
  );
});

test('an unknown flag exits 2 with a suggestion and no stack trace', async () => {
  const { code, stderr } = await runCli(['audit', '--fromat', 'json']);
  assert.equal(code, 2);
  assert.match(stderr, /BULWARK_ERR_USAGE: .*--fromat.*did you mean '--format'/);
  assert.doesNotMatch(stderr, /\n\s+at /);
});

test('bulwark --version prints the package version', async () => {
  const { code, stdout } = await runCli(['--version']);
  assert.equal(code, 0);
  assert.match(stdout, /^\d+\.\d+\.\d+\n$/);
});

test('no arguments prints help and exits 2 (usage error)', async () => {
  const { code, stdout } = await runCli([]);
  assert.equal(code, 2);
  assert.match(stdout, /Usage: bulwark <command>/);
});

test('a flag value that starts with a dash gives one line, not parseArgs prose', async () => {
  const { code, stderr } = await runCli(['lab', '--port', '-1']);
  assert.equal(code, 2);
  assert.equal(stderr.trim().split('\n').length, 1);
  assert.match(stderr, /^bulwark: BULWARK_ERR_USAGE: Option '--port' argument is ambiguous\n$/);
});

test('a reader that closes the pipe early does not crash the CLI (EPIPE)', async () => {
  const { spawn } = await import('node:child_process');
  const { ROOT } = await import('../helpers/cli.js');
  const child = spawn(
    'sh',
    ['-c', `"${process.execPath}" --import tsx scripts/dev-cli.ts --help | head -c 1 >/dev/null`],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0);
  assert.doesNotMatch(stderr, /EPIPE|Error/);
});
