// Response projection (API3: excessive data exposure, CWE-213): a JSON answer is reduced to what the
// declared response schema describes. Undeclared properties are removed; writeOnly properties never
// leave; arrays and nested objects are projected item by item; allOf members add up; for oneOf/anyOf
// the branches whose `required` members are present (or the discriminator's choice) add up. A schema
// that describes no properties at all (free-form `type: object`) keeps the object as is, because the
// spec promised nothing narrower. Projectors are compiled once per schema node (cycles included).
import type { Schema, SchemaObject } from '../../core/openapi/model.js';

/** Projects `value` in place; returns the number of properties removed. */
export type Projector = (value: unknown) => number;

interface ObjectShape {
  readonly props: Map<string, Projector | undefined>;
  readonly dropped: Set<string>;
  readonly patterns: readonly [RegExp, Projector][];
  /** undefined: drop extras; 'keep': keep extras unprojected; Projector: project extras. */
  readonly extra: Projector | 'keep' | undefined;
  readonly freeForm: boolean;
}

const keep: Projector = () => 0;

function isObj(v: unknown): v is SchemaObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class ProjectorCompiler {
  private readonly memo = new Map<object, Projector>();

  compile(schema: Schema | undefined): Projector {
    if (!isObj(schema)) return keep;
    const cached = this.memo.get(schema);
    if (cached) return cached;
    // Indirection so a cycle can refer to this node before it is compiled.
    let impl: Projector = keep;
    const self: Projector = (v) => impl(v);
    this.memo.set(schema, self);
    impl = this.build(schema);
    return self;
  }

  private build(schema: SchemaObject): Projector {
    const items = isObj(schema['items']) ? this.compile(schema['items'] as Schema) : undefined;
    const shape = this.shape(schema);
    const branches = this.branches(schema);
    const discriminator = discriminatorOf(schema);
    if (!shape && !items && branches.length === 0) return keep;
    return (value) => {
      if (Array.isArray(value)) {
        if (!items) return 0;
        let n = 0;
        for (const item of value) n += items(item);
        return n;
      }
      if (value === null || typeof value !== 'object') return 0;
      const obj = value as Record<string, unknown>;
      const shapes: ObjectShape[] = shape ? [shape] : [];
      if (branches.length > 0) shapes.push(...pickBranches(branches, obj, discriminator));
      return projectObject(obj, shapes);
    };
  }

  /** The object shape of a node with its allOf members merged. */
  private shape(schema: SchemaObject): ObjectShape | undefined {
    const props = new Map<string, Projector | undefined>();
    const dropped = new Set<string>();
    const patterns: [RegExp, Projector][] = [];
    let extra: Projector | 'keep' | undefined;
    let described = false;
    const visit = (node: SchemaObject, seen: Set<object>): void => {
      if (seen.has(node)) return;
      seen.add(node);
      const p = node['properties'];
      if (isObj(p)) {
        described = true;
        for (const [name, sub] of Object.entries(p)) {
          if (isObj(sub) && sub['writeOnly'] === true) dropped.add(name);
          else props.set(name, isObj(sub) ? this.compile(sub) : undefined);
        }
      }
      const pp = node['patternProperties'];
      if (isObj(pp)) {
        described = true;
        for (const [re, sub] of Object.entries(pp))
          patterns.push([new RegExp(re), this.compile(sub as Schema)]);
      }
      const ap = node['additionalProperties'];
      if (ap === true) extra = 'keep';
      else if (isObj(ap)) extra = Object.keys(ap).length === 0 ? 'keep' : this.compile(ap);
      if (ap !== undefined) described = true;
      const all = node['allOf'];
      if (Array.isArray(all)) for (const m of all) if (isObj(m)) visit(m, seen);
    };
    visit(schema, new Set());
    if (!described) return undefined;
    for (const d of dropped) props.delete(d);
    return { props, dropped, patterns, extra, freeForm: false };
  }

  private branches(schema: SchemaObject): Branch[] {
    const list = [schema['oneOf'], schema['anyOf']].flatMap((x) => (Array.isArray(x) ? x : []));
    const out: Branch[] = [];
    for (const b of list) {
      if (!isObj(b)) continue;
      const shape = this.shape(b);
      const required = Array.isArray(b['required']) ? (b['required'] as string[]) : [];
      out.push({ schema: b, shape: shape ?? FREE, required });
    }
    return out;
  }
}

const FREE: ObjectShape = {
  props: new Map(),
  dropped: new Set(),
  patterns: [],
  extra: 'keep',
  freeForm: true,
};

interface Branch {
  readonly schema: SchemaObject;
  readonly shape: ObjectShape;
  readonly required: readonly string[];
}

interface Discriminator {
  readonly property: string;
  readonly mapping: ReadonlyMap<string, object>;
}

function discriminatorOf(schema: SchemaObject): Discriminator | undefined {
  const d = schema['discriminator'];
  if (!isObj(d) || typeof d['propertyName'] !== 'string') return undefined;
  // After $ref resolution the mapping values are the target schemas themselves (or strings).
  const mapping = new Map<string, object>();
  if (isObj(d['mapping'])) {
    for (const [k, v] of Object.entries(d['mapping'])) if (isObj(v)) mapping.set(k, v);
  }
  return { property: d['propertyName'], mapping };
}

function pickBranches(
  branches: readonly Branch[],
  obj: Record<string, unknown>,
  discriminator: Discriminator | undefined,
): ObjectShape[] {
  if (discriminator) {
    const tag = obj[discriminator.property];
    const target = typeof tag === 'string' ? discriminator.mapping.get(tag) : undefined;
    const hit = target && branches.find((b) => b.schema === target);
    if (hit) return [hit.shape];
  }
  const matching = branches.filter((b) => b.required.every((r) => r in obj));
  return (matching.length > 0 ? matching : branches).map((b) => b.shape);
}

function projectObject(obj: Record<string, unknown>, shapes: readonly ObjectShape[]): number {
  if (shapes.length === 0 || shapes.some((s) => s.freeForm)) return 0;
  let removed = 0;
  for (const key of Object.keys(obj)) {
    let handled = false;
    let dropped = false;
    for (const s of shapes) {
      if (s.dropped.has(key)) dropped = true;
      if (s.props.has(key)) {
        const p = s.props.get(key);
        if (p) removed += p(obj[key]);
        handled = true;
        break;
      }
      const pat = s.patterns.find(([re]) => re.test(key));
      if (pat) {
        removed += pat[1](obj[key]);
        handled = true;
        break;
      }
    }
    if (!handled && !dropped) {
      const extra = shapes.find((s) => s.extra !== undefined)?.extra;
      if (extra === 'keep') handled = true;
      else if (extra) {
        removed += extra(obj[key]);
        handled = true;
      }
    }
    if (!handled) {
      delete obj[key];
      removed++;
    }
  }
  return removed;
}
