// Guards the package entry: package.json `main`/`exports` point at a module that exists in the build,
// and it offers the documented building blocks (a missing src/index.ts once left `main` dangling).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as bulwark from '../src/index.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  main: string;
  exports: Record<string, string>;
};

test('every package entry point has a source module that builds to it', () => {
  for (const target of [pkg.main, ...Object.values(pkg.exports)]) {
    if (target.endsWith('package.json')) continue;
    const source = target.replace(/^\.\/dist\//, '../src/').replace(/\.js$/, '.ts');
    assert.ok(existsSync(new URL(source, import.meta.url)), `${target} has no ${source}`);
  }
});

test('the package entry exports the loaders, reports, gateway and lab', () => {
  for (const name of [
    'loadSpec',
    'parseSpecText',
    'loadConfig',
    'renderReport',
    'startProtect',
    'compileGateway',
    'protectExpress',
    'protectFastify',
    'protectHandler',
    'startLab',
    'BulwarkError',
  ] as const) {
    assert.equal(typeof bulwark[name], 'function', name);
  }
});
