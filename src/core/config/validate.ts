// Validation of any value against a config schema (the whole file, one section, or a tool's own
// sub-schema), with the same one-line error form everywhere.
import type { AnySchema, ErrorObject } from 'ajv/dist/2020.js';
import { pickError, toConfigError } from './errors.js';
import type { ReportContext } from './errors.js';
import { runValidator, validatorFor } from './schema.js';

export type { ReportContext } from './errors.js';

export interface CheckResult {
  readonly errors: readonly ErrorObject[];
  /** JSON pointers (relative to the value) of values the schema marks `x-bulwark-secret`. */
  readonly secrets: ReadonlySet<string>;
}

/** Validates without throwing; `schema` is a schema object or a ref like `#/$defs/protect`. */
export function checkValue(schema: AnySchema | string, value: unknown): CheckResult {
  const validate = validatorFor(schema);
  const { valid, secrets } = runValidator(validate, value);
  return { errors: valid ? [] : [...(validate.errors ?? [])], secrets };
}

/**
 * Throws BULWARK_ERR_CONFIG_INVALID (or `context.code`) for the most useful error, e.g.
 * `bulwark.yaml:4:5: BULWARK_ERR_CONFIG_INVALID: protect.cors.origins[2]: must match ...`.
 * Give `context.at` (where the value sits in the config) and `context.source` (from
 * `configSource(config)`) so the message carries the full path and the file position.
 */
export function validateValue(
  schema: AnySchema | string,
  value: unknown,
  context: ReportContext = {},
): void {
  const { errors } = checkValue(schema, value);
  throwFirst(errors, value, context);
}

export function throwFirst(
  errors: readonly ErrorObject[],
  value: unknown,
  context: ReportContext,
): void {
  const first = pickError(errors);
  if (first) throw toConfigError(first, value, context);
}
