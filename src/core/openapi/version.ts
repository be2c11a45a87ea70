// Which kind of document is this? Swagger 2.0, OpenAPI 3.0.x and 3.1.x are supported; anything else
// gets BULWARK_ERR_SPEC_VERSION (an API description of another version) or BULWARK_ERR_SPEC_NOT_API
// (not an API description at all), located at the offending key.

import { BulwarkError } from '../errors.js';
import type { NodeTable, SourceDoc } from './document.js';
import { clip, errorAt, errorAtNode, isObject } from './document.js';
import type { SchemaDialect, SpecVersion } from './model.js';

export interface DetectedVersion {
  readonly version: SpecVersion;
  readonly specVersion: string;
  readonly dialect: SchemaDialect;
}

const HINT = 'supported: swagger 2.0, openapi 3.0.x and 3.1.x';

function versionText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  // `openapi: 3.0` and `swagger: 2.0` unquoted are YAML numbers.
  if (typeof value === 'number') return Number.isInteger(value) ? `${value}.0` : String(value);
  return undefined;
}

export function detectVersion(doc: SourceDoc, table: NodeTable): DetectedVersion {
  const root = doc.rawRoot;
  if (!isObject(root)) {
    const what = Array.isArray(root)
      ? 'a sequence'
      : `a ${root === null ? 'null' : typeof root} value`;
    throw notApi(doc, `the document is ${what}, not an API description`);
  }
  const info = table.get(root);
  const fail = (
    code: 'BULWARK_ERR_SPEC_VERSION' | 'BULWARK_ERR_SPEC_INVALID',
    message: string,
    key: string,
  ) => (info ? errorAtNode(code, message, info, key, HINT) : new BulwarkError(code, message));
  if ('openapi' in root && 'swagger' in root) {
    throw fail(
      'BULWARK_ERR_SPEC_INVALID',
      "the document has both 'openapi' and 'swagger'",
      'swagger',
    );
  }
  if ('openapi' in root) {
    const text = versionText(root['openapi']);
    if (text !== undefined && /^3\.0(\.\d+)?(-[\w.]+)?$/.test(text)) {
      return { version: 'openapi-3.0', specVersion: text, dialect: 'openapi-3.0' };
    }
    if (text !== undefined && /^3\.1(\.\d+)?(-[\w.]+)?$/.test(text)) {
      return { version: 'openapi-3.1', specVersion: text, dialect: 'json-schema-2020-12' };
    }
    throw fail(
      'BULWARK_ERR_SPEC_VERSION',
      `unsupported OpenAPI version '${clip(String(text ?? root['openapi']), 20)}'`,
      'openapi',
    );
  }
  if ('swagger' in root) {
    const text = versionText(root['swagger']);
    if (text === '2.0')
      return { version: 'swagger-2.0', specVersion: text, dialect: 'swagger-2.0' };
    throw fail(
      'BULWARK_ERR_SPEC_VERSION',
      `unsupported Swagger version '${clip(String(text ?? root['swagger']), 20)}'`,
      'swagger',
    );
  }
  if ('swaggerVersion' in root) {
    throw fail(
      'BULWARK_ERR_SPEC_VERSION',
      'Swagger 1.x descriptions are not supported',
      'swaggerVersion',
    );
  }
  if ('asyncapi' in root) throw notApi(doc, 'AsyncAPI documents are not supported');
  if ('paths' in root || 'info' in root) {
    const error = notApi(doc, "the document has no 'openapi' or 'swagger' version field");
    throw new BulwarkError(error.code, error.message, {
      ...(error.location ? { location: error.location } : {}),
      hint: "add 'openapi: 3.1.0' (or the version it is written for)",
    });
  }
  throw notApi(doc, "the document has no 'openapi' or 'swagger' field: not an API description");
}

function notApi(doc: SourceDoc, message: string): BulwarkError {
  const first = doc.text.search(/\S/);
  return errorAt('BULWARK_ERR_SPEC_NOT_API', message, doc, Math.max(0, first));
}
