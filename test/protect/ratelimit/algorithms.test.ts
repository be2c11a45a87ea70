// Property-based tests: each algorithm's decisions, remaining and reset equal its reference model's
// over random arrival sequences on an injected clock; every Retry-After is probed to be the exact
// earliest moment the same request is admitted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { algorithms } from '../../../src/protect/ratelimit/algorithms/index.js';
import type { Algorithm, LimitSpec } from '../../../src/protect/ratelimit/types.js';
import {
  fixedWindowModel,
  gcraModel,
  slidingCounterModel,
  slidingLogModel,
  tokenBucketModel,
  type Model,
} from './models.js';

const models: Record<Algorithm, (spec: LimitSpec, t0: number) => Model> = {
  'token-bucket': tokenBucketModel,
  gcra: gcraModel,
  'fixed-window': (spec) => fixedWindowModel(spec),
  'sliding-window-counter': (spec) => slidingCounterModel(spec),
  'sliding-window-log': (spec) => slidingLogModel(spec),
};

const specArb = (algorithm: Algorithm) =>
  fc
    .record({
      limit: fc.integer({ min: 1, max: 25 }),
      periodMs: fc.integer({ min: 1, max: 5_000 }),
      extra: fc.integer({ min: 0, max: 10 }),
    })
    .map(({ limit, periodMs, extra }) => ({
      algorithm,
      limit,
      periodMs,
      burst: algorithm === 'token-bucket' || algorithm === 'gcra' ? limit + extra : limit,
    }));

/** Arrivals: gaps from 0 to two periods (bursts and idles), costs mostly 1, sometimes heavy. */
const arrivalsArb = fc.array(
  fc.record({
    gap: fc.oneof(
      fc.constant(0),
      fc.integer({ min: 0, max: 50 }),
      fc.integer({ min: 0, max: 10_000 }),
    ),
    cost: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 40 })),
  }),
  { minLength: 1, maxLength: 60 },
);

for (const name of Object.keys(models) as Algorithm[]) {
  test(`${name}: decisions, remaining and reset equal the reference model`, () => {
    fc.assert(
      fc.property(
        specArb(name),
        fc.integer({ min: 0, max: 2e12 }),
        arrivalsArb,
        (spec, t0, arrivals) => {
          const impl = algorithms[name];
          const state = impl.fresh(spec, t0);
          const model = models[name](spec, t0);
          let now = t0;
          for (const { gap, cost } of arrivals) {
            now += gap;
            const got = impl.decide(state, spec, now, cost);
            const want = model.decide(now, cost);
            assert.deepEqual(
              { allowed: got.allowed, remaining: got.remaining, resetMs: got.resetMs },
              want,
            );
            assert.equal(got.retryAfterMs === 0, got.allowed);
            assert.ok(got.retryAfterMs >= 0 && Number.isInteger(got.retryAfterMs));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test(`${name}: Retry-After is the earliest time the denied request is admitted`, () => {
    fc.assert(
      fc.property(
        specArb(name),
        fc.integer({ min: 0, max: 2e12 }),
        arrivalsArb,
        (spec, t0, arrivals) => {
          const impl = algorithms[name];
          const state = impl.fresh(spec, t0);
          const capacity = spec.burst;
          const history: Array<[number, number]> = [];
          let now = t0;
          for (const { gap, cost } of arrivals) {
            now += gap;
            const got = impl.decide(state, spec, now, cost);
            history.push([now, cost]);
            if (got.allowed || cost > capacity) continue;
            const replay = (at: number): boolean => {
              const m = models[name](spec, t0);
              for (const [t, c] of history) m.decide(t, c);
              return m.decide(at, cost).allowed;
            };
            assert.equal(replay(now + got.retryAfterMs), true, 'admitted at Retry-After');
            assert.equal(replay(now + got.retryAfterMs - 1), false, 'denied just before');
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  test(`${name}: a refund restores exactly what the reservation took`, () => {
    fc.assert(
      fc.property(
        specArb(name),
        fc.integer({ min: 0, max: 2e12 }),
        arrivalsArb,
        (spec, t0, arrivals) => {
          const impl = algorithms[name];
          const a = impl.fresh(spec, t0);
          const b = impl.fresh(spec, t0);
          let now = t0;
          for (const { gap, cost } of arrivals) {
            now += gap;
            impl.decide(a, spec, now, cost);
            const reserved = impl.decide(b, spec, now, cost);
            // b reserves a second time and gives it back: it must then decide exactly like a.
            const extra = impl.decide(b, spec, now, 1);
            if (extra.allowed) impl.refund(b, spec, now, 1);
            void reserved;
            assert.deepEqual(
              impl.decide(structuredClone(b), spec, now, 1),
              impl.decide(structuredClone(a), spec, now, 1),
            );
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  test(`${name}: idleMs is when the state becomes equal to a fresh one`, () => {
    fc.assert(
      fc.property(
        specArb(name),
        fc.integer({ min: 0, max: 2e12 }),
        arrivalsArb,
        (spec, t0, arrivals) => {
          const impl = algorithms[name];
          const s = impl.fresh(spec, t0);
          let now = t0;
          for (const { gap, cost } of arrivals) {
            now += gap;
            impl.decide(s, spec, now, cost);
          }
          const at = now + impl.idleMs(s, spec, now);
          const probe = fc.sample(fc.integer({ min: 0, max: 40 }), 1)[0] ?? 1;
          assert.deepEqual(
            impl.decide(structuredClone(s), spec, at, probe),
            impl.decide(impl.fresh(spec, at), spec, at, probe),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
}

test('gcra and token-bucket are the same policy: identical decisions on every sequence', () => {
  fc.assert(
    fc.property(
      specArb('gcra'),
      fc.integer({ min: 0, max: 2e12 }),
      arrivalsArb,
      (spec, t0, arrivals) => {
        const g = algorithms.gcra.fresh(spec, t0);
        const tb = algorithms['token-bucket'].fresh(spec, t0);
        let now = t0;
        for (const { gap, cost } of arrivals) {
          now += gap;
          assert.deepEqual(
            algorithms.gcra.decide(g, spec, now, cost),
            algorithms['token-bucket'].decide(tb, spec, now, cost),
          );
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('a clock stepping backwards never mints quota', () => {
  for (const name of Object.keys(models) as Algorithm[]) {
    const spec: LimitSpec = { algorithm: name, limit: 3, periodMs: 1000, burst: 3 };
    const impl = algorithms[name];
    const s = impl.fresh(spec, 10_000);
    for (let i = 0; i < 3; i++) assert.equal(impl.decide(s, spec, 10_000, 1).allowed, true);
    assert.equal(impl.decide(s, spec, 9_000, 1).allowed, false, `${name} after a step back`);
  }
});
