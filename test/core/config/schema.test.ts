import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CONFIG_SCHEMA_ID, checkValue, loadConfigSchema } from '../../../src/core/config/index.js';
import { isRecord } from '../../../src/core/config/path.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const schema = loadConfigSchema();

/** Every subschema with its JSON pointer, walking every keyword that holds schemas. */
function* subschemas(node: unknown, pointer = ''): Generator<[string, Record<string, unknown>]> {
  if (!isRecord(node)) return;
  yield [pointer, node];
  for (const key of ['properties', '$defs', 'dependentSchemas', 'patternProperties']) {
    const map = node[key];
    if (isRecord(map)) {
      for (const [name, child] of Object.entries(map)) {
        yield* subschemas(
          child,
          `${pointer}/${key}/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`,
        );
      }
    }
  }
  for (const key of [
    'items',
    'additionalProperties',
    'propertyNames',
    'not',
    'if',
    'then',
    'else',
  ]) {
    if (isRecord(node[key])) yield* subschemas(node[key], `${pointer}/${key}`);
  }
  for (const key of ['oneOf', 'anyOf', 'allOf', 'prefixItems']) {
    const list = node[key];
    if (Array.isArray(list))
      for (const [i, child] of list.entries()) yield* subschemas(child, `${pointer}/${key}/${i}`);
  }
}

test('schema/bulwark.schema.json is what `npm run schema` builds from schema/parts', () => {
  const result = spawnSync(process.execPath, ['scripts/build-schema.mjs', '--check'], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
});

test('the composed schema is a self-contained draft 2020-12 document for editors', () => {
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.equal(schema.$id, CONFIG_SCHEMA_ID);
  assert.equal(typeof schema.title, 'string');
  assert.equal(typeof schema.description, 'string');
  const text = readFileSync(`${root}schema/bulwark.schema.json`, 'utf8');
  for (const match of text.matchAll(/"\$ref": "([^"]*)"/g)) {
    assert.match(match[1] ?? '', /^#\/\$defs\//, 'only local refs, so editors need no other file');
  }
});

test('every part file is bundled: a part nobody references would be silently ignored', () => {
  const bundled = Object.keys(schema.$defs as Record<string, unknown>).sort();
  for (const section of ['audit', 'protect', 'scan']) assert.ok(bundled.includes(section), section);
  const files = readdirSync(`${root}schema/parts`)
    .filter((f) => f.endsWith('.schema.json') && f !== 'root.schema.json')
    .map((f) => f.replace(/\.schema\.json$/, ''))
    .sort();
  assert.deepEqual(bundled, files);
});

test('every object schema states additionalProperties (false, a schema, or a deliberate true)', () => {
  const open: string[] = [];
  for (const [pointer, node] of subschemas(schema)) {
    const isObject = node.type === 'object' || isRecord(node.properties);
    if (isObject && !('additionalProperties' in node) && !('$ref' in node)) open.push(pointer);
  }
  assert.deepEqual(open, []);
});

test('every section key has a title or description for editor hovers', () => {
  const missing: string[] = [];
  const sections = [schema, ...Object.values(schema.$defs as Record<string, unknown>)];
  for (const section of sections) {
    assert.ok(isRecord(section) && isRecord(section.properties));
    for (const [name, property] of Object.entries(section.properties)) {
      if (!isRecord(property)) continue;
      const target = typeof property.$ref === 'string' ? lookup(property.$ref) : property;
      const documented = [property, target].some(
        (node) => typeof node?.description === 'string' || typeof node?.title === 'string',
      );
      if (!documented) {
        missing.push(name);
      }
    }
  }
  assert.deepEqual(missing, []);
});

test('every example and default in the schema is valid against its own subschema', () => {
  let checked = 0;
  for (const [pointer, node] of subschemas(schema)) {
    const samples = [...(Array.isArray(node.examples) ? node.examples : [])];
    if ('default' in node) samples.push(node.default);
    for (const sample of samples) {
      const { errors } = checkValue(`#${pointer}`, sample);
      assert.deepEqual(errors, [], `${pointer}: ${JSON.stringify(sample)}`);
      checked += 1;
    }
  }
  assert.ok(checked > 40, `checked ${checked} samples`);
});

test('the schema check itself catches a bad default', () => {
  const { errors } = checkValue('#/$defs/protect/properties/limits/properties/jsonDepth', 0);
  assert.equal(errors[0]?.keyword, 'minimum');
});

function lookup(ref: string): Record<string, unknown> | undefined {
  let node: unknown = schema;
  for (const part of ref.replace(/^#\//, '').split('/'))
    node = isRecord(node) ? node[part] : undefined;
  return isRecord(node) ? node : undefined;
}
