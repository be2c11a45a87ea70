import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfigSchema, SECTION_NAMES } from '../../../src/core/config/index.js';
import type { AuditConfig, ProtectConfig, ScanConfig } from '../../../src/core/config/index.js';
import { AUDIT_KEYS } from '../../../src/core/config/sections/audit.js';
import { PROTECT_KEYS } from '../../../src/core/config/sections/protect.js';
import { SCAN_KEYS } from '../../../src/core/config/sections/scan.js';

// Compile-time: each key list names every key of its section type (and satisfies checks the
// reverse in the section file), so a key added to a type without the list fails typecheck.
type Exhaustive<T, K> = [Exclude<keyof T, K>] extends [never] ? true : false;
const exhaustive: [
  Exhaustive<ProtectConfig, (typeof PROTECT_KEYS)[number]>,
  Exhaustive<ScanConfig, (typeof SCAN_KEYS)[number]>,
  Exhaustive<AuditConfig, (typeof AUDIT_KEYS)[number]>,
] = [true, true, true];

const schema = loadConfigSchema();
const defs = schema.$defs as Record<string, { properties: Record<string, unknown> }>;

test('the root schema has exactly the known sections', () => {
  const properties = Object.keys(schema.properties as object).sort();
  assert.deepEqual(properties, ['$schema', 'version', ...SECTION_NAMES].sort());
  assert.deepEqual(exhaustive, [true, true, true]);
});

for (const [name, keys] of [
  ['protect', PROTECT_KEYS],
  ['scan', SCAN_KEYS],
  ['audit', AUDIT_KEYS],
] as const) {
  test(`the ${name} section type and schema part have the same top-level keys`, () => {
    const schemaKeys = Object.keys(defs[name]?.properties ?? {}).sort();
    assert.deepEqual([...keys].sort(), schemaKeys);
  });
}
