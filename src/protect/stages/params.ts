// Parameter validation (API3, API4, API8): path, query, header and cookie parameters are read the way
// OpenAPI serialises them (style/explode basics: form, spaceDelimited, pipeDelimited, deepObject,
// simple, label) and validated by one compiled ajv function per operation. Undeclared query
// parameters are refused by default, and a scalar parameter given twice is refused (HTTP parameter
// pollution, CWE-235: the gateway would check one copy while the upstream reads the other).
import type { ValidateFunction } from 'ajv';
import type { Parameter, Schema, SchemaObject } from '../../core/openapi/model.js';
import { issuesOf } from '../engine/schema-compiler.js';
import { parseCookies, parseQuery } from '../engine/query.js';
import { refuse } from '../engine/problem.js';
import type { RequestContext } from '../engine/context.js';
import type { ProblemCode } from '../engine/problem.js';
import type { Reply, StageDefinition, StageResult } from '../engine/types.js';

type Kind = 'scalar' | 'array' | 'object';

interface Plan {
  readonly name: string;
  readonly key: string;
  readonly kind: Kind;
  readonly style: string;
  readonly explode: boolean;
  readonly allowEmpty: boolean;
  readonly properties: readonly string[];
  /** Scalar type of the value, or of array items; per property for objects. */
  readonly scalar: string | undefined;
  readonly propTypes: Readonly<Record<string, string | undefined>>;
}

interface OpPlan {
  readonly path: readonly (Plan & { readonly index: number })[];
  readonly query: readonly Plan[];
  readonly header: readonly Plan[];
  readonly cookie: readonly Plan[];
  readonly validate: ValidateFunction;
}

function typesOf(schema: Schema): string[] {
  if (typeof schema !== 'object') return [];
  const t = (schema as SchemaObject)['type'];
  if (typeof t === 'string') return [t];
  return Array.isArray(t) ? (t as string[]) : [];
}

function scalarType(schema: unknown): string | undefined {
  return typesOf(schema as Schema).find((t) => t !== 'null');
}

// Strings become numbers and booleans only in their canonical JSON spelling: `0x10`, `1e3` for an
// integer, ` 5` or `+5` stay strings and fail the type check, because upstreams parse such forms
// differently (Number vs parseInt) and the gateway must validate what the upstream will read.
const INTEGER = /^-?(0|[1-9][0-9]*)$/;
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

function coerce(value: string, type: string | undefined): unknown {
  if (type === 'integer') return INTEGER.test(value) ? Number(value) : value;
  if (type === 'number') return NUMBER.test(value) ? Number(value) : value;
  if (type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

function coerceAll(plan: Plan, v: unknown): unknown {
  if (typeof v === 'string') return coerce(v, plan.scalar);
  if (Array.isArray(v)) return v.map((x: string) => coerce(x, plan.scalar));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, string>))
      out[k] = coerce(x, plan.propTypes[k]);
    return out;
  }
  return v;
}

function planOf(p: Parameter): Plan {
  const types = typesOf(p.schema);
  const kind: Kind = types.includes('array')
    ? 'array'
    : types.includes('object')
      ? 'object'
      : 'scalar';
  const defaultStyle = p.in === 'query' || p.in === 'cookie' ? 'form' : 'simple';
  const style = p.style ?? defaultStyle;
  const props =
    typeof p.schema === 'object' &&
    typeof p.schema['properties'] === 'object' &&
    p.schema['properties']
      ? Object.keys(p.schema['properties'] as object)
      : [];
  return {
    name: p.name,
    key: p.in === 'header' ? p.name.toLowerCase() : p.name,
    kind,
    style,
    explode: p.explode ?? style === 'form',
    allowEmpty: p.allowEmptyValue === true,
    properties: props,
    scalar:
      kind === 'array' && typeof p.schema === 'object'
        ? scalarType(p.schema['items'])
        : scalarType(p.schema),
    propTypes:
      kind === 'object' && typeof p.schema === 'object'
        ? Object.fromEntries(
            Object.entries((p.schema['properties'] ?? {}) as Record<string, unknown>).map(
              ([k, v]) => [k, scalarType(v)],
            ),
          )
        : {},
  };
}

function fail(code: ProblemCode, reason: string, where?: string): Reply {
  const r = refuse(code, reason);
  return where === undefined ? r : { ...r, extra: { errors: [{ pointer: where, keyword: code }] } };
}

const DELIMS: Record<string, string> = { spaceDelimited: ' ', pipeDelimited: '|' };

