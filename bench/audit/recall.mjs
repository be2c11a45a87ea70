// The recall check of issue 8: for every Spectral OWASP finding that is a true positive, Bulwark must
// have a matching finding. A Spectral finding is NOT a true positive when (reasons are counted):
// - schema rules: the schema is never sent by a client (response-only, unused, readOnly), or its
//   length is bounded by its format/enum/pattern (string-limit), or min+max bound it (integer-format);
// - the check cannot apply: validation errors on operations without input, 401 on public operations,
//   refresh URLs on flows that never issue refresh tokens (RFC 6749 §4.2.2, §4.4.3) or in Swagger 2.0
//   (no such field), `content` required on Swagger 2.0 responses (2.0 has `schema`), 4XX/5XX ranges
//   accepted for 401/500, pagination cursors named *_token, `headers` inside vendor extensions
//   (e.g. x-ms-examples), which are not HTTP headers.
// Spectral paths go through resolved $refs, so each is walked on Bulwark's model to find the node.
// Run with: node --import tsx bench/audit/recall.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditModel } from '../../src/audit/engine/run.ts';
import { buildSchemaIndex } from '../../src/audit/engine/schema-index.ts';
import { rules } from '../../src/audit/registry.ts';
import { isLengthBounded } from '../../src/audit/util/schema.ts';
import { isAnonymous, takesInput } from '../../src/audit/util/operations.ts';
import { loadSpec } from '../../src/core/openapi/load.ts';
import { RESULTS, ROOT } from './common.mjs';

const SCHEMA_RULES = new Set([
  'owasp:api4:2023-string-limit',
  'owasp:api4:2023-string-restricted',
  'owasp:api4:2023-array-limit',
  'owasp:api4:2023-integer-limit',
  'owasp:api4:2023-integer-limit-legacy',
  'owasp:api4:2023-integer-format',
  'owasp:api3:2023-no-additionalProperties',
  'owasp:api3:2023-constrained-additionalProperties',
  'owasp:api3:2023-no-unevaluatedProperties',
  'owasp:api3:2023-constrained-unevaluatedProperties',
]);
// Spectral points at the keyword it checked (e.g. `.../additionalProperties`); strip it to reach the
// schema node. Only the additionalProperties rules check a schema-valued keyword.
const SCALAR_KEYWORDS = new Set([
  'maxItems',
  'format',
  'minimum',
  'maximum',
  'maxLength',
  'maxProperties',
]);
const FIELD_OF = {
  'owasp:api3:2023-no-additionalProperties': 'additionalProperties',
  'owasp:api3:2023-constrained-additionalProperties': 'additionalProperties',
  'owasp:api3:2023-no-unevaluatedProperties': 'unevaluatedProperties',
  'owasp:api3:2023-constrained-unevaluatedProperties': 'unevaluatedProperties',
};
function schemaPath(d) {
  const last = String(d.path[d.path.length - 1]);
  return SCALAR_KEYWORDS.has(last) || FIELD_OF[d.code] === last ? d.path.slice(0, -1) : d.path;
}
// Spectral's no-*Properties rules also fire on a schema-valued map; Bulwark reports those maps
// under the constrained-* rules (and not at all when maxProperties bounds them, as Spectral's own
// description allows).
const ALSO = {
  'owasp:api3:2023-no-additionalProperties': ['owasp:api3:constrained-additional-properties'],
  'owasp:api3:2023-no-unevaluatedProperties': ['owasp:api3:constrained-unevaluated-properties'],
};
const PAGINATION =
  /(page|next|continuation|sync|cursor|skip|resume|start|last|previous|prev)_?token/i;

