// `$ref` resolution (JSON Reference + RFC 6901 JSON Pointer, RFC 3986 relative URIs).
//
// Every Reference Object reachable from the root is replaced, in its holder, by its target object, so
// a shared component is one object wherever it is used and a recursive schema becomes an object cycle.
// The walk is iterative with a visited set: no recursion per nesting level, no re-expansion of shared
// nodes, so deep or cyclic input can neither hang nor overflow the stack. A chain of references that
// only leads back to itself has no value at all and is BULWARK_ERR_REF_CYCLE.

import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BulwarkError } from '../errors.js';
import type { Container, JsonObject, NodeTable, SourceDoc } from './document.js';
import { clip, errorAtNode, hasOwn, isObject, setOwn } from './document.js';
import { isUrl } from './source.js';
import { SINGLE_SUBSCHEMA_KEYWORDS } from './schema-walk.js';

/** The document part (absolute, no fragment) and the fragment of a `$ref`, relative to `base`. */
export function splitRef(ref: string, base: string): { uri: string; fragment: string } {
  const hash = ref.indexOf('#');
  const docPart = hash === -1 ? ref : ref.slice(0, hash);
  const fragment = hash === -1 ? '' : ref.slice(hash + 1);
  if (docPart === '') return { uri: base, fragment };
  if (isUrl(base) || isUrl(docPart)) {
    try {
      const url = new URL(docPart, base);
      url.hash = '';
      return { uri: url.protocol === 'file:' ? fileURLToPath(url) : url.toString(), fragment };
    } catch {
      return { uri: docPart, fragment };
    }
  }
  if (docPart.startsWith('file:')) {
    try {
      return { uri: fileURLToPath(docPart), fragment };
    } catch {
      return { uri: docPart, fragment };
    }
  }
  return { uri: resolvePath(dirname(base), safeDecode(docPart)), fragment };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** RFC 6901 tokens of a URI fragment (percent-decoded first, RFC 6901 section 6). */
export function pointerTokens(fragment: string): string[] {
  const pointer = safeDecode(fragment);
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** May `from` make us read `to`? Remote documents never reach local files (CWE-73). */
export function refAllowed(from: string, to: string, allowRemoteRefs: boolean): string | undefined {
  if (!isUrl(from)) {
    if (isUrl(to)) {
      return allowRemoteRefs ? undefined : 'a remote $ref is not followed from a local description';
    }
    // Only description files: a hostile spec must not pull ~/.ssh/id_rsa or .env into a model whose
    // values may end up in reports or in requests sent by the scanner (CWE-73).
    return /\.(ya?ml|json)$/i.test(to)
      ? undefined
      : 'a local $ref must name a .yaml, .yml or .json file';
  }
  if (!isUrl(to)) return 'a remote description cannot reference a local file';
  if (!allowRemoteRefs && new URL(from).origin !== new URL(to).origin) {
    return 'a $ref to another origin is not followed';
  }
  return undefined;
}

// Next to a 3.1 `$ref` in a schema, other keywords apply too ("and also", JSON Schema 2020-12
// section 8.2.3.1). Annotations alone do not change what the target accepts, so they keep the target shared.
const ANNOTATIONS = new Set(['$ref', 'summary', 'description', 'title', '$comment']);
// A Reference Object sits in a schema position when its key (or its parent's key) says so.
const SCHEMA_KEYS = new Set<string>(['schema', ...SINGLE_SUBSCHEMA_KEYWORDS]);
const SCHEMA_CONTAINERS = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  'schemas',
  'allOf',
  'anyOf',
  'oneOf',
  'prefixItems',
]);

export interface ResolveInput {
  readonly root: SourceDoc;
  readonly docs: ReadonlyMap<string, SourceDoc>;
  readonly failures: ReadonlyMap<string, BulwarkError>;
  readonly table: NodeTable;
  readonly refObjects: WeakSet<object>;
  readonly lenientRefs: WeakSet<object>;
  readonly schemaSiblingsApply: boolean;
}

