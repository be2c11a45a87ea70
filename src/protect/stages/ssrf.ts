// SSRF guard (API7, CWE-918): request fields that carry URLs the upstream will fetch are checked before
// forwarding. Guarded fields are every `format: uri`/`url`/`iri` string in the operation's JSON body
// schema and query parameters, plus fields named in protect.ssrf.fields ('operationId:/pointer').
// Each URL must use an allowed scheme, carry no credentials, match the host allowlist when one is set,
// and resolve only to public addresses (src/core/net/address.ts, checked after DNS resolution).
// Limitation (docs/protect/stages.md): the upstream resolves the name again when it fetches, so a DNS
// rebinding answer between the two lookups is outside what a gateway can stop; the upstream should
// pin the checked address (pinnedLookup).
import { assertSafeUrl } from '../../core/net/address.js';
import type { Schema, SchemaObject } from '../../core/openapi/model.js';
import { isBulwarkError } from '../../core/errors.js';
import { parseQuery } from '../engine/query.js';
import { refuse } from '../engine/problem.js';
import type { RequestContext } from '../engine/context.js';
import type { StageDefinition, StageResult } from '../engine/types.js';

const URL_FORMATS = new Set(['uri', 'url', 'iri']);
const MAX_DEPTH = 12;
/** A request with more URLs than this is refused rather than resolved one by one (API4). */
const MAX_URLS = 32;

function isObj(v: unknown): v is SchemaObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON pointers (with `*` for array items) of URL-format strings in a schema graph. */
export function urlPointers(schema: Schema | undefined): string[] {
  const out = new Set<string>();
  const walk = (node: unknown, pointer: string, depth: number, path: Set<object>): void => {
    if (!isObj(node) || depth > MAX_DEPTH || path.has(node)) return;
    path.add(node);
    if (typeof node['format'] === 'string' && URL_FORMATS.has(node['format'])) out.add(pointer);
    const props = node['properties'];
    if (isObj(props)) {
      for (const [k, sub] of Object.entries(props)) {
        walk(sub, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, depth + 1, path);
      }
    }
    if (node['items'] !== undefined) walk(node['items'], `${pointer}/*`, depth + 1, path);
    for (const key of ['allOf', 'oneOf', 'anyOf']) {
      const list = node[key];
      if (Array.isArray(list)) for (const m of list) walk(m, pointer, depth + 1, path);
    }
    path.delete(node);
  };
  walk(schema, '', 0, new Set());
  return [...out];
}

function collect(value: unknown, segments: readonly string[], i: number, out: string[]): void {
  if (out.length > MAX_URLS) return;
  if (i === segments.length) {
    if (typeof value === 'string') out.push(value);
    return;
  }
  const seg = segments[i]!;
  if (seg === '*') {
    if (Array.isArray(value)) for (const v of value) collect(v, segments, i + 1, out);
    return;
  }
  if (isObj(value) && Object.hasOwn(value, seg)) collect(value[seg], segments, i + 1, out);
}

interface Plan {
  readonly body: readonly (readonly string[])[];
  readonly query: readonly string[];
}

export const ssrfStage: StageDefinition = {
  name: 'ssrf',
  summary: 'URL fields (format: uri) resolved and refused when not public (API7)',
  phase: 'guard',
  compile({ operations, policy }) {
    if (!policy.ssrf.enabled) return undefined;
    const options = { allowedSchemes: policy.ssrf.schemes, allowedHosts: policy.ssrf.allowHosts };
    const plans: (Plan | undefined)[] = operations.map((cop) => {
      const pointers = new Set<string>();
      for (const m of cop.op.requestBody?.content ?? [])
        for (const p of urlPointers(m.schema)) pointers.add(p);
      for (const p of policy.ssrf.fields[cop.operationId ?? ''] ?? []) pointers.add(p);
      const query = cop.op.parameters
        .filter(
          (p) => p.in === 'query' && isObj(p.schema) && URL_FORMATS.has(String(p.schema['format'])),
        )
        .map((p) => p.name);
      if (pointers.size === 0 && query.length === 0) return undefined;
      const body = [...pointers].map((p) =>
        p
          .split('/')
          .slice(1)
          .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')),
      );
      return { body, query };
    });
    if (plans.every((p) => p === undefined)) return undefined;

    const check = async (urls: readonly string[]): Promise<StageResult> => {
      if (urls.length > MAX_URLS) return refuse('BULWARK_DENY_URL_REFUSED', 'too many URLs');
      for (const url of urls) {
        try {
          await assertSafeUrl(url, options);
        } catch (err) {
          return refuse(
            'BULWARK_DENY_URL_REFUSED',
            isBulwarkError(err) ? err.message : 'URL check failed',
          );
        }
      }
      return undefined;
    };

    return {
      request(ctx: RequestContext): StageResult | Promise<StageResult> {
        const plan = ctx.operation === undefined ? undefined : plans[ctx.operation.index];
        if (plan === undefined) return undefined;
        const urls: string[] = [];
        if (ctx.json !== undefined) for (const segs of plan.body) collect(ctx.json, segs, 0, urls);
        if (plan.query.length > 0 && ctx.query !== '') {
          const q = parseQuery(ctx.query);
          for (const name of plan.query) urls.push(...(q?.get(name) ?? []));
        }
        return urls.length === 0 ? undefined : check(urls);
      },
    };
  },
};
