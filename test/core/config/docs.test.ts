import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseConfig, SECTION_NAMES } from '../../../src/core/config/index.js';

const doc = readFileSync(new URL('../../../docs/config.md', import.meta.url), 'utf8');

test('the example at the top of docs/config.md is a valid config', () => {
  const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(example, 'docs/config.md starts with a yaml example');
  const config = parseConfig(example, 'docs/config.md', {
    env: { ALICE_TOKEN: 'a', BOB_TOKEN: 'b' },
  });
  assert.deepEqual(Object.keys(config).sort(), ['audit', 'protect', 'scan', 'version']);
});

test('docs/config.md has a heading for every section', () => {
  for (const name of SECTION_NAMES) assert.match(doc, new RegExp(`^### \`${name}\`$`, 'm'));
});
