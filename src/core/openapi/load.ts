// Loading an API description: read (file or URL, bounded) -> decode (refuse empty/binary) -> parse
// (JSON fast path, else YAML) with positions -> detect the version -> load the files reached through
// `$ref` -> resolve references into shared objects -> normalise into the frozen ApiModel.
// Every failure is a one-line BulwarkError with a stable code and, where one exists, file:line:col.

import { BulwarkError } from '../errors.js';
import type { SourceDoc } from './document.js';
import { NodeTable } from './document.js';
import type { ApiModel } from './model.js';
import { buildModel } from './normalize/index.js';
import { parseJson } from './parse-json.js';
import { parseYaml } from './parse-yaml.js';
import { parseYamlQuick } from './parse-yaml-quick.js';
import { Resolver, refAllowed, splitRef } from './resolve.js';
import type { FetchLike } from './source.js';
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_TIMEOUT_MS,
  absoluteSource,
  decodeText,
  displayName,
  isUrl,
  readSource,
} from './source.js';
import { detectVersion } from './version.js';

export type { FetchLike } from './source.js';
export { DEFAULT_MAX_BYTES } from './source.js';

export interface LoadOptions {
  /** Base for relative paths and for display names (default: process.cwd()). */
  readonly cwd?: string;
  /** Size cap per document, in bytes (default 32 MiB). */
  readonly maxBytes?: number;
  /** Timeout per HTTP fetch (default 30 s). */
  readonly timeoutMs?: number;
  /** Replaces global fetch (tests, proxies). */
  readonly fetch?: FetchLike;
  readonly signal?: AbortSignal;
  /**
   * Follow `$ref`s to other origins (from a URL source) or to http(s) URLs (from a local file).
   * Off by default: a description must not make Bulwark fetch arbitrary URLs (CWE-918).
   */
  readonly allowRemoteRefs?: boolean;
  /** At most this many documents per load, root included (default 200). */
  readonly maxFiles?: number;
  /** Receives non-fatal problems (duplicate keys...), one line each. */
  readonly onWarning?: (message: string) => void;
}

export interface StringLoadOptions extends LoadOptions {
  /** Name (and base for relative `$ref`s) of the in-memory document (default `inline.yaml`). */
  readonly file?: string;
}

const DEFAULT_MAX_FILES = 200;

interface LoadState {
  readonly table: NodeTable;
  readonly refObjects: WeakSet<object>;
  readonly lenientRefs: WeakSet<object>;
  readonly cwd: string;
  readonly options: LoadOptions;
}

function newState(options: LoadOptions): LoadState {
  return {
    table: new NodeTable(),
    refObjects: new WeakSet(),
    lenientRefs: new WeakSet(),
    cwd: options.cwd ?? process.cwd(),
    options,
  };
}

/** Loads, resolves and normalises the API description at `source` (a path or an http(s) URL). */
export async function loadSpec(source: string, options: LoadOptions = {}): Promise<ApiModel> {
  const state = newState(options);
  const uri = absoluteSource(source, state.cwd);
  const root = await readDoc(state, uri);
  return finish(state, root, await loadReferenced(state, root));
}

/** Like loadSpec for a document already in memory; relative `$ref`s are read next to `file`. */
export async function loadSpecFromString(
  text: string,
  options: StringLoadOptions = {},
): Promise<ApiModel> {
  const state = newState(options);
  const root = textDoc(state, text, options.file ?? 'inline.yaml');
  return finish(state, root, await loadReferenced(state, root));
}

/**
 * Synchronous in-memory parse for tests and tools: internal `$ref`s only (a `$ref` to another
 * document is BULWARK_ERR_REF_UNRESOLVED). `file` names the document in locations.
 */
export function parseSpecText(
  text: string,
  file = 'inline.yaml',
  options: LoadOptions = {},
): ApiModel {
  const state = newState(options);
  const root = textDoc(state, text, file);
  return finish(state, root, { docs: new Map([[root.uri, root]]), failures: new Map() });
}

function textDoc(state: LoadState, text: string, file: string): SourceDoc {
  const max = state.options.maxBytes ?? DEFAULT_MAX_BYTES;
  const uri = absoluteSource(file, state.cwd);
  const name = displayName(uri, state.cwd);
  if (text.length > max || Buffer.byteLength(text) > max) throw tooLarge(name);
  return parseDoc(state, uri, name, decodeText(new TextEncoder().encode(text), name));
}

