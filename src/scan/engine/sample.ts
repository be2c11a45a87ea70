// Generates values that satisfy a JSON Schema node (OpenAPI flavour), for valid requests. Examples
// and defaults in the spec win, because the API's authors chose them as realistic. Strings that look
// like identifiers of the real world (emails, URLs) get safe values: emails under the reserved
// `.test` TLD (RFC 2606) and URLs on loopback, so a target that acts on them never leaves the host.
import type { Schema, SchemaObject } from '../../core/openapi/model.js';

export interface SampleOptions {
  /** Include optional properties too. */
  readonly full: boolean;
  /** Makes generated strings unique within a scan (emails, names). */
  readonly unique: () => string;
  /** A loopback URL for `format: uri` and url-like names. */
  readonly safeUrl: string;
}

const MAX_DEPTH = 6;

export function sampleSchema(
  schema: Schema | undefined,
  options: SampleOptions,
  name = '',
): unknown {
  return sample(schema, options, name, 0);
}

function sample(
  schema: Schema | undefined,
  options: SampleOptions,
  name: string,
  depth: number,
): unknown {
  if (schema === undefined || schema === true) return guessByName(name, options) ?? 'bulwark';
  if (schema === false) return undefined;
  if (depth > MAX_DEPTH) return undefined;
  if ('const' in schema) return schema['const'];
  if (schema['example'] !== undefined && !isUrlLike(name, schema)) return schema['example'];
  const examples = schema['examples'];
  if (Array.isArray(examples) && examples.length > 0 && !isUrlLike(name, schema))
    return examples[0];
  if (schema['default'] !== undefined) return schema['default'];
  const enumValues = schema['enum'];
  if (Array.isArray(enumValues) && enumValues.length > 0) return enumValues[0];
  const allOf = schema['allOf'];
  if (Array.isArray(allOf))
    return sample(mergeAllOf(schema, allOf as Schema[]), options, name, depth + 1);
  for (const key of ['oneOf', 'anyOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list) && list.length > 0) {
      const nonNull = (list as Schema[]).find((s) => typeof s !== 'object' || s['type'] !== 'null');
      return sample(nonNull ?? (list[0] as Schema), options, name, depth + 1);
    }
  }
  switch (primaryType(schema)) {
    case 'object':
      return sampleObject(schema, options, depth);
    case 'array': {
      const item = sample(schema['items'] as Schema | undefined, options, name, depth + 1);
      const min = typeof schema['minItems'] === 'number' ? schema['minItems'] : 1;
      return item === undefined
        ? []
        : Array.from({ length: Math.max(1, Math.min(min, 3)) }, () => item);
    }
    case 'integer':
    case 'number':
      return sampleNumber(schema);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return sampleString(schema, options, name);
  }
}

export function primaryType(schema: SchemaObject): string | undefined {
  const type = schema['type'];
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return (type as string[]).find((t) => t !== 'null') ?? 'null';
  if (schema['properties'] !== undefined) return 'object';
  if (schema['items'] !== undefined) return 'array';
  return undefined;
}

function mergeAllOf(schema: SchemaObject, parts: Schema[]): SchemaObject {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  let type: unknown;
  for (const part of parts) {
    if (typeof part !== 'object') continue;
    Object.assign(properties, (part['properties'] as object | undefined) ?? {});
    required.push(...(((part['required'] as string[] | undefined) ?? []) as string[]));
    type ??= part['type'];
  }
  const { allOf: _allOf, ...rest } = schema;
  return {
    type: type ?? 'object',
    ...rest,
    properties: { ...properties, ...((rest['properties'] as object | undefined) ?? {}) },
    required,
  };
}

function sampleObject(schema: SchemaObject, options: SampleOptions, depth: number): unknown {
  const out: Record<string, unknown> = {};
  const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
  const required = new Set((schema['required'] as string[] | undefined) ?? []);
  for (const [key, child] of Object.entries(properties)) {
    if (!required.has(key) && !options.full) continue;
    if (typeof child === 'object' && child['readOnly'] === true) continue;
    const value = sample(child, options, key, depth + 1);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function sampleNumber(schema: SchemaObject): number {
  const integer =
    schema['type'] === 'integer' ||
    (Array.isArray(schema['type']) && schema['type'].includes('integer'));
  let min = typeof schema['minimum'] === 'number' ? schema['minimum'] : undefined;
  if (typeof schema['exclusiveMinimum'] === 'number')
    min = schema['exclusiveMinimum'] + (integer ? 1 : 0.5);
  const max = typeof schema['maximum'] === 'number' ? schema['maximum'] : undefined;
  let value = min ?? (max !== undefined ? Math.min(1, max) : 1);
  if (max !== undefined && value > max) value = max;
  return integer ? Math.ceil(value) : value;
}

function sampleString(schema: SchemaObject, options: SampleOptions, name: string): string {
  const format = typeof schema['format'] === 'string' ? schema['format'] : '';
  const byFormat = formatValue(format, options);
  if (byFormat !== undefined) return byFormat;
  const guessed = guessByName(name, options);
  if (typeof guessed === 'string') return fitLength(guessed, schema);
  return fitLength(`bulwark-${options.unique()}`, schema);
}

function formatValue(format: string, options: SampleOptions): string | undefined {
  switch (format) {
    case 'email':
      return `bulwark-${options.unique()}@example.test`;
    case 'uri':
    case 'url':
    case 'iri':
      return options.safeUrl;
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
    case 'date-time':
      return '2024-01-01T00:00:00Z';
    case 'date':
      return '2024-01-01';
    case 'ipv4':
      return '192.0.2.1';
    case 'hostname':
      return 'example.test';
    case 'password':
      return `Bulwark-${options.unique()}-pw!`;
    default:
      return undefined;
  }
}

const URL_NAMES =
  /(^|_|-|[a-z])(url|uri|href|link|webhook|callback|endpoint|image|avatar|feed)s?$/i;

/** True for inputs a server may fetch: `format: uri` or a URL-like name (API7 targets these). */
export function isUrlLike(name: string, schema: Schema | undefined): boolean {
  if (
    typeof schema === 'object' &&
    ['uri', 'url', 'iri', 'uri-reference'].includes(String(schema['format']))
  )
    return true;
  return (
    URL_NAMES.test(name) ||
    /^(url|uri|webhook|callback|image|avatar|feed|source|target)$/i.test(name)
  );
}

function guessByName(name: string, options: SampleOptions): unknown {
  const lower = name.toLowerCase();
  if (lower === '') return undefined;
  if (lower.includes('email')) return `bulwark-${options.unique()}@example.test`;
  if (isUrlLike(name, undefined)) return options.safeUrl;
  if (lower.includes('password')) return `Bulwark-${options.unique()}-pw!`;
  if (lower === 'name' || lower.endsWith('name')) return `Bulwark ${options.unique()}`;
  return undefined;
}

function fitLength(value: string, schema: SchemaObject): string {
  // Bounded: a spec demanding a gigabyte-long string must not make the scanner build one.
  const min = typeof schema['minLength'] === 'number' ? Math.min(schema['minLength'], 10_000) : 0;
  const max = typeof schema['maxLength'] === 'number' ? schema['maxLength'] : Infinity;
  let out = value;
  if (out.length < min) out = out.padEnd(min, 'x');
  if (out.length > max) out = out.slice(-max);
  return out;
}
