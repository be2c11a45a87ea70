// Turns ajv's error list into the one most useful message, in config terms:
// `protect.cors.origins[2]: must match ...` at file:line:column, with a "did you mean" hint for
// unknown keys. Messages describe what is expected, never the value found (it may be a secret).
import type { ErrorObject } from 'ajv/dist/2020.js';
import { BulwarkError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { formatPath, fromPointer, isRecord } from './path.js';
import type { ConfigPath } from './path.js';
import type { ConfigSource } from './source.js';

export interface ReportContext {
  /** Locates paths in the file; without it errors carry no line. */
  readonly source?: ConfigSource | undefined;
  /** Where the validated value sits in the whole config, e.g. ['protect', 'cors']. */
  readonly at?: ConfigPath | undefined;
  /** Paths whose value must not be hinted at (secrets). */
  readonly isSecret?: ((path: ConfigPath) => boolean) | undefined;
  readonly code?: ErrorCode | undefined;
}

const COMBINATORS = new Set(['oneOf', 'anyOf']);

/** Most useful first: unknown key, then wrong type, then wrong value, then the rest. */
const KEYWORD_RANK: Readonly<Record<string, number>> = {
  additionalProperties: 0,
  unevaluatedProperties: 0,
  type: 1,
  enum: 2,
  const: 2,
  required: 3,
  oneOf: 5,
  anyOf: 5,
};

export function pickError(errors: readonly ErrorObject[]): ErrorObject | undefined {
  const candidates = pruneAlternatives(errors.filter((e) => e.keyword !== 'propertyNames'));
  const depth = (e: ErrorObject) => (e.instancePath.match(/\//g) ?? []).length;
  const ranked = candidates
    .map((error, index) => ({ error, index }))
    .sort(
      (a, b) =>
        (KEYWORD_RANK[a.error.keyword] ?? 4) - (KEYWORD_RANK[b.error.keyword] ?? 4) ||
        depth(b.error) - depth(a.error) ||
        a.index - b.index,
    );
  return ranked[0]?.error ?? errors[0];
}

/**
 * For oneOf/anyOf: when exactly one branch fits the value's type, its errors explain the failure
 * and the other branches are noise; otherwise only the combinator's own error is kept.
 * (Branch errors are found by schemaPath, so a branch that is a bare $ref counts as not fitting.)
 */
function pruneAlternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  let kept = [...errors];
  for (const combo of errors.filter((e) => COMBINATORS.has(e.keyword))) {
    if (!kept.includes(combo)) continue;
    const prefix = `${combo.schemaPath}/`;
    const branchOf = (e: ErrorObject) =>
      e.schemaPath.startsWith(prefix)
        ? Number(e.schemaPath.slice(prefix.length).split('/')[0])
        : -1;
    const branchCount = Array.isArray(combo.schema) ? combo.schema.length : 0;
    const fitting: number[] = [];
    for (let branch = 0; branch < branchCount; branch++) {
      const own = kept.filter((e) => branchOf(e) === branch);
      const misfit = own.some(
        (e) =>
          e.instancePath === combo.instancePath && ['type', 'const', 'enum'].includes(e.keyword),
      );
      if (own.length > 0 && !misfit) fitting.push(branch);
    }
    const only = fitting.length === 1 ? fitting[0] : undefined;
    kept = kept.filter((e) => {
      const branch = branchOf(e);
      if (only !== undefined) return e !== combo && (branch === -1 || branch === only);
      return branch === -1;
    });
  }
  return kept;
}

export function toConfigError(
  error: ErrorObject,
  value: unknown,
  context: ReportContext,
): BulwarkError {
  const at = context.at ?? [];
  const base = [...at, ...fromPointer(error.instancePath, value)];
  const described = describe(error, base, context);
  const location = context.source?.locate(described.path, described.part);
  return new BulwarkError(
    context.code ?? 'BULWARK_ERR_CONFIG_INVALID',
    `${formatPath(described.path)}: ${described.message}`,
    {
      ...(location ? { location } : {}),
      ...(described.hint ? { hint: described.hint } : {}),
    },
  );
}

interface Described {
  readonly path: ConfigPath;
  readonly part: 'key' | 'value';
  readonly message: string;
  readonly hint?: string | undefined;
}

function describe(error: ErrorObject, path: ConfigPath, context: ReportContext): Described {
  const params = error.params as Record<string, unknown>;
  const parent = isRecord(error.parentSchema) ? error.parentSchema : {};
  const secret = context.isSecret?.(path) ?? false;
  if (error.propertyName !== undefined) {
    const keyPath = [...path, error.propertyName];
    return { path: keyPath, part: 'key', message: `key ${describeKeyProblem(error)}` };
  }
  switch (error.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String(params.additionalProperty ?? params.unevaluatedProperty);
      const allowed = isRecord(parent.properties) ? Object.keys(parent.properties) : [];
      const hint =
        didYouMean(key, allowed) ??
        (allowed.length ? `allowed keys: ${allowed.join(', ')}` : undefined);
      return { path: [...path, key], part: 'key', message: 'unknown key', hint };
    }
    case 'required':
      return {
        path,
        part: 'key',
        message: `missing required key '${String(params.missingProperty)}'`,
      };
    case 'type':
      return {
        path,
        part: 'value',
        message: `must be ${typeList(String(params.type))}, not ${typeOf(error.data)}`,
        hint: secret ? undefined : typeHint(String(params.type), error.data),
      };
    case 'enum': {
      const allowed = (Array.isArray(error.schema) ? error.schema : []) as unknown[];
      const hint =
        !secret && typeof error.data === 'string'
          ? didYouMean(
              error.data,
              allowed.filter((a): a is string => typeof a === 'string'),
            )
          : undefined;
      return {
        path,
        part: 'value',
        message: `must be one of ${allowed.map(show).join(', ')}`,
        hint,
      };
    }
    case 'const':
      return { path, part: 'value', message: `must be ${show(error.schema)}` };
    case 'minProperties':
    case 'maxProperties':
      if (parent.maxProperties === 1 && isRecord(parent.properties)) {
        const keys = Object.keys(parent.properties).map(show).join(', ');
        return { path, part: 'value', message: `must set exactly one of ${keys}` };
      }
      return { path, part: 'value', message: error.message ?? 'is not valid' };
    case 'oneOf':
    case 'anyOf':
      return { path, part: 'value', message: describeAlternatives(error) };
    case 'minLength':
    case 'minItems': {
      const limit = Number(params.limit);
      const unit = error.keyword === 'minLength' ? 'character' : 'item';
      return {
        path,
        part: 'value',
        message: limit === 1 ? 'must not be empty' : `must have at least ${limit} ${unit}s`,
      };
    }
    case 'dependentRequired':
      return {
        path,
        part: 'value',
        message: `needs '${String(params.missingProperty)}' when '${String(params.property)}' is set`,
      };
    case 'format':
      return {
        path,
        part: 'value',
        message: `must be a valid ${String(params.format)}`,
        hint: exampleHint(parent),
      };
    case 'pattern':
      return {
        path,
        part: 'value',
        message: `must match ${String(error.schema)}`,
        hint: exampleHint(parent),
      };
    case 'uniqueItems': {
      const [first, second] = [Number(params.i), Number(params.j)].sort((a, b) => a - b);
      return {
        path,
        part: 'value',
        message: `must not repeat an item ([${first}] and [${second}] are the same)`,
      };
    }
    default:
      return { path, part: 'value', message: error.message ?? `breaks '${error.keyword}'` };
  }
}

/** Hints for the two common slips: YAML 1.1 booleans and quoted numbers. Never shows the value. */
function typeHint(expected: string, data: unknown): string | undefined {
  if (typeof data !== 'string') return undefined;
  if (expected.includes('boolean') && /^(y|n|yes|no|on|off)$/i.test(data)) {
    return 'write true or false: yes, no, on and off are strings in YAML 1.2';
  }
  if (/integer|number/.test(expected) && /^\s*-?[0-9]+(\.[0-9]+)?\s*$/.test(data)) {
    return 'remove the quotes around the number';
  }
  return undefined;
}

/** "for example: http://127.0.0.1:8081", from the schema's own examples (never the value). */
function exampleHint(schema: Record<string, unknown>): string | undefined {
  const example = Array.isArray(schema.examples) ? (schema.examples[0] as unknown) : undefined;
  return typeof example === 'string' ? `for example: ${example}` : undefined;
}

function describeKeyProblem(error: ErrorObject): string {
  const schema = error.schema;
  if (error.keyword === 'pattern') return `must match ${String(schema)}`;
  return error.message ?? 'is not allowed here';
}

function describeAlternatives(error: ErrorObject): string {
  const branches = (Array.isArray(error.schema) ? error.schema : []) as unknown[];
  const requiredOnly = branches.map((b) =>
    isRecord(b) &&
    Object.keys(b).length === 1 &&
    Array.isArray(b.required) &&
    b.required.length === 1
      ? String(b.required[0])
      : undefined,
  );
  if (requiredOnly.every((k) => k !== undefined) && requiredOnly.length > 0) {
    const keys = requiredOnly.map(show).join(', ');
    return error.keyword === 'oneOf'
      ? `must set exactly one of ${keys}`
      : `must set one of ${keys}`;
  }
  return `must be ${branches.map(describeBranch).join(' or ')}`;
}

function describeBranch(branch: unknown): string {
  if (!isRecord(branch)) return 'a valid value';
  if ('const' in branch) return show(branch.const);
  if (Array.isArray(branch.enum)) return `one of ${branch.enum.map(show).join(', ')}`;
  if (typeof branch.type === 'string') return typeList(branch.type);
  if (Array.isArray(branch.type)) return typeList(branch.type.join(','));
  return 'another valid form';
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

function typeList(types: string): string {
  return types
    .split(',')
    .map((t) => TYPE_WORDS[t] ?? t)
    .join(' or ');
}

function typeOf(data: unknown): string {
  if (data === null) return 'null';
  if (Array.isArray(data)) return 'a list';
  if (typeof data === 'number') return Number.isInteger(data) ? 'an integer' : 'a number';
  return TYPE_WORDS[typeof data] ?? typeof data;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}
