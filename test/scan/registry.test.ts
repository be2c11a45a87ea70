// The check registry: ids are unique, follow `scan:apiN:<slug>` with N matching the OWASP category,
// every check file is registered, and docs/scan.md documents every check.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { checks } from '../../src/scan/registry.js';

test('check ids are unique and match their OWASP category', () => {
  const ids = checks.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const check of checks) {
    const match = /^scan:api(\d+):[a-z0-9]+(-[a-z0-9]+)*$/.exec(check.id);
    assert.ok(match, check.id);
    assert.equal(check.owasp, `API${match[1]}:2023`, check.id);
    assert.match(check.cwe, /^CWE-\d+$/);
    assert.ok(check.remediation.length > 40, `${check.id} has a real remediation`);
  }
});

test('every file in src/scan/checks is registered, once', () => {
  const files = readdirSync(new URL('../../src/scan/checks/', import.meta.url)).filter((f) =>
    f.endsWith('.ts'),
  );
  assert.equal(files.length, checks.length);
});

test('docs/scan.md documents every check, and no check that does not exist', () => {
  const docs = readFileSync(new URL('../../docs/scan.md', import.meta.url), 'utf8');
  const documented = [...docs.matchAll(/^### (scan:[a-z0-9:-]+)$/gm)].map((m) => m[1]);
  assert.deepEqual([...documented].sort(), checks.map((c) => c.id).sort());
});

test('every OWASP category has at least one check', () => {
  for (let n = 1; n <= 10; n++)
    assert.ok(
      checks.some((c) => c.owasp === `API${n}:2023`),
      `API${n}`,
    );
});
