// The one ajv instance for config schemas, and the composed schema/bulwark.schema.json compiled
// once per process. `x-bulwark-secret: true` in a schema marks a value as secret: validation
// records where such values sit so they can be redacted even when written literally.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { AnySchema, ValidateFunction } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';

export const CONFIG_SCHEMA_ID = 'urn:bulwark:schema:config:1';
/** The composed schema, relative to this file both in src/ and in dist/. */
export const CONFIG_SCHEMA_URL = new URL('../../../schema/bulwark.schema.json', import.meta.url);

let ajvInstance: Ajv2020 | undefined;
let secretCollector: Set<string> | undefined;

export function configAjv(): Ajv2020 {
  if (ajvInstance) return ajvInstance;
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: true,
    allowUnionTypes: true,
    // oneOf: [{ required: [a] }, { required: [b] }] is the standard 'exactly one of' form.
    strictRequired: false,
    // Defaults document what the engines do; the loaded config stays exactly what the user wrote.
    useDefaults: false,
  });
  formatsPlugin.default(ajv);
  ajv.addKeyword({
    keyword: 'x-bulwark-secret',
    schemaType: 'boolean',
    errors: false,
    validate: (
      marked: boolean,
      _data: unknown,
      _schema: unknown,
      context?: { instancePath: string },
    ) => {
      if (marked && context) secretCollector?.add(context.instancePath);
      return true;
    },
  });
  ajvInstance = ajv;
  return ajv;
}

let configSchema: Record<string, unknown> | undefined;

export function loadConfigSchema(): Record<string, unknown> {
  configSchema ??= JSON.parse(readFileSync(CONFIG_SCHEMA_URL, 'utf8')) as Record<string, unknown>;
  return configSchema;
}

const compiled = new WeakMap<object, ValidateFunction>();

/**
 * A compiled validator for a schema object, or for a ref into the config schema such as
 * `#/$defs/protect/properties/cors`. Compiled once and cached.
 */
export function validatorFor(schema: AnySchema | string): ValidateFunction {
  const ajv = configAjv();
  if (typeof schema === 'string') {
    if (!ajv.getSchema(CONFIG_SCHEMA_ID)) ajv.addSchema(loadConfigSchema());
    const id = schema.startsWith('#') ? `${CONFIG_SCHEMA_ID}${schema}` : schema;
    const validate = ajv.getSchema(id);
    if (!validate) throw new Error(`no schema at ${schema}`);
    return validate;
  }
  if (typeof schema === 'boolean') return ajv.compile(schema);
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** Runs `validate`, also returning the instance paths of values marked `x-bulwark-secret`. */
export function runValidator(
  validate: ValidateFunction,
  value: unknown,
): { valid: boolean; secrets: Set<string> } {
  const secrets = new Set<string>();
  secretCollector = secrets;
  try {
    const valid = validate(value) as boolean;
    return { valid, secrets };
  } finally {
    secretCollector = undefined;
  }
}