const escape = (s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1');
const toPointer = (path) => path.map((s) => `/${escape(s)}`).join('');

/** The parameter written at a pointer, wherever operations use it. */
function paramAt(model, pointer) {
  for (const op of model.operations) {
    const found = op.parameters.find((p) => p.location.pointer === pointer);
    if (found) return found;
  }
  return undefined;
}

/** Walks a Spectral path on the resolved model to the schema node it names, or undefined. */
function nodeAt(model, path) {
  let node;
  let rest;
  if ((path[0] === 'components' && path[1] === 'schemas') || path[0] === 'definitions') {
    const i = path[0] === 'definitions' ? 1 : 2;
    node = model.schemas[path[i]];
    rest = path.slice(i + 1);
  } else if (path[0] === 'components' && path[1] === 'parameters') {
    node = paramAt(model, toPointer(path.slice(0, 3)))?.schema;
    rest = path.slice(path[3] === 'schema' ? 4 : 3);
  } else if (path[0] === 'paths' && path[2] === 'parameters') {
    node = paramAt(model, toPointer(path.slice(0, 4)))?.schema;
    rest = path.slice(path[4] === 'schema' ? 5 : 4);
  } else if (path[0] === 'paths') {
    const op = model.operations.find((o) => o.path === path[1] && o.method === path[2]);
    if (!op) return undefined;
    const [kind, a, b, c, d] = path.slice(3);
    if (kind === 'parameters') {
      // The model merges path-item and operation parameters, so find the one written at this path.
      const raw = paramAt(model, toPointer(path.slice(0, 5)));
      if (!raw) return undefined;
      node = raw.schema;
      rest = b === 'schema' ? path.slice(6) : path.slice(5);
    } else if (kind === 'requestBody' && a === 'content') {
      node = op.requestBody?.content.find((m) => m.mediaType === b)?.schema;
      rest = path.slice(8);
      if (c !== 'schema') return undefined;
    } else if (kind === 'responses') {
      const response = op.responses.find((r) => r.status === String(a));
      if (!response) return undefined;
      if (b === 'schema') {
        node = response.content[0]?.schema;
        rest = path.slice(6);
      } else if (b === 'content' && d === 'schema') {
        node = response.content.find((m) => m.mediaType === c)?.schema;
        rest = path.slice(8);
      } else if (b === 'headers') {
        node = response.headers.find((h) => h.name === c)?.schema;
        rest = path.slice(d === 'schema' ? 8 : 7);
      } else return undefined;
    } else return undefined;
  } else return undefined;
  for (const seg of rest) {
    if (node === null || typeof node !== 'object') return undefined;
    node = node[seg];
  }
  return node !== null && typeof node === 'object' ? node : undefined;
}

function anchorsOf(model, findings) {
  const opPointer = new Map(model.operations.map((o) => [o.key, o.location.pointer]));
  const byRule = new Map();
  for (const f of findings) {
    const anchors = byRule.get(f.id) ?? [];
    for (const where of [f.location, ...(f.related ?? [])]) {
      if (where.spec) anchors.push(where.spec.pointer);
      if (where.operation && opPointer.has(where.operation))
        anchors.push(opPointer.get(where.operation));
    }
    byRule.set(f.id, anchors);
  }
  return byRule;
}

function excluded(model, index, d) {
  const path = d.path;
  if (path.some((s) => String(s).startsWith('x-'))) return 'inside a vendor extension (not HTTP)';
  if (
    d.code === 'owasp:api8:2023-define-cors-origin' &&
    path[0] === 'components' &&
    path[1] === 'headers'
  )
    return 'a header component, not a response';
  // Spectral's `$..headers` and `$.paths..responses` also match schema properties and example values
  // that happen to be called `headers` or `responses`.
  if (
    !SCHEMA_RULES.has(d.code) &&
    path.some((s) => ['properties', 'example', 'examples'].includes(String(s)))
  )
    return 'a schema property or example value, not an HTTP object';
  const op =
    path[0] === 'paths'
      ? model.operations.find((o) => o.path === path[1] && o.method === path[2])
      : undefined;
  const swagger = model.version === 'swagger-2.0';
  switch (d.code) {
    case 'owasp:api8:2023-define-error-validation':
      if (op && !takesInput(op)) return 'operation takes no input';
      break;
    case 'owasp:api8:2023-define-error-responses-401': {
      if (op && isAnonymous(op) !== false && isAnonymous(op) !== 'optional')
        return 'public operation cannot answer 401';
      const r = op?.responses.find((x) => x.status === '401' || x.status.toUpperCase() === '4XX');
      if (r && r.content.length > 0)
        return swagger ? 'Swagger 2.0 response has schema, not content' : '4XX range documented';
      break;
    }
    case 'owasp:api8:2023-define-error-responses-500': {
      const r = op?.responses.find((x) => x.status === '500' || x.status.toUpperCase() === '5XX');
      if (r && r.content.length > 0)
        return swagger ? 'Swagger 2.0 response has schema, not content' : '5XX range documented';
      break;
    }
    case 'owasp:api4:2023-rate-limit-responses-429': {
      const r = op?.responses.find((x) => x.status === '429');
      if (r && r.content.length > 0) return 'Swagger 2.0 response has schema, not content';
      break;
    }
    case 'owasp:api2:2023-short-lived-access-tokens':
      if (swagger) return 'Swagger 2.0 has no refreshUrl';
      if (['implicit', 'clientCredentials'].includes(String(path[4])))
        return 'flow never issues refresh tokens';
      break;
    case 'owasp:api2:2023-no-credentials-in-url': {
      const p = paramAt(model, toPointer(path.slice(0, -1)));
      if (p && PAGINATION.test(p.name)) return 'pagination cursor, not a credential';
      break;
    }
    default:
      break;
  }
  if (!SCHEMA_RULES.has(d.code)) return undefined;
  const node = nodeAt(model, schemaPath(d));
  if (!node) return 'schema not found on the model (component response/parameter path)';
  const use = index.useOf(node);
  if (!use?.request) return 'not sent by clients (response-only, unused or readOnly)';
  if (
    d.code.startsWith('owasp:api4:2023-integer') &&
    (Array.isArray(node.enum) || node.const !== undefined)
  )
    return 'bounded by enum/const';
  if (FIELD_OF[d.code] && typeof node.maxProperties === 'number')
    return 'map bounded by maxProperties';
  if (d.code === 'owasp:api4:2023-string-limit' && isLengthBounded(node))
    return 'length bounded by format/enum/pattern';
  if (
    d.code === 'owasp:api4:2023-integer-format' &&
    typeof node.minimum === 'number' &&
    typeof node.maximum === 'number'
  )
    return 'bounded by minimum and maximum';
  return undefined;
}

const raw = JSON.parse(readFileSync(join(ROOT, 'bench/results/tmp/spectral-batch.json'), 'utf8'));
const bySource = new Map();
for (const d of raw) {
  if (!d.code.startsWith('owasp:')) continue;
  const key = d.source ?? '(no source: Spectral gave no file)';
  bySource.set(key, [...(bySource.get(key) ?? []), d]);
}
const mapped = new Map();
for (const r of rules)
  for (const s of r.spectral ?? []) mapped.set(s, [...(mapped.get(s) ?? []), r.id]);

const perRule = {};
const reasons = {};
const misses = [];
let unattributed = 0;
for (const [source, list] of bySource) {
  if (!source.startsWith('/')) {
    unattributed += list.length;
    continue;
  }
  const model = await loadSpec(source);
  const index = buildSchemaIndex(model);
  const { findings } = auditModel(model, { rules, schemas: index });
  const anchors = anchorsOf(model, findings);
  for (const d of list) {
    const row = (perRule[d.code] ??= { spectral: 0, truePositive: 0, matched: 0, excluded: 0 });
    row.spectral++;
    const why = excluded(model, index, d);
    if (why) {
      row.excluded++;
      reasons[why] = (reasons[why] ?? 0) + 1;
      continue;
    }
    row.truePositive++;
    let P = toPointer(d.path);
    let exact = false;
    if (SCHEMA_RULES.has(d.code)) {
      const node = nodeAt(model, schemaPath(d));
      const own = node && model.locate(node)?.pointer;
      // Schemas the loader synthesised (2.0 non-body parameters) are reported at their parameter.
      exact = own !== undefined;
      P = own ?? toPointer(schemaPath(d));
    }
    const ids = [...(mapped.get(d.code) ?? []), ...(ALSO[d.code] ?? [])];
    const candidates = ids.flatMap((id) => anchors.get(id) ?? []);
    const hit = candidates.some((A) =>
      exact ? A === P : P === A || P.startsWith(`${A}/`) || A.startsWith(`${P}/`),
    );
    if (hit) row.matched++;
    else if (misses.filter((m) => m.code === d.code).length < 15)
      misses.push({ code: d.code, source: source.split('/').pop(), pointer: P });
  }
}
const totals = Object.values(perRule).reduce(
  (a, r) => ({ tp: a.tp + r.truePositive, m: a.m + r.matched }),
  { tp: 0, m: 0 },
);
const result = {
  perRule,
  reasons,
  unattributed,
  truePositives: totals.tp,
  matched: totals.m,
  recall: totals.tp ? totals.m / totals.tp : 1,
  misses,
};
writeFileSync(join(RESULTS, 'recall.json'), JSON.stringify(result, null, 1));
process.stderr.write(`recall ${totals.m}/${totals.tp} = ${(result.recall * 100).toFixed(2)}%\n`);
