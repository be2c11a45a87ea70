import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BulwarkError } from '../../src/core/errors.js';
import {
  countByCategory,
  countBySeverity,
  exitCodeFor,
  parseFailOn,
} from '../../src/report/summary.js';
import { ALL, bola, infoBanner, lowInventory } from './sample.js';

test('countBySeverity counts every severity, zero included', () => {
  assert.deepEqual(countBySeverity(ALL), { info: 1, low: 1, medium: 1, high: 1, critical: 1 });
  assert.deepEqual(countBySeverity([]), { info: 0, low: 0, medium: 0, high: 0, critical: 0 });
});

test('countByCategory lists all ten OWASP categories', () => {
  const counts = countByCategory(ALL);
  assert.equal(Object.keys(counts).length, 10);
  assert.equal(counts['API8:2023'], 2);
  assert.equal(counts['API1:2023'], 1);
  assert.equal(counts['API6:2023'], 0);
});

test('exitCodeFor fails at or above the threshold, never for none', () => {
  assert.equal(exitCodeFor([], 'info'), 0);
  assert.equal(exitCodeFor([infoBanner], 'info'), 1);
  assert.equal(exitCodeFor([infoBanner, lowInventory], 'medium'), 0);
  assert.equal(exitCodeFor([lowInventory], 'low'), 1);
  assert.equal(exitCodeFor([bola], 'critical'), 1);
  assert.equal(exitCodeFor([bola], 'none'), 0);
});

test('parseFailOn accepts any case and rejects unknown values with a hint', () => {
  assert.equal(parseFailOn('HIGH'), 'high');
  assert.equal(parseFailOn(' none '), 'none');
  assert.throws(
    () => parseFailOn('hihg'),
    (error: unknown) =>
      error instanceof BulwarkError &&
      error.code === 'BULWARK_ERR_USAGE' &&
      error.hint === "did you mean 'high'?",
  );
  assert.throws(
    () => parseFailOn(''),
    (error: unknown) => error instanceof BulwarkError && error.code === 'BULWARK_ERR_USAGE',
  );
});
