// Stages that hold outside resources (Redis connections, upstream pools) release them when the gateway
// closes, exactly once, even when one of them fails or a later stage's config is refused at compile.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { BulwarkError } from '../../../src/core/errors.js';
import { createGateway } from '../../../src/protect/engine/gateway.js';
import { resolvePolicy } from '../../../src/protect/engine/policy.js';
import type { StageDefinition } from '../../../src/protect/engine/types.js';
import { securedSpec } from '../auth/helpers.js';

function stage(name: string, phase: StageDefinition['phase'], close: () => void): StageDefinition {
  return { name, summary: name, phase, compile: () => ({ request: () => undefined, close }) };
}

function captureLog(): { observe: { logger: pino.Logger; metrics: Registry }; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { observe: { logger: pino(sink), metrics: new Registry() }, lines };
}

test('gateway close releases every stage once and logs a failing close without stopping others', async () => {
  const calls: string[] = [];
  const { observe, lines } = captureLog();
  const gateway = createGateway(
    securedSpec(),
    resolvePolicy({}),
    [
      stage('first', 'hygiene', () => calls.push('first')),
      stage('broken', 'authn', () => {
        throw new Error('redis went away');
      }),
      stage('last', 'headers', () => calls.push('last')),
    ],
    observe,
  );
  await Promise.all([gateway.close(), gateway.close()]);
  await gateway.close();
  assert.deepEqual(calls.sort(), ['first', 'last']);
  assert.equal(lines.length, 1);
  assert.match(lines[0] ?? '', /"stage":"broken".*stage close failed/);
});

test('a stage refused at compile closes the stages compiled before it', () => {
  const calls: string[] = [];
  const refusing: StageDefinition = {
    name: 'refusing',
    summary: 'refusing',
    phase: 'authz',
    compile: () => {
      throw new BulwarkError('BULWARK_ERR_CONFIG_INVALID', 'bad policy');
    },
  };
  assert.throws(
    () =>
      createGateway(securedSpec(), resolvePolicy({}), [
        stage('opened', 'hygiene', () => calls.push('opened')),
        refusing,
      ]),
    (e: unknown) => e instanceof BulwarkError && e.code === 'BULWARK_ERR_CONFIG_INVALID',
  );
  assert.deepEqual(calls, ['opened']);
});
