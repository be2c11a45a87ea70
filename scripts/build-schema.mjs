#!/usr/bin/env node
// Composes schema/parts/*.schema.json into schema/bulwark.schema.json, the one file editors and
// `loadConfig` use. Each tool owns its part; this script bundles the parts into the root's `$defs`
// (rewriting their local `#/...` refs) so the result is one self-contained draft 2020-12 document
// with no external refs, which every editor's JSON Schema support can follow. A part may embed
// another part by file name (`"$ref": "ratelimit.schema.json"`); it is bundled the same way.
//
// Usage: node scripts/build-schema.mjs          write schema/bulwark.schema.json
//        node scripts/build-schema.mjs --check  exit 1 when the committed file is out of date
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';

const root = fileURLToPath(new URL('..', import.meta.url));
const partsDir = `${root}schema/parts/`;
const outFile = `${root}schema/bulwark.schema.json`;
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

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const text = await buildSchema();
  for (const name of unreferencedParts(text)) {
    console.error(`warning: schema/parts/${name}.schema.json is not referenced by any part`);
  }
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