/** Reads the query; returns a Reply on refusal. */
function readQuery(
  plans: readonly Plan[],
  raw: string,
  out: Record<string, unknown>,
  refuseUnknown: boolean,
): Reply | undefined {
  const map = parseQuery(raw);
  if (map === undefined) return fail('BULWARK_DENY_PARAM_INVALID', 'malformed query escape');
  let claimed = 0;
  for (const p of plans) {
    if (p.kind === 'object' && (p.style === 'deepObject' || p.explode)) {
      const obj: Record<string, string> = {};
      let found = false;
      for (const [k, v] of map) {
        let prop: string | undefined;
        if (p.style === 'deepObject') {
          if (k.startsWith(`${p.name}[`) && k.endsWith(']')) prop = k.slice(p.name.length + 1, -1);
        } else if (p.properties.includes(k)) prop = k;
        if (prop === undefined) continue;
        if (v.length > 1)
          return fail('BULWARK_DENY_PARAM_DUPLICATE', 'repeated key', `/query/${k}`);
        obj[prop] = v[0] ?? '';
        found = true;
        claimed++;
      }
      if (found) out[p.name] = obj;
      continue;
    }
    const values = map.get(p.name);
    if (values === undefined) continue;
    claimed++;
    if (!p.allowEmpty && values.includes('')) {
      return fail('BULWARK_DENY_PARAM_INVALID', 'empty value', `/query/${p.name}`);
    }
    if (p.kind === 'array') {
      if (p.explode && p.style === 'form') out[p.name] = values;
      else if (values.length > 1)
        return fail('BULWARK_DENY_PARAM_DUPLICATE', 'repeated', `/query/${p.name}`);
      else out[p.name] = (values[0] ?? '').split(DELIMS[p.style] ?? ',');
    } else if (values.length > 1) {
      return fail('BULWARK_DENY_PARAM_DUPLICATE', 'repeated scalar', `/query/${p.name}`);
    } else if (p.kind === 'object') {
      out[p.name] = pairs((values[0] ?? '').split(','));
    } else out[p.name] = values[0];
  }
  if (refuseUnknown && claimed < map.size) {
    for (const k of map.keys()) {
      if (
        !plans.some((p) => k === p.name || k.startsWith(`${p.name}[`) || p.properties.includes(k))
      ) {
        return fail('BULWARK_DENY_PARAM_UNKNOWN', 'undeclared query parameter', `/query/${k}`);
      }
    }
  }
  return undefined;
}

function pairs(list: readonly string[]): Record<string, string> {
  const obj: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) obj[list[i] ?? ''] = list[i + 1] ?? '';
  return obj;
}

function simple(plan: Plan, value: string): unknown {
  let v = value;
  if (plan.style === 'label' && v.startsWith('.')) v = v.slice(1);
  const sep = plan.style === 'label' && plan.explode ? '.' : ',';
  if (plan.kind === 'array') return v.split(sep);
  if (plan.kind === 'object') {
    if (plan.explode) {
      const obj: Record<string, string> = {};
      for (const part of v.split(sep)) {
        const eq = part.indexOf('=');
        if (eq > 0) obj[part.slice(0, eq)] = part.slice(eq + 1);
      }
      return obj;
    }
    return pairs(v.split(','));
  }
  return v;
}

function section(params: readonly Parameter[], where: string): SchemaObject {
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const p of params) {
    if (p.in !== where) continue;
    const key = p.in === 'header' ? p.name.toLowerCase() : p.name;
    properties[key] = p.schema;
    if (p.required) required.push(key);
  }
  return { type: 'object', properties, required };
}

function coerceSection(plans: readonly Plan[], values: Record<string, unknown>): void {
  for (const p of plans) {
    const v = values[p.key];
    if (v !== undefined) values[p.key] = coerceAll(p, v);
  }
}

export const paramsStage: StageDefinition = {
  name: 'params',
  summary: 'path, query, header and cookie parameters validated against the spec',
  phase: 'params',
  compile({ operations, policy, schemas }) {
    const mode = policy.validation.requests;
    if (mode === 'off') return undefined;
    const refuseUnknown = policy.validation.unknownQueryParams === 'refuse';
    const plans: OpPlan[] = operations.map((cop) => {
      const params = cop.op.parameters;
      const root: SchemaObject = {
        type: 'object',
        properties: {
          path: section(params, 'path'),
          query: section(params, 'query'),
          header: section(params, 'header'),
          cookie: section(params, 'cookie'),
        },
      };
      const converted = schemas.convert(root, 'request', false) as Record<string, unknown>;
      const byIn = (where: string) => params.filter((p) => p.in === where).map(planOf);
      return {
        path: byIn('path').map((p) => ({ ...p, index: cop.pathParamNames.indexOf(p.name) })),
        query: byIn('query'),
        header: byIn('header'),
        cookie: byIn('cookie'),
        validate: schemas.parameters(converted, cop.key),
      };
    });
    const decide = (ctx: RequestContext, reply: Reply): StageResult =>
      mode === 'report' ? ctx.violation(reply.code ?? 'BULWARK_DENY_PARAM_INVALID') : reply;
    return {
      request(ctx: RequestContext): StageResult {
        const op = ctx.operation;
        if (op === undefined) return undefined;
        const plan = plans[op.index]!;
        const path: Record<string, unknown> = {};
        for (const p of plan.path) {
          const v = ctx.pathParams[p.index];
          if (v !== undefined) path[p.name] = simple(p, v);
        }
        const query: Record<string, unknown> = {};
        if (ctx.query !== '' || plan.query.length > 0) {
          const bad = readQuery(plan.query, ctx.query, query, refuseUnknown);
          if (bad) return decide(ctx, bad);
        }
        const header: Record<string, unknown> = {};
        for (const p of plan.header) {
          const v = ctx.headers[p.key];
          if (v !== undefined) header[p.key] = simple(p, Array.isArray(v) ? v.join(',') : v);
        }
        const cookie: Record<string, unknown> = {};
        if (plan.cookie.length > 0) {
          const jar = parseCookies(ctx.headers.cookie);
          for (const p of plan.cookie) {
            const v = jar.get(p.name);
            if (v !== undefined) cookie[p.name] = simple(p, v);
          }
        }
        coerceSection(plan.path, path);
        coerceSection(plan.query, query);
        coerceSection(plan.header, header);
        coerceSection(plan.cookie, cookie);
        const data = { path, query, header, cookie };
        if (plan.validate(data)) return undefined;
        return decide(ctx, {
          ...refuse('BULWARK_DENY_PARAM_INVALID', 'parameter schema'),
          extra: { errors: issuesOf(plan.validate.errors) },
        });
      },
    };
  },
};
