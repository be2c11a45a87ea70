import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import {
  configError,
  configFile,
  findConfig,
  loadConfig,
  locateConfig,
  resolveFromConfig,
} from '../../../src/core/config/index.js';
import { isBulwarkError } from '../../../src/core/errors.js';
import type { BulwarkError } from '../../../src/core/errors.js';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function loadError(file: string | undefined, cwd: string): BulwarkError {
  try {
    loadConfig(file, { cwd, env: {} });
  } catch (error) {
    assert.ok(isBulwarkError(error));
    return error;
  }
  assert.fail('expected an error');
}

test('loads bulwark.yaml by name, relative to cwd, and remembers where it came from', (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'conf'));
  writeFileSync(join(dir, 'conf', 'gw.yaml'), 'version: 1\naudit:\n  baseline: known.json\n');
  const config = loadConfig('conf/gw.yaml', { cwd: dir, env: {} });
  assert.deepEqual(config, { version: 1, audit: { baseline: 'known.json' } });
  assert.equal(configFile(config), 'conf/gw.yaml');
  assert.equal(resolveFromConfig(config, 'known.json'), join(dir, 'conf', 'known.json'));
  assert.equal(resolveFromConfig(config, '/abs/known.json'), '/abs/known.json');
  assert.deepEqual(locateConfig(config, ['audit', 'baseline']), {
    file: 'conf/gw.yaml',
    pointer: '/audit/baseline',
    line: 3,
    column: 13,
  });
});

test('findConfig picks bulwark.yaml, .yml or .json in cwd, and loadConfig uses it', (t) => {
  for (const name of ['bulwark.yaml', 'bulwark.yml', 'bulwark.json']) {
    const dir = tempDir(t);
    writeFileSync(join(dir, name), name.endsWith('json') ? '{"version": 1}' : 'version: 1\n');
    assert.equal(findConfig(dir), join(dir, name));
    const config = loadConfig(undefined, { cwd: dir, env: {} });
    assert.equal(configFile(config), name);
  }
});

test('with no config file anywhere, the empty config is used', (t) => {
  const dir = tempDir(t);
  assert.equal(findConfig(dir), undefined);
  const config = loadConfig(undefined, { cwd: dir, env: {} });
  assert.deepEqual(config, { version: 1 });
  assert.ok(Object.isFrozen(config));
  assert.equal(configFile(config), undefined);
  assert.equal(resolveFromConfig(config, 'x.json'), join(dir, 'x.json'));
});

test('two candidate config files are ambiguous', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'bulwark.yaml'), 'version: 1\n');
  writeFileSync(join(dir, 'bulwark.json'), '{"version": 1}');
  const error = loadError(undefined, dir);
  assert.equal(error.code, 'BULWARK_ERR_CONFIG_READ');
  assert.equal(error.message, 'found several config files: bulwark.yaml, bulwark.json');
  assert.equal(error.hint, 'keep one, or choose with --config');
});

test('a named file that does not exist fails clearly', (t) => {
  const dir = tempDir(t);
  assert.equal(
    loadError('missing.yaml', dir).toLine(),
    'missing.yaml: BULWARK_ERR_CONFIG_READ: config file not found',
  );
});

test('a directory, a binary file, bad UTF-8 and a huge file are refused before parsing', (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'd.yaml'));
  writeFileSync(join(dir, 'bin.yaml'), Buffer.from([0x76, 0x00, 0x01, 0x02]));
  writeFileSync(join(dir, 'latin1.yaml'), Buffer.from('version: 1\nx: caf\xe9\n', 'latin1'));
  writeFileSync(join(dir, 'big.yaml'), `version: 1\n#${'x'.repeat(2 * 1024 * 1024)}\n`);
  assert.equal(loadError('d.yaml', dir).message, 'is a directory, not a config file');
  assert.equal(loadError('bin.yaml', dir).message, 'config file is not text');
  assert.equal(loadError('latin1.yaml', dir).message, 'config file is not valid UTF-8');
  const big = loadError('big.yaml', dir);
  assert.equal(big.message, 'config file is too large');
  assert.ok(!/\d/.test(big.message), 'the cap is not revealed');
  for (const name of ['d.yaml', 'bin.yaml', 'latin1.yaml', 'big.yaml']) {
    assert.equal(loadError(name, dir).code, 'BULWARK_ERR_CONFIG_READ');
  }
});

test('an unreadable path names the reason, not a stack', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'plain.yaml'), 'version: 1\n');
  // A file used as a folder fails with ENOTDIR for any user, root included.
  assert.equal(
    loadError('plain.yaml/inner.yaml', dir).toLine(),
    'plain.yaml/inner.yaml: BULWARK_ERR_CONFIG_READ: cannot read config file (ENOTDIR)',
  );
});

test('an empty .json file reads as empty, not as a JSON syntax error', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'bulwark.json'), '  \n');
  assert.equal(loadError('bulwark.json', dir).message, 'the config file is empty');
});

test('errors in a loaded file carry the path as given and the line', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'bulwark.yml'), 'version: 1\nprotect:\n  listen:\n    prot: 80\n');
  assert.equal(
    loadError(undefined, dir).toLine(),
    "bulwark.yml:4:5: BULWARK_ERR_CONFIG_INVALID: protect.listen.prot: unknown key (did you mean 'port'?)",
  );
});

test('configError lets tools raise located errors after loading (e.g. CONFIG_UNSAFE)', (t) => {
  const dir = tempDir(t);
  writeFileSync(
    join(dir, 'bulwark.yaml'),
    'version: 1\nprotect:\n  cors:\n    origins: ["*"]\n    credentials: true\n',
  );
  const config = loadConfig(undefined, { cwd: dir, env: {} });
  const error = configError(
    config,
    ['protect', 'cors', 'credentials'],
    'BULWARK_ERR_CONFIG_UNSAFE',
    "credentials with a '*' origin would let any site act as the user",
    'list the allowed origins',
  );
  assert.equal(
    error.toLine(),
    "bulwark.yaml:5:18: BULWARK_ERR_CONFIG_UNSAFE: protect.cors.credentials: credentials with a '*' origin would let any site act as the user (list the allowed origins)",
  );
});

test('metadata helpers refuse objects that did not come from loadConfig', () => {
  assert.throws(() => configFile({ version: 1 }), TypeError);
});
