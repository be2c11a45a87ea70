// One place that turns spec schemas into compiled ajv validators, at startup only. Two ajv instances,
// both strict and without coercion: bodies, and parameters (which the params stage converts from
// strings itself, accepting only canonical number spellings).
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { BulwarkError } from '../../core/errors.js';
import type { ApiModel, Schema } from '../../core/openapi/model.js';
import { convertSchema, type Direction } from './schema-convert.js';

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

const FORMATS = [
  'date',
  'time',
  'date-time',
  'iso-time',
  'iso-date-time',
  'duration',
  'uri',
  'uri-reference',
  'uri-template',
  'url',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'regex',
  'uuid',
  'json-pointer',
  'relative-json-pointer',
  'byte',
  'int32',
  'int64',
  'float',
  'double',
  'password',
  'binary',
];

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    // OpenAPI documents routinely omit `type: object` beside `properties`; refusing those schemas
    // would refuse real specs, not bad requests.
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allErrors: false,
    coerceTypes: false,
    useDefaults: false,
    // Spec patterns are ECMA-262 without the `u` flag (OpenAPI 3.0 §4.7.24.1).
    unicodeRegExp: false,
    validateFormats: true,
  });
  addFormats(ajv);
  return ajv;
}

export interface ValidationIssue {
  readonly pointer: string;
  readonly keyword: string;
}

export class SchemaCompiler {
  private readonly bodies = newAjv();
  private readonly params = newAjv();
  private readonly knownFormats = new Set(FORMATS);
  private readonly model: ApiModel;

  constructor(model: ApiModel) {
    this.model = model;
  }

  convert(
    schema: Schema,
    direction: Direction,
    closed: boolean,
  ): Record<string, unknown> | boolean {
    return convertSchema(schema, {
      dialect: this.model.dialect,
      direction,
      closed,
      knownFormats: this.knownFormats,
      nameOf: (node) => this.model.schemaName(node),
    });
  }

  body(schema: Schema, direction: Direction, closed: boolean, where: string): ValidateFunction {
    return this.compile(this.bodies, this.convert(schema, direction, closed), where);
  }

  /** A validator for an object built from parameters (already converted by the caller). */
  parameters(schema: Record<string, unknown>, where: string): ValidateFunction {
    return this.compile(this.params, schema, where);
  }

  private compile(ajv: Ajv2020, schema: unknown, where: string): ValidateFunction {
    try {
      return ajv.compile(schema as Record<string, unknown>);
    } catch (cause) {
      throw new BulwarkError(
        'BULWARK_ERR_SPEC_INVALID',
        `${where}: a schema cannot be compiled (${(cause as Error).message})`,
        { cause },
      );
    }
  }
}

/** Client-safe issues: where and which rule, never the rule's configured values. */
export function issuesOf(errors: readonly ErrorObject[] | null | undefined): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const e of errors ?? []) {
    let pointer = e.instancePath;
    const p = e.params as Record<string, unknown>;
    if (e.keyword === 'unevaluatedProperties' && typeof p['unevaluatedProperty'] === 'string') {
      pointer += `/${escapePointer(p['unevaluatedProperty'])}`;
    } else if (
      e.keyword === 'additionalProperties' &&
      typeof p['additionalProperty'] === 'string'
    ) {
      pointer += `/${escapePointer(p['additionalProperty'])}`;
    } else if (e.keyword === 'required' && typeof p['missingProperty'] === 'string') {
      pointer += `/${escapePointer(p['missingProperty'])}`;
    }
    out.push({ pointer, keyword: e.keyword });
    if (out.length >= 10) break;
  }
  return out;
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function isUnknownProperty(issue: ValidationIssue): boolean {
  return issue.keyword === 'unevaluatedProperties' || issue.keyword === 'additionalProperties';
}
