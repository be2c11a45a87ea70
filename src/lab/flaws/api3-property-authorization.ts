// OWASP API3:2023 Broken Object Property Level Authorization (CWE-213, CWE-915).
// Vulnerable: database rows are serialised whole (password_hash and internal_notes leave the
// server), and request bodies are bound straight onto the row, so `{"role":"admin"}` in
// PATCH /users/me (or at registration) makes the caller an admin. Secure: every body is validated
// against its explicit input schema from the contract (unknown fields -> 400), and every answer is
// built from an explicit list of public fields.
import type { ValidateFunction } from 'ajv';
import type { DocumentRow, UserColumn, UserRow } from '../db/store.js';
import { USER_COLUMNS } from '../db/store.js';
import { problems } from '../http/problem.js';
import type { InputSchema, LabSpec } from '../spec.js';

export type Json = Record<string, unknown>;

export interface PropertyPolicy {
  /** The request body, checked against the named input schema (or not, in vulnerable). */
  input(schema: InputSchema, body: unknown): Json;
  userView(user: UserRow): Json;
  documentView(doc: DocumentRow): Json;
  /** The columns PATCH /users/me may change, with their new values. */
  userChanges(body: Json): Array<[UserColumn, string]>;
  /** The role a self-registered account gets. */
  registrationRole(body: Json): string;
}

/** The only input check of the vulnerable variant: required fields are present (any type). */
const REQUIRED: Readonly<Record<InputSchema, readonly string[]>> = {
  LoginRequest: ['email', 'password'],
  RegisterRequest: ['email', 'password', 'name'],
  UserPatch: [],
  DocumentInput: ['title'],
  ImportRequest: ['url'],
  InvitationRequest: ['email'],
  ClassifierReply: [],
};

export const vulnerableProperties: PropertyPolicy = {
  input(schema, body) {
    const fields = isObject(body) ? body : {};
    const missing = REQUIRED[schema].filter(
      (name) => fields[name] === undefined || fields[name] === null,
    );
    if (missing.length > 0) {
      throw problems.badRequest('missing_field', `Missing: ${missing.join(', ')}.`);
    }
    return fields;
  },
  userView: (user) => ({ ...user }), // FLAW: the whole row, password_hash and internal_notes too
  documentView: (doc) => ({ ...doc }),
  // FLAW: mass assignment. Any column named in the body is written, `role` included.
  userChanges: (body) =>
    USER_COLUMNS.filter((column) => column in body).map((column) => [column, String(body[column])]),
  registrationRole: (body) => (typeof body['role'] === 'string' ? body['role'] : 'user'), // FLAW
};

export function secureProperties(spec: LabSpec): PropertyPolicy {
  return {
    // FIX: explicit input schemas (additionalProperties: false) from examples/lab/openapi.yaml.
    input: (schema, body) => validateInput(spec.validators[schema], body),
    // FIX: explicit response fields; nothing else leaves the server.
    userView: (u) => ({
      id: u.id,
      email: u.email,
      name: u.name,
      role: u.role,
      created_at: u.created_at,
    }),
    documentView: (d) => ({
      id: d.id,
      owner_id: d.owner_id,
      title: d.title,
      content: d.content,
      classification: d.classification,
      created_at: d.created_at,
    }),
    userChanges: (body) => [['name', String(body['name'])]],
    registrationRole: () => 'user',
  };
}

function validateInput(validate: ValidateFunction, body: unknown): Json {
  if (!validate(body)) {
    const errors = (validate.errors ?? []).slice(0, 20).map((e) => ({
      pointer: (e.instancePath || '/').slice(0, 200),
      detail:
        e.keyword === 'additionalProperties'
          ? `unknown field '${String((e.params as { additionalProperty?: unknown }).additionalProperty).slice(0, 64)}'`
          : (e.message ?? 'invalid').slice(0, 200),
    }));
    throw problems.badRequest('invalid_body', 'The body does not match the schema.', errors);
  }
  const checked = body as Json;
  // Lone UTF-16 surrogates cannot be stored as UTF-8 without silently changing the text.
  for (const [key, value] of Object.entries(checked)) {
    if (typeof value === 'string' && /\p{Cs}/u.test(value)) {
      throw problems.badRequest('invalid_body', 'The body holds malformed Unicode.', [
        { pointer: `/${key}`, detail: 'lone surrogate' },
      ]);
    }
  }
  return checked;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
