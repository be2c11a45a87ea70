import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  EnumerationDetector,
  type EnumerationAlert,
} from '../../../src/protect/ratelimit/enumeration.js';

test('a sequential id scan raises one alert and, by config, a temporary block', () => {
  let now = 0;
  const alerts: EnumerationAlert[] = [];
  const d = new EnumerationDetector(
    { sequentialRun: 5, block: '10m', maxDistinctIds: 1000 },
    { clock: () => now, onAlert: (a) => alerts.push(a) },
  );
  for (let id = 100; id < 110; id++) d.observe('mallory', String(id), 404);
  assert.deepEqual(alerts, [{ identity: 'mallory', reason: 'sequential-ids', blocked: true }]);
  assert.equal(d.blockedFor('mallory'), 600_000);
  assert.equal(d.blockedFor('alice'), 0);
  now = 600_000;
  assert.equal(d.blockedFor('mallory'), 0);
});

test('strided and descending scans count; random ids and repeats do not', () => {
  const alerts: EnumerationAlert[] = [];
  const d = new EnumerationDetector(
    { sequentialRun: 6, maxDistinctIds: 1000, minRequests: 1000 },
    { onAlert: (a) => alerts.push(a) },
  );
  for (let i = 0; i < 6; i++) d.observe('down', String(500 - 2 * i), 200);
  for (const id of [5, 91, 17, 3000, 44, 8, 1200, 77, 5, 5, 5])
    d.observe('normal', String(id), 200);
  for (const id of ['a1', 'b2', 'c3', 'd4', 'e5', 'f6', 'g7']) d.observe('uuid-user', id, 200);
  assert.deepEqual(
    alerts.map((a) => [a.identity, a.reason]),
    [['down', 'sequential-ids']],
  );
});

test('too many distinct ids, or mostly 403/404 answers, within the window alert (alert only by default)', () => {
  let now = 0;
  const alerts: EnumerationAlert[] = [];
  const d = new EnumerationDetector(
    { maxDistinctIds: 20, maxErrorRatio: 0.5, minRequests: 10, window: '1m' },
    { clock: () => now, onAlert: (a) => alerts.push(a) },
  );
  for (let i = 0; i < 25; i++) d.observe('crawler', `doc-${(i * 7919) % 1000}`, 200);
  for (let i = 0; i < 10; i++) d.observe('prober', `x${i % 3}`, i < 7 ? 404 : 200);
  assert.deepEqual(
    alerts.map((a) => [a.identity, a.reason, a.blocked]),
    [
      ['crawler', 'distinct-ids', false],
      ['prober', 'error-ratio', false],
    ],
  );
  // A new window starts clean.
  now = 60_000;
  d.observe('crawler', 'doc-1', 200);
  assert.equal(alerts.length, 2);
});

test('state is bounded: identities are LRU-capped and id sets stop growing past the threshold', () => {
  const d = new EnumerationDetector({ maxKeys: 50, maxDistinctIds: 10 });
  for (let i = 0; i < 5_000; i++) d.observe(`id${i}`, String(i), 200);
  for (let i = 0; i < 5_000; i++) d.observe('one', `obj${i}`, 200);
  const internals = d as unknown as {
    tracks: { size: number; get(k: string): { ids: Set<string> } };
  };
  assert.equal(internals.tracks.size, 50);
  assert.equal(internals.tracks.get('one').ids.size, 11);
});
