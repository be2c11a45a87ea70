// The compiled route matcher: a segment trie over the spec's path templates (the shape find-my-way and
// Envoy use). Static segments win over mixed segments (`{name}.json`), which win over whole-segment
// parameters, with backtracking, so `/users/me` beats `/users/{id}` whatever the spec's order.
// Matching works on the normalised, still percent-encoded path the hygiene stage produced; parameter
// values are percent-decoded once, which is what the upstream will see.
import type { Operation } from '../../core/openapi/model.js';
import type { OperationPolicy } from './policy.js';

export interface CompiledOperation {
  readonly index: number;
  readonly op: Operation;
  /** `GET /users/{id}`: the label for logs and metrics. */
  readonly key: string;
  readonly method: string;
  readonly operationId: string | undefined;
  readonly template: string;
  readonly pathParamNames: readonly string[];
  /** The spec requires credentials for this operation (declared security with a scheme). */
  readonly requiresAuth: boolean;
  /** x-bulwark-cost, default 1 (issue 6). */
  readonly cost: number;
  readonly policy: OperationPolicy | undefined;
}

export interface PathEntry {
  readonly template: string;
  readonly operations: ReadonlyMap<string, CompiledOperation>;
  /** `GET, HEAD, POST`: the Allow header for 405 answers (RFC 9110 §15.5.6). */
  readonly allow: string;
  readonly methods: readonly string[];
}

interface MixedSegment {
  readonly regex: RegExp;
  readonly names: readonly string[];
  readonly node: TrieNode;
}

interface TrieNode {
  statics: Map<string, TrieNode> | undefined;
  mixed: MixedSegment[] | undefined;
  param: { readonly name: string; readonly node: TrieNode } | undefined;
  entry: PathEntry | undefined;
  paramNames: readonly string[];
}

function newNode(): TrieNode {
  return {
    statics: undefined,
    mixed: undefined,
    param: undefined,
    entry: undefined,
    paramNames: [],
  };
}

const PARAM = /\{([^{}]+)\}/g;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Encodes a template's literal text the way hygiene normalises request paths. */
function normaliseLiteral(text: string): string {
  return encodeURI(text).replace(/%[0-9a-f]{2}/gi, (m) => m.toUpperCase());
}

export class Router {
  private readonly root = newNode();
  readonly entries: PathEntry[] = [];

  add(template: string, operations: readonly CompiledOperation[]): PathEntry {
    let node = this.root;
    const names: string[] = [];
    for (const segment of template.split('/').slice(1)) {
      node = this.child(node, segment, names);
    }
    const methods = operations.map((o) => o.method);
    if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD');
    const entry: PathEntry = {
      template,
      operations: new Map(operations.map((o) => [o.method, o])),
      allow: methods.join(', '),
      methods,
    };
    node.entry = entry;
    node.paramNames = names;
    this.entries.push(entry);
    return entry;
  }

  private child(node: TrieNode, segment: string, names: string[]): TrieNode {
    const whole = /^\{([^{}]+)\}$/.exec(segment);
    if (whole) {
      names.push(whole[1] ?? '');
      node.param ??= { name: whole[1] ?? '', node: newNode() };
      return node.param.node;
    }
    if (segment.includes('{')) {
      const segNames: string[] = [];
      const source = segment
        .split(PARAM)
        .map((part, i) =>
          i % 2 === 1 ? (segNames.push(part), '([^/]+?)') : escapeRegex(normaliseLiteral(part)),
        )
        .join('');
      names.push(...segNames);
      const existing = node.mixed?.find((m) => m.regex.source === `^${source}$`);
      if (existing) return existing.node;
      const mixed = { regex: new RegExp(`^${source}$`), names: segNames, node: newNode() };
      (node.mixed ??= []).push(mixed);
      return mixed.node;
    }
    node.statics ??= new Map();
    const key = normaliseLiteral(segment);
    let next = node.statics.get(key);
    if (!next) node.statics.set(key, (next = newNode()));
    return next;
  }

  /**
   * Matches a normalised path. Fills `params` with decoded values in template order. Returns the
   * path entry or undefined.
   */
  match(path: string, params: string[]): PathEntry | undefined {
    const segments = path.split('/');
    return matchFrom(this.root, segments, 1, params);
  }
}

function matchFrom(
  node: TrieNode,
  segments: readonly string[],
  i: number,
  params: string[],
): PathEntry | undefined {
  if (i === segments.length) return node.entry;
  const segment = segments[i] ?? '';
  const next = node.statics?.get(segment);
  if (next) {
    const found = matchFrom(next, segments, i + 1, params);
    if (found) return found;
  }
  if (segment === '') return undefined; // an empty segment never fills a parameter
  const depth = params.length;
  if (node.mixed) {
    for (const m of node.mixed) {
      const r = m.regex.exec(segment);
      if (!r) continue;
      for (let k = 1; k < r.length; k++) params.push(decodeURIComponent(r[k] ?? ''));
      const found = matchFrom(m.node, segments, i + 1, params);
      if (found) return found;
      params.length = depth;
    }
  }
  if (node.param) {
    params.push(decodeURIComponent(segment));
    const found = matchFrom(node.param.node, segments, i + 1, params);
    if (found) return found;
    params.length = depth;
  }
  return undefined;
}
