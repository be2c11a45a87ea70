// Shared helpers for config tests: run parseConfig and capture the coded error it throws.
import assert from 'node:assert/strict';
import { isBulwarkError } from '../../../src/core/errors.js';
import type { BulwarkError, ErrorCode } from '../../../src/core/errors.js';
import { parseConfig } from '../../../src/core/config/index.js';
import type { LoadConfigOptions } from '../../../src/core/config/index.js';

/** Lines joined with \n, so test configs read like files. */
export function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

export function configError(
  text: string,
  options: LoadConfigOptions & { file?: string } = {},
): BulwarkError {
  try {
    parseConfig(text, options.file ?? 'bulwark.yaml', { env: {}, ...options });
  } catch (error) {
    assert.ok(isBulwarkError(error), `expected a BulwarkError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the config to be refused');
}

export function assertConfigError(
  text: string,
  expected: { code: ErrorCode; line: string },
  options: LoadConfigOptions & { file?: string } = {},
): BulwarkError {
  const error = configError(text, options);
  assert.equal(error.code, expected.code);
  assert.equal(error.toLine(), expected.line);
  assert.ok(!error.toLine().includes('\n'), 'one line');
  return error;
}
