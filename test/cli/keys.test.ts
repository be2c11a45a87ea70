// `bulwark keys create|hash` as an operator runs it: the printed digest is accepted by the API-key
// verifier for exactly the printed key, secrets never come from argv, bad input is a coded error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { ApiKeyVerifier } from '../../src/protect/auth/api-keys.js';
import type { AuthApiKey } from '../../src/core/config/sections/auth.js';
import { runCli } from '../helpers/cli.js';

const PEPPER = 'q'.repeat(40);

function verifierFor(entries: AuthApiKey[], pepper?: string): ApiKeyVerifier {
  return new ApiKeyVerifier('key', {
    type: 'apiKey',
    ...(pepper ? { pepper } : {}),
    apiKeys: entries,
  });
}

test('keys create prints a new key once and an hmac entry that verifies it', async () => {
  const r = await runCli(
    [
      'keys',
      'create',
      '--id',
      'ci-2026',
      '--roles',
      'deployer,reader',
      '--expires',
      '2030-01-01T00:00:00Z',
    ],
    { env: { BULWARK_API_KEY_PEPPER: PEPPER } },
  );
  assert.equal(r.code, 0, r.stderr);
  const doc = { key: /^key: (\S+)$/m.exec(r.stdout)?.[1] ?? '' };
  assert.match(doc.key, /^ci-2026\.[A-Za-z0-9_-]{43}$/);
  const entries = parse(r.stdout.slice(r.stdout.indexOf('- id:'))) as AuthApiKey[];
  assert.equal(entries[0]!.id, 'ci-2026');
  assert.deepEqual(entries[0]!.roles, ['deployer', 'reader']);
  assert.ok(
    !entries[0]!.digest.includes(doc.key.split('.')[1]!),
    'the digest does not contain the key',
  );
  const v = verifierFor(entries, PEPPER);
  const ok = v.verify(doc.key);
  assert.ok(ok.ok && ok.value.identity.roles.includes('deployer'));
  assert.equal(v.verify(`${doc.key}x`).ok, false);
  assert.equal(verifierFor(entries, 'z'.repeat(40)).verify(doc.key).ok, false, 'another pepper');
});

test('keys hash --scrypt reads the key from stdin; the digest is salted and verifies', async () => {
  const key = 'svc.0123456789abcdefghij0123456789abcdefghij';
  const a = await runCli(['keys', 'hash', '--id', 'svc', '--scrypt'], { input: `${key}\n` });
  const b = await runCli(['keys', 'hash', '--id', 'svc', '--scrypt'], { input: key });
  assert.equal(a.code, 0, a.stderr);
  const ea = parse(a.stdout) as AuthApiKey[];
  const eb = parse(b.stdout) as AuthApiKey[];
  assert.notEqual(ea[0]!.digest, eb[0]!.digest, 'salted: the same key hashes differently');
  assert.match(ea[0]!.digest, /^scrypt:32768:8:1:/);
  assert.equal(verifierFor(ea).verify(key).ok, true);
  assert.equal(verifierFor(ea).verify('svc.wrong').ok, false);
});

test('refusals: no pepper, short pepper, bad id, bad date, empty stdin, unknown action', async () => {
  const cases: [string[], Record<string, string>, string, RegExp][] = [
    [['keys', 'create', '--id', 'a'], {}, '', /BULWARK_ERR_CONFIG_ENV/],
    [
      ['keys', 'create', '--id', 'a'],
      { BULWARK_API_KEY_PEPPER: 'tiny-pepper-7' },
      '',
      /BULWARK_ERR_CONFIG_ENV/,
    ],
    [['keys', 'create', '--id', 'a/b', '--scrypt'], {}, '', /BULWARK_ERR_USAGE/],
    [['keys', 'create', '--id', 'a', '--scrypt', '--expires', 'soon'], {}, '', /BULWARK_ERR_USAGE/],
    [['keys', 'hash', '--id', 'a', '--scrypt'], {}, '', /BULWARK_ERR_USAGE/],
    [['keys', 'rotate', '--id', 'a'], {}, '', /BULWARK_ERR_USAGE/],
  ];
  for (const [args, env, input, pattern] of cases) {
    const r = await runCli(args, { env: { BULWARK_API_KEY_PEPPER: '', ...env }, input });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.ok(!r.stderr.includes('tiny-pepper-7'), 'the pepper value is never echoed');
  }
});