export class Resolver {
  readonly #targets = new Map<object, unknown>();
  readonly #replacements = new Map<object, unknown>();
  readonly #inProgress = new Set<object>();
  readonly #anchors = new Map<SourceDoc, Map<string, unknown>>();
  /** holder -> key -> the Reference Object that was written there (for locatePointer). */
  readonly shadows = new WeakMap<object, Map<string | number, JsonObject>>();
  #pathsObject: unknown;

  constructor(readonly input: ResolveInput) {}

  isRef(value: unknown): value is JsonObject {
    return typeof value === 'object' && value !== null && this.input.refObjects.has(value);
  }

  /** Resolves every reachable reference in place and returns the resolved root. */
  resolveAll(): unknown {
    const raw = this.input.root.rawRoot;
    const root = this.isRef(raw) ? this.resolveRef(raw) : raw;
    this.#pathsObject = isObject(root) ? root['paths'] : undefined;
    const visited = new Set<object>();
    const stack: object[] = [];
    if (typeof root === 'object' && root !== null) stack.push(root);
    while (stack.length > 0) {
      const node = stack.pop() as Container;
      if (visited.has(node)) continue;
      visited.add(node);
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) this.#visitChild(node, i, node[i], stack);
      } else {
        for (const key of Object.keys(node)) this.#visitChild(node, key, node[key], stack);
      }
    }
    return root;
  }

  #visitChild(holder: Container, key: string | number, child: unknown, stack: object[]): void {
    if (typeof child !== 'object' || child === null) return;
    if (!this.input.refObjects.has(child)) {
      stack.push(child);
      return;
    }
    const ref = child as JsonObject;
    let replacement: unknown;
    try {
      replacement = this.#replacement(ref, holder);
    } catch (error) {
      // Extensions are free-form: a reference there that leads nowhere stays as data.
      if (!(error instanceof BulwarkError) || !this.input.lenientRefs.has(ref)) throw error;
      stack.push(ref);
      return;
    }
    if (Array.isArray(holder)) holder[key as number] = replacement;
    else setOwn(holder, key as string, replacement);
    let shadow = this.shadows.get(holder);
    if (!shadow) this.shadows.set(holder, (shadow = new Map()));
    shadow.set(key, ref);
    if (typeof replacement === 'object' && replacement !== null) stack.push(replacement);
  }

  /** The value that takes the place of a Reference Object, honouring meaningful sibling keys. */
  #replacement(ref: JsonObject, holder: Container): unknown {
    if (this.#replacements.has(ref)) return this.#replacements.get(ref);
    const target = this.resolveRef(ref);
    let result = target;
    const siblings = Object.keys(ref).filter(
      (k) => k !== '$ref' && k !== 'summary' && k !== 'description',
    );
    if (siblings.length > 0 && holder === this.#pathsObject && isObject(target)) {
      // A Path Item `$ref` with fields next to it: both sets of fields apply (OAS 3.x 4.8.9.1).
      result = { ...target, ...without(ref, '$ref') };
    } else if (
      this.input.schemaSiblingsApply &&
      siblings.some((k) => !ANNOTATIONS.has(k) && !k.startsWith('x-')) &&
      (isObject(target) || typeof target === 'boolean') &&
      this.#inSchemaPosition(ref)
    ) {
      const own = without(ref, '$ref');
      const allOf = Array.isArray(own['allOf'])
        ? [...(own['allOf'] as unknown[]), target]
        : [target];
      result = { ...own, allOf };
    }
    if (result !== target) this.input.table.alias(result as object, ref);
    this.#replacements.set(ref, result);
    return result;
  }

  #inSchemaPosition(ref: JsonObject): boolean {
    const info = this.input.table.get(ref);
    if (typeof info?.key === 'string' && SCHEMA_KEYS.has(info.key)) return true;
    const parentKey = info?.parent?.key;
    return typeof parentKey === 'string' && SCHEMA_CONTAINERS.has(parentKey);
  }

  /** Follows a reference (and any chain of references) to its value. */
  resolveRef(start: JsonObject): unknown {
    if (this.#targets.has(start)) return this.#targets.get(start);
    const chain = new Set<JsonObject>();
    let result: unknown;
    try {
      result = this.#follow(start, chain);
    } catch (error) {
      for (const ref of chain) this.#inProgress.delete(ref);
      throw error;
    }
    for (const ref of chain) {
      this.#targets.set(ref, result);
      this.#inProgress.delete(ref);
    }
    return result;
  }

  #follow(start: JsonObject, chain: Set<JsonObject>): unknown {
    let current = start;
    let result: unknown;
    for (;;) {
      if (this.#targets.has(current)) {
        result = this.#targets.get(current);
        break;
      }
      if (chain.has(current) || this.#inProgress.has(current)) throw this.#cycle(start, chain);
      chain.add(current);
      this.#inProgress.add(current);
      const value = this.#lookup(current);
      if (this.isRef(value)) {
        current = value;
        continue;
      }
      result = value;
      break;
    }
    return result;
  }

  #cycle(start: JsonObject, chain: Set<JsonObject>): BulwarkError {
    const path = [...chain].slice(0, 4).map((r) => `'${clip(String(r['$ref']), 60)}'`);
    const info = this.input.table.get(start);
    const message = `$ref cycle never reaches a value: ${path.join(' -> ')}${chain.size > 4 ? ' -> …' : ''}`;
    if (!info) return new BulwarkError('BULWARK_ERR_REF_CYCLE', message);
    return errorAtNode('BULWARK_ERR_REF_CYCLE', message, info, '$ref');
  }

  #lookup(ref: JsonObject): unknown {
    const info = this.input.table.get(ref);
    if (!info) throw new BulwarkError('BULWARK_ERR_INTERNAL', 'reference without position');
    const refText = ref['$ref'] as string;
    const { uri, fragment } = splitRef(refText, info.doc.uri);
    const doc = this.input.docs.get(uri);
    if (!doc) {
      const failure = this.input.failures.get(uri);
      // A referenced file that was read but is broken reports its own located error.
      if (
        failure &&
        failure.code !== 'BULWARK_ERR_SPEC_READ' &&
        failure.code !== 'BULWARK_ERR_REF_UNRESOLVED'
      ) {
        throw failure;
      }
      const why = failure ? failure.message : 'the document could not be loaded';
      return this.#unresolved(ref, `$ref '${clip(refText)}' cannot be followed: ${why}`, failure);
    }
    if (fragment !== '' && !fragment.startsWith('/')) {
      const value = this.#anchorsOf(doc).get(safeDecode(fragment));
      if (value === undefined) this.#unresolved(ref, `$ref '${clip(refText)}' names no $anchor`);
      return value;
    }
    let node: unknown = doc.rawRoot;
    for (const token of pointerTokens(fragment)) {
      if (this.isRef(node)) node = this.resolveRef(node);
      if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(token) && Number(token) < node.length) {
        node = node[Number(token)];
      } else if (isObject(node) && hasOwn(node, token)) {
        node = node[token];
      } else {
        return this.#unresolved(ref, `$ref '${clip(refText)}' points at nothing`);
      }
    }
    return node;
  }

  #unresolved(ref: JsonObject, message: string, cause?: BulwarkError): never {
    const info = this.input.table.get(ref);
    const error = info
      ? errorAtNode('BULWARK_ERR_REF_UNRESOLVED', message, info, '$ref')
      : new BulwarkError('BULWARK_ERR_REF_UNRESOLVED', message);
    if (cause) Object.defineProperty(error, 'cause', { value: cause });
    throw error;
  }

  /** `$anchor` names of a document (JSON Schema 2020-12 plain-name fragments). */
  #anchorsOf(doc: SourceDoc): Map<string, unknown> {
    let anchors = this.#anchors.get(doc);
    if (anchors) return anchors;
    anchors = new Map();
    const seen = new Set<object>();
    const stack: unknown[] = [doc.rawRoot];
    while (stack.length > 0) {
      const node = stack.pop();
      if (typeof node !== 'object' || node === null || seen.has(node)) continue;
      seen.add(node);
      if (isObject(node) && typeof node['$anchor'] === 'string') anchors.set(node['$anchor'], node);
      for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push(child);
    }
    this.#anchors.set(doc, anchors);
    return anchors;
  }
}

function without(obj: JsonObject, drop: string): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(obj)) if (key !== drop) setOwn(out, key, obj[key]);
  return out;
}
