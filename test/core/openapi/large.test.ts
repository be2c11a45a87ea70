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

/** A valid OpenAPI 3.0 document with `n` paths, each with a schema referencing the previous one. */
export function syntheticSpec(n: number): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    schemas[`Item${i}`] = {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'string', format: 'uuid', description: `identifier of item ${i}` },
        count: { type: 'integer', minimum: 0, maximum: 1000 },
        previous: { $ref: `#/components/schemas/Item${i === 0 ? n - 1 : i - 1}` },
        tags: { type: 'array', items: { type: 'string', maxLength: 32 } },
      },
    };
    paths[`/items${i}/{id}`] = {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: {
        operationId: `getItem${i}`,
        security: [{ key: [] }],
        responses: {
          '200': {
            description: 'the item',
            content: { 'application/json': { schema: { $ref: `#/components/schemas/Item${i}` } } },
          },
          '404': { description: 'not found' },
        },
      },
      put: {
        operationId: `putItem${i}`,
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: `#/components/schemas/Item${i}` } } },
        },
        responses: { '204': { description: 'updated' } },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Synthetic', version: '1' },
    paths,
    components: {
      schemas,
      securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Key' } },
    },
  };
}

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
