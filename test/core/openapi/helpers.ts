// Shared helpers for the loader tests.
import { fileURLToPath } from 'node:url';
import { BulwarkError } from '../../../src/core/errors.js';
import type { ApiModel, Operation } from '../../../src/core/openapi/model.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/specs/', import.meta.url));

export function op(model: ApiModel, key: string): Operation {
  const found = model.operations.find((o) => o.key === key);
  if (!found)
    throw new Error(`no operation ${key} in ${model.operations.map((o) => o.key).join(', ')}`);
  return found;
}

/** Runs `fn` and returns the BulwarkError it throws (fails the test when it does not). */
export async function coded(fn: () => unknown): Promise<BulwarkError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof BulwarkError) return error;
    throw new Error(`expected a BulwarkError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a BulwarkError, nothing was thrown');
}
