#!/usr/bin/env node
// Composes schema/parts/*.schema.json into schema/bulwark.schema.json, the one file editors and
// `loadConfig` use. Each tool owns its part; this script bundles the parts into the root's `$defs`
// (rewriting their local `#/...` refs) so the result is one self-contained draft 2020-12 document
// with no external refs, which every editor's JSON Schema support can follow.
//
// Usage: node scripts/build-schema.mjs          write schema/bulwark.schema.json
//        node scripts/build-schema.mjs --check  exit 1 when the committed file is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';

const root = fileURLToPath(new URL('..', import.meta.url));
const partsDir = `${root}schema/parts/`;
const outFile = `${root}schema/bulwark.schema.json`;
const PART_REF = /^([a-z][a-z0-9-]*)\.schema\.json$/;

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Deep copy of `node` with every `$ref` passed through `rewrite`. */
function mapRefs(node, rewrite) {
  if (Array.isArray(node)) return node.map((item) => mapRefs(item, rewrite));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === '$ref' && typeof value === 'string' ? rewrite(value) : mapRefs(value, rewrite);
  }
  return out;
}

/** A part becomes `#/$defs/<name>`: its own `$schema`/`$id` go, its local refs get the prefix. */
function bundlePart(name) {
  const { $schema: _schema, $id: _id, ...part } = readJson(`${partsDir}${name}.schema.json`);
  return mapRefs(part, (ref) => {
    if (ref.startsWith('#')) return `#/$defs/${name}${ref.slice(1)}`;
    throw new Error(`${name}.schema.json: only local refs are allowed in a part, found ${ref}`);
  });
}

export async function buildSchema() {
  const rootSchema = readJson(`${partsDir}root.schema.json`);
  const parts = new Set();
  const composed = mapRefs(rootSchema, (ref) => {
    const match = PART_REF.exec(ref);
    if (!match) throw new Error(`root.schema.json: unexpected $ref ${ref}`);
    parts.add(match[1]);
    return `#/$defs/${match[1]}`;
  });
  if (composed.$defs) throw new Error('root.schema.json: keep shared definitions in a part');
  composed.$defs = {};
  for (const name of [...parts].sort()) composed.$defs[name] = bundlePart(name);
  const text = JSON.stringify(composed, null, 2);
  const options = (await resolveConfig(outFile)) ?? {};
  return format(text, { ...options, filepath: outFile });
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const text = await buildSchema();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(outFile, 'utf8');
    } catch {
      // missing counts as out of date
    }
    if (current !== text) {
      console.error('schema/bulwark.schema.json is out of date: run `npm run schema`');
      process.exit(1);
    }
  } else {
    writeFileSync(outFile, text);
    console.log('wrote schema/bulwark.schema.json');
  }
}
