// The config errors as a user meets them: through the CLI, exit 2, one line, no stack, no secret.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { ROOT, runCli } from '../../helpers/cli.js';

const SPEC = join(ROOT, 'examples/lab/openapi.yaml');

function configFile(t: TestContext, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-cli-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'bulwark.yaml');
  writeFileSync(file, text);
  return file;
}

function assertOneLine(stderr: string, expected: string): void {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, stderr);
  assert.equal(lines[0], `bulwark: ${expected}`);
  assert.ok(!/\bat .*:\d+:\d+\)?$/m.test(stderr), 'no stack trace');
}

test('an unknown key stops `bulwark protect` with exit 2 and a located did-you-mean', async (t) => {
  const file = configFile(t, 'version: 1\nprotect:\n  upstrem: http://127.0.0.1:1\n');
  const result = await runCli(['protect', '--spec', SPEC, '--config', file]);
  assert.equal(result.code, 2);
  assertOneLine(
    result.stderr,
    `${file}:3:3: BULWARK_ERR_CONFIG_INVALID: protect.upstrem: unknown key (did you mean 'upstream'?)`,
  );
});

test('an unset secret stops `bulwark scan` naming the variable, never any value', async (t) => {
  const file = configFile(
    t,
    [
      'version: 1',
      'scan:',
      '  identities:',
      '    alice:',
      '      role: user',
      '      auth: { header: { name: Authorization, value: "Bearer ${ALICE_TOKEN}" } }',
      '',
    ].join('\n'),
  );
  const result = await runCli(
    ['scan', '--spec', SPEC, '--target', 'http://127.0.0.1:1', '--config', file],
    { env: { ALICE_TOKEN: undefined, BOB_TOKEN: 'bob-secret-value' } },
  );
  assert.equal(result.code, 2);
  assertOneLine(
    result.stderr,
    `${file}:6:53: BULWARK_ERR_CONFIG_ENV: scan.identities.alice.auth.header.value: environment variable ALICE_TOKEN is not set (set ALICE_TOKEN, or give a default: \${ALICE_TOKEN:-default})`,
  );
  assert.ok(!result.stderr.includes('bob-secret-value'));
  assert.equal(result.stdout, '');
});