function tooLarge(file: string): BulwarkError {
  return new BulwarkError('BULWARK_ERR_SPEC_TOO_LARGE', 'the API description is too large', {
    location: { file },
    hint: 'raise the size limit (maxBytes) if this file is trusted',
  });
}

async function readDoc(state: LoadState, uri: string, referenced = false): Promise<SourceDoc> {
  const file = displayName(uri, state.cwd);
  const bytes = await readSource(
    uri,
    file,
    {
      maxBytes: state.options.maxBytes ?? DEFAULT_MAX_BYTES,
      timeoutMs: state.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      fetch: state.options.fetch,
      signal: state.options.signal,
    },
    referenced,
  );
  return parseDoc(state, uri, file, decodeText(bytes, file));
}

/** JSON fast path when the text looks like JSON; YAML otherwise (and for JSON-ish YAML). */
export function parseDoc(
  state: Pick<LoadState, 'table' | 'refObjects' | 'lenientRefs'>,
  uri: string,
  file: string,
  text: string,
): SourceDoc {
  const doc: SourceDoc = {
    uri,
    file,
    text,
    rawRoot: undefined,
    refs: [],
    refObjects: state.refObjects,
    lenientRefs: state.lenientRefs,
    warnings: [],
    lineStarts: undefined,
  };
  const first = text.charAt(text.search(/\S/));
  if (first === '{' || first === '[') {
    try {
      doc.rawRoot = parseJson(doc, state.table);
      return doc;
    } catch (jsonError) {
      if (/\.json$/i.test(uri)) throw jsonError;
      doc.refs.length = 0;
      doc.warnings.length = 0;
      try {
        doc.rawRoot = parseAnyYaml(doc, state.table);
        return doc;
      } catch {
        throw jsonError;
      }
    }
  }
  doc.rawRoot = parseAnyYaml(doc, state.table);
  return doc;
}

/** The quick reader when it is sure of the document; the canonical one (and its errors) otherwise. */
function parseAnyYaml(doc: SourceDoc, table: NodeTable): unknown {
  const quick = parseYamlQuick(doc, table);
  return quick ? quick.value : parseYaml(doc, table);
}

interface Loaded {
  readonly docs: Map<string, SourceDoc>;
  readonly failures: Map<string, BulwarkError>;
}

/** Reads every document reached through `$ref`, breadth first; failures surface only if needed. */
async function loadReferenced(state: LoadState, root: SourceDoc): Promise<Loaded> {
  detectVersion(root, state.table);
  const docs = new Map([[root.uri, root]]);
  const failures = new Map<string, BulwarkError>();
  const maxFiles = state.options.maxFiles ?? DEFAULT_MAX_FILES;
  const queue = [root];
  for (let doc = queue.shift(); doc; doc = queue.shift()) {
    for (const site of doc.refs) {
      const ref = site.ref['$ref'] as string;
      if (ref.startsWith('#')) continue;
      const { uri } = splitRef(ref, doc.uri);
      if (docs.has(uri) || failures.has(uri)) continue;
      const denied = refAllowed(doc.uri, uri, state.options.allowRemoteRefs === true);
      if (denied !== undefined || docs.size >= maxFiles) {
        const why = denied ?? 'too many referenced documents';
        failures.set(uri, new BulwarkError('BULWARK_ERR_REF_UNRESOLVED', why));
        continue;
      }
      try {
        const loaded = await readDoc(state, uri, true);
        docs.set(uri, loaded);
        queue.push(loaded);
      } catch (error) {
        if (!(error instanceof BulwarkError)) throw error;
        failures.set(uri, error);
      }
    }
  }
  return { docs, failures };
}

function finish(state: LoadState, root: SourceDoc, loaded: Loaded): ApiModel {
  const detected = detectVersion(root, state.table);
  const resolver = new Resolver({
    root,
    docs: loaded.docs,
    failures: loaded.failures,
    table: state.table,
    refObjects: state.refObjects,
    lenientRefs: state.lenientRefs,
    schemaSiblingsApply: detected.version === 'openapi-3.1',
  });
  const resolved = resolver.resolveAll();
  const { model, warnings } = buildModel({
    root: resolved,
    rootDoc: root,
    docs: loaded.docs,
    detected,
    table: state.table,
    shadows: resolver.shadows,
    sourceScheme: isUrl(root.uri) ? new URL(root.uri).protocol.slice(0, -1) : 'https',
  });
  if (state.options.onWarning) for (const w of warnings) state.options.onWarning(w);
  return model;
}
