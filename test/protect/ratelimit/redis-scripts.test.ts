import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ruleScript } from '../../../src/protect/ratelimit/redis-scripts.js';
import { ALGORITHMS, type LimitSpec } from '../../../src/protect/ratelimit/types.js';
import { connectRedis } from './redis-helper.js';

const ban = { after: 2, withinMs: 10_000, durationMs: 5_000 };
const specOf = (algorithm: LimitSpec['algorithm'], banned: boolean): LimitSpec => ({
  algorithm,
  limit: 3,
  periodMs: 1_000,
  burst: 3,
  ...(banned ? { block: ban } : {}),
});

test('rules without a ban get scripts that neither build `denied` nor touch the ban keys', () => {
  for (const algorithm of ALGORITHMS) {
    const plain = ruleScript(specOf(algorithm, false));
    assert.doesNotMatch(plain, /denied|KEYS\[2\]|KEYS\[3\]|__BAN__|__RULE__/, algorithm);
    assert.match(plain, /return \{0, .*, 0, now\}/, `${algorithm} answers denials inline`);
    const banned = ruleScript(specOf(algorithm, true));
    assert.match(banned, /local function denied/, algorithm);
    assert.match(banned, /KEYS\[3\]/, algorithm);
    assert.doesNotMatch(banned, /__BAN__|__RULE__/, algorithm);
  }
});

test('every rule script compiles on Redis, with and without a ban', async (t) => {
  const redis = await connectRedis(t);
  for (const algorithm of ALGORITHMS)
    for (const banned of [false, true]) {
      const sha = await redis.script('LOAD', ruleScript(specOf(algorithm, banned)));
      assert.match(String(sha), /^[0-9a-f]{40}$/, `${algorithm} ban=${banned}`);
    }
});

test('rule numbers that are not non-negative safe integers are refused', () => {
  for (const bad of [-1, 1.5, Number.NaN, 2 ** 53])
    assert.throws(() => ruleScript({ ...specOf('gcra', false), limit: bad }), RangeError);
});
