// Validates answers against the spec's response schemas. The model's schemas are resolved object
// graphs in which recursion is a real cycle; Ajv needs a tree, so shared and recursive nodes are
// lifted into `$defs` and referenced, once per compile. OpenAPI 3.0 `nullable` is mapped to a type
// union; unknown keywords and formats are ignored (strict: false): we report only clear breaks.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import type { Schema } from '../../core/openapi/model.js';

const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
const cache = new WeakMap<object, ValidateFunction | null>();

export function validatorFor(schema: Schema): ValidateFunction | undefined {
  if (typeof schema !== 'object') return undefined;
  if (cache.has(schema)) return cache.get(schema) ?? undefined;
  let fn: ValidateFunction | null = null;
  try {
    fn = ajv.compile(toTree(schema) as object);
  } catch {
    fn = null; // a schema Ajv cannot compile is the audit's business, not a scan finding
  }
  cache.set(schema, fn);
  return fn ?? undefined;
}

function toTree(root: object): unknown {
  const counts = new Map<object, number>();
  const count = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const n = (counts.get(node) ?? 0) + 1;
    counts.set(node, n);
    if (n > 1) return;
    for (const value of Object.values(node)) count(value);
  };
  count(root);
  const names = new Map<object, string>();
  const defs: Record<string, unknown> = {};
  const emit = (node: unknown, top: boolean): unknown => {
    if (typeof node !== 'object' || node === null) return node;
    if (Array.isArray(node)) return node.map((item) => emit(item, false));
    if (!top && (counts.get(node) ?? 0) > 1 && isSchemaLike(node)) {
      let name = names.get(node);
      if (!name) {
        name = `s${names.size}`;
        names.set(node, name);
        defs[name] = emit(node, true);
      }
      return { $ref: `#/$defs/${name}` };
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'example' || key === 'examples' || key === 'xml' || key === 'discriminator')
        continue;
      out[key] = emit(value, false);
    }
    if (out['nullable'] === true && typeof out['type'] === 'string')
      out['type'] = [out['type'], 'null'];
    delete out['nullable'];
    return out;
  };
  const tree = emit(root, true) as Record<string, unknown>;
  return { ...tree, $defs: { ...((tree['$defs'] as object | undefined) ?? {}), ...defs } };
}

function isSchemaLike(node: object): boolean {
  return ['type', 'properties', 'items', 'allOf', 'oneOf', 'anyOf', 'enum', '$ref'].some(
    (k) => k in node,
  );
}
