#!/usr/bin/env node
// Composes schema/parts/*.schema.json into schema/bulwark.schema.json, the one file editors and
// `loadConfig` use. Each tool owns its part; this script bundles the parts into the root's `$defs`
// (rewriting their local `#/...` refs) so the result is one self-contained draft 2020-12 document
// with no external refs, which every editor's JSON Schema support can follow. A part may embed
// another part by file name (`"$ref": "ratelimit.schema.json"`); it is bundled the same way.
//
// It also renders docs/config-reference.md (every key, type, default, description) from the result.
//
// Usage: node scripts/build-schema.mjs          write schema/bulwark.schema.json and the reference
//        node scripts/build-schema.mjs --check  exit 1 when either committed file is out of date
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { renderReference } from './schema-reference.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const partsDir = `${root}schema/parts/`;
const outFile = `${root}schema/bulwark.schema.json`;
const referenceFile = `${root}docs/config-reference.md`;
/** `protect.schema.json` or `ratelimit.schema.json#/$defs/rule`: a ref to another part. */
const PART_REF = /^([a-z][a-z0-9-]*)\.schema\.json(#.*)?$/;

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

/**
 * Rewrites refs found in `owner` (undefined for the root): a local `#/...` gets the owner's
 * `#/$defs/<owner>` prefix; `<part>.schema.json[#/...]` becomes `#/$defs/<part>[/...]` and the
 * part is queued for bundling. Anything else (URLs, other files) is refused: the composed schema
 * must stand alone.
 */
function refRewriter(owner, queue) {
  return (ref) => {
    if (ref.startsWith('#')) {
      if (owner === undefined)
        throw new Error('root.schema.json: keep shared definitions in a part');
      return `#/$defs/${owner}${ref.slice(1)}`;
    }
    const match = PART_REF.exec(ref);
    if (!match) throw new Error(`${owner ?? 'root'}.schema.json: unsupported $ref ${ref}`);
    queue.add(match[1]);
    const fragment = match[2] ?? '';
    return `#/$defs/${match[1]}${fragment.replace(/^#/, '')}`;
  };
}

export async function buildSchema({ parts = partsDir } = {}) {
  const queue = new Set();
  const composed = mapRefs(readJson(`${parts}root.schema.json`), refRewriter(undefined, queue));
  if (composed.$defs) throw new Error('root.schema.json: keep shared definitions in a part');
  const defs = {};
  // Parts may reference parts (protect -> ratelimit); bundle until no new part is named.
  for (const name of queue) {
    const { $schema: _schema, $id: _id, ...part } = readJson(`${parts}${name}.schema.json`);
    defs[name] = mapRefs(part, refRewriter(name, queue));
  }
  composed.$defs = Object.fromEntries(
    Object.keys(defs)
      .sort()
      .map((name) => [name, defs[name]]),
  );
  const text = JSON.stringify(composed, null, 2);
  const options = (await resolveConfig(outFile)) ?? {};
  return format(text, { ...options, filepath: outFile });
}

/** Part files no ref reaches: usually a part whose owner has not wired it in yet. */
export function unreferencedParts(schemaText, { parts = partsDir } = {}) {
  const bundled = new Set(Object.keys(JSON.parse(schemaText).$defs ?? {}));
  return readdirSync(parts)
    .filter((file) => file.endsWith('.schema.json') && file !== 'root.schema.json')
    .map((file) => file.replace(/\.schema\.json$/, ''))
    .filter((name) => !bundled.has(name))
    .sort();
}

/** docs/config-reference.md for the composed schema text. */
export async function buildReference(schemaText) {
  const options = (await resolveConfig(referenceFile)) ?? {};
  return format(renderReference(JSON.parse(schemaText)), { ...options, filepath: referenceFile });
}

function readOrEmpty(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return ''; // missing counts as out of date
  }
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const text = await buildSchema();
  const reference = await buildReference(text);
  for (const name of unreferencedParts(text)) {
    console.error(`warning: schema/parts/${name}.schema.json is not referenced by any part`);
  }
  const outputs = [
    [outFile, text],
    [referenceFile, reference],
  ];
  if (process.argv.includes('--check')) {
    const stale = outputs.filter(([file, content]) => readOrEmpty(file) !== content);
    for (const [file] of stale)
      console.error(`${file.slice(root.length)} is out of date: run \`npm run schema\``);
    if (stale.length) process.exit(1);
  } else {
    for (const [file, content] of outputs) {
      writeFileSync(file, content);
      console.log(`wrote ${file.slice(root.length)}`);
    }
  }
}
