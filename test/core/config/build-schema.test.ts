import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';

interface Builder {
  buildSchema(options: { parts: string }): Promise<string>;
  unreferencedParts(text: string, options: { parts: string }): string[];
}

// A variable specifier keeps TypeScript from looking for declarations of the .mjs script.
const scriptUrl = new URL('../../../scripts/build-schema.mjs', import.meta.url).href;
const builder = (await import(scriptUrl)) as Builder;

function partsDir(t: TestContext, files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-parts-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, schema] of Object.entries(files)) {
    writeFileSync(join(dir, name), JSON.stringify(schema));
  }
  return `${dir}/`;
}

const root = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:test',
  type: 'object',
  additionalProperties: false,
  properties: { a: { $ref: 'a.schema.json' } },
};

test('parts are bundled into $defs with their refs rewritten, including part-to-part refs', async (t) => {
  const parts = partsDir(t, {
    'root.schema.json': root,
    'a.schema.json': {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'urn:test:a',
      type: 'object',
      additionalProperties: false,
      properties: {
        x: { $ref: '#/$defs/x' },
        b: { $ref: 'b.schema.json' },
        rule: { $ref: 'b.schema.json#/$defs/rule' },
      },
      $defs: { x: { type: 'integer' } },
    },
    'b.schema.json': {
      $id: 'urn:test:b',
      type: 'object',
      additionalProperties: false,
      properties: { r: { $ref: '#/$defs/rule' } },
      $defs: { rule: { type: 'string' } },
    },
    'stray.schema.json': { type: 'object', additionalProperties: false },
  });
  const text = await builder.buildSchema({ parts });
  const schema = JSON.parse(text) as {
    properties: { a: { $ref: string } };
    $defs: Record<string, { $id?: string; properties: Record<string, { $ref: string }> }>;
  };
  assert.equal(schema.properties.a.$ref, '#/$defs/a');
  assert.deepEqual(Object.keys(schema.$defs), ['a', 'b']);
  assert.equal(schema.$defs.a?.$id, undefined, 'bundled parts lose their own $id');
  assert.equal(schema.$defs.a?.properties.x?.$ref, '#/$defs/a/$defs/x');
  assert.equal(schema.$defs.a?.properties.b?.$ref, '#/$defs/b');
  assert.equal(schema.$defs.a?.properties.rule?.$ref, '#/$defs/b/$defs/rule');
  assert.equal(schema.$defs.b?.properties.r?.$ref, '#/$defs/b/$defs/rule');
  assert.deepEqual(builder.unreferencedParts(text, { parts }), ['stray']);
  assert.equal(await builder.buildSchema({ parts }), text, 'deterministic');
});

test('refs that would make the schema depend on other files are refused', async (t) => {
  for (const ref of ['https://example.com/s.json', '../elsewhere.json', 'A.schema.json']) {
    const parts = partsDir(t, {
      'root.schema.json': root,
      'a.schema.json': {
        type: 'object',
        additionalProperties: false,
        properties: { x: { $ref: ref } },
      },
    });
    await assert.rejects(builder.buildSchema({ parts }), /unsupported \$ref/, ref);
  }
  const parts = partsDir(t, {
    'root.schema.json': { ...root, properties: { a: { $ref: '#/$defs/a' } } },
  });
  await assert.rejects(builder.buildSchema({ parts }), /keep shared definitions in a part/);
});

test('the generated reference lists every key with type, default, secrecy and escaped text', async () => {
  const url = new URL('../../../scripts/schema-reference.mjs', import.meta.url).href;
  const { renderReference } = (await import(url)) as {
    renderReference(schema: unknown): string;
  };
  const text = renderReference({
    properties: {
      version: { const: 1, description: 'Format.' },
      tool: { $ref: '#/$defs/tool' },
    },
    $defs: {
      tool: {
        type: 'object',
        description: 'A tool.',
        properties: {
          mode: { enum: ['a', 'b'], default: 'a', description: "Paths like '/x/*' and <id>." },
          users: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              properties: { token: { type: 'string', 'x-bulwark-secret': true } },
            },
          },
          port: { $ref: '#/$defs/port', description: 'Where to listen.' },
        },
      },
      port: { type: 'integer', minimum: 0, maximum: 65535 },
    },
  });
  assert.match(text, /^## `version`\n\nFormat\.\n\nType: 1\.$/m);
  assert.match(
    text,
    /^- `tool\.mode` \('a' \| 'b'; default `"a"`\): Paths like '\/x\/\\\*' and \\<id\\>\.$/m,
  );
  assert.match(text, /^- `tool\.users\.<name>\.token` \(string\) Secret: redacted in logs\.$/m);
  assert.match(text, /^- `tool\.port` \(integer, >= 0, <= 65535\): Where to listen\.$/m);
});
