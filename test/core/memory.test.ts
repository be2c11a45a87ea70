import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getHeapStatistics } from 'node:v8';
import { collectAbove } from '../../src/core/memory.js';

test('collectAbove runs a full collection only above the threshold, and it frees garbage', () => {
  assert.equal(collectAbove(Number.MAX_SAFE_INTEGER), false);
  // Old-generation garbage: a large array that survives a while, then is dropped.
  let junk: unknown[] | undefined = Array.from({ length: 300_000 }, (_, i) => ({ i, s: `x${i}` }));
  const withJunk = getHeapStatistics().used_heap_size;
  assert.ok(junk.length > 0);
  junk = undefined;
  assert.equal(collectAbove(0), true);
  const after = getHeapStatistics().used_heap_size;
  assert.ok(after < withJunk, `heap in use ${after} after, ${withJunk} before`);
});
