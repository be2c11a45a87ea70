// Large descriptions: a synthetic spec over 5 MB (YAML and JSON) loads completely, and positions in it
// are right. How fast is measured in bench/openapi/, not here.
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { loadSpec } from '../../../src/core/openapi/load.js';
import type { SchemaObject } from '../../../src/core/openapi/model.js';
import { syntheticSpec } from './synthetic.js';

for (const format of ['yaml', 'json'] as const) {
  test(`a synthetic ${format.toUpperCase()} description over 5 MB loads completely`, async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'bulwark-large-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const n = 6000;
    const doc = syntheticSpec(n);
    const text = format === 'json' ? JSON.stringify(doc, null, 1) : stringify(doc);
    const file = join(dir, `large.${format}`);
    await writeFile(file, text);
    assert.ok((await stat(file)).size > 5 * 1024 * 1024, 'the fixture is over 5 MB');

    const model = await loadSpec(file);
    assert.equal(model.operations.length, 2 * n);
    const last = model.schemas[`Item${n - 1}`] as SchemaObject;
    const first = model.schemas['Item0'] as SchemaObject;
    assert.equal((first['properties'] as Record<string, unknown>)['previous'], last);
    const where = model.locate(last);
    assert.equal(where?.pointer, `/components/schemas/Item${n - 1}`);
    const lines = text.split('\n');
    const line = lines[(where?.line ?? 0) - 1] ?? '';
    assert.match(line, new RegExp(`Item${n - 1}"?:`), 'the location is the line of the schema key');
  });
}
