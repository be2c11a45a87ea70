// Operation heuristics: admin operations (API5) and sensitive flows (API6) by whole words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSpecFromString } from '../../src/core/openapi/load.js';
import { isAdminOperation, isSensitiveFlow } from '../../src/scan/engine/classify.js';

const ok = { '200': { description: 'ok' } };
const model = () =>
  loadSpecFromString(
    JSON.stringify({
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {
        '/invitations': { post: { operationId: 'createInvitation', responses: ok } },
        '/orders': { post: { responses: ok } },
        '/payloads': { post: { operationId: 'uploadPayload', responses: ok } },
        '/display': { post: { responses: ok } },
        '/auth/password-reset': { post: { responses: ok } },
        '/admin/users': { get: { responses: ok } },
        '/reports': { get: { tags: ['Management'], responses: ok } },
        '/things': { get: { operationId: 'listThings', responses: ok } },
      },
    }),
    { file: 't.json' },
  );

test('sensitive flows are found by whole words in the path or operationId, config wins', async () => {
  const m = await model();
  const flow = (path: string, sensitiveFlows: string[] = []) =>
    isSensitiveFlow(
      m.operations.find((o) => o.path === path)!,
      { sensitiveFlows },
    );
  assert.equal(flow('/invitations'), true);
  assert.equal(flow('/orders'), true);
  assert.equal(flow('/auth/password-reset'), true);
  assert.equal(flow('/payloads'), false, 'payload is not pay');
  assert.equal(flow('/display'), false);
  assert.equal(flow('/payloads', ['uploadPayload']), true, 'named in config');
});

test('admin operations by path, tag and config', async () => {
  const m = await model();
  const settings = { adminOperations: ['listThings'], adminPaths: [], adminTags: [] };
  const admin = (path: string) =>
    isAdminOperation(
      m.operations.find((o) => o.path === path)!,
      settings,
    );
  assert.equal(admin('/admin/users'), true);
  assert.equal(admin('/reports'), true);
  assert.equal(admin('/things'), true);
  assert.equal(admin('/orders'), false);
});
