// The lab's contract, examples/lab/openapi.yaml: served as JSON at /openapi.json, and the source of
// the secure variant's input validators (one schema for the docs and the code, so they cannot drift).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { BulwarkError } from '../core/errors.js';

// src/lab/spec.ts (tsx) and dist/lab/spec.js (built) both sit two levels below the package root.
export const SPEC_FILE = fileURLToPath(new URL('../../examples/lab/openapi.yaml', import.meta.url));

export const INPUT_SCHEMAS = [
  'LoginRequest',
  'RegisterRequest',
  'UserPatch',
  'DocumentInput',
  'ImportRequest',
  'InvitationRequest',
  'ClassifierReply',
] as const;
export type InputSchema = (typeof INPUT_SCHEMAS)[number];

export interface LabSpec {
  /** The document as JSON text, ready to serve. */
  readonly json: string;
  readonly validators: Readonly<Record<InputSchema, ValidateFunction>>;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

let cached: LabSpec | undefined;

/** Loads and compiles the spec once per process (it is read-only). */
export function loadLabSpec(): LabSpec {
  if (cached) return cached;
  let doc: { components?: { schemas?: Record<string, unknown> } };
  try {
    doc = parse(readFileSync(SPEC_FILE, 'utf8')) as typeof doc;
  } catch (cause) {
    throw new BulwarkError('BULWARK_ERR_IO', 'the lab contract could not be read', {
      cause,
      location: { file: SPEC_FILE },
    });
  }
  // strict: false because OpenAPI adds keywords JSON Schema does not know (e.g. `example`).
  const ajv = addFormats(new Ajv2020({ strict: false, allErrors: false }));
  ajv.addSchema({ $id: 'lab', components: doc.components ?? {} });
  const validators = {} as Record<InputSchema, ValidateFunction>;
  for (const name of INPUT_SCHEMAS) {
    const validate = ajv.getSchema(`lab#/components/schemas/${name}`);
    if (!validate) {
      throw new BulwarkError('BULWARK_ERR_INTERNAL', `the lab contract has no schema ${name}`);
    }
    validators[name] = validate;
  }
  cached = { json: JSON.stringify(doc), validators };
  return cached;
}
