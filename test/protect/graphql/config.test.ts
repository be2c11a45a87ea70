// protect.graphql in bulwark.yaml: validated by the config schema, passed through the policy to the
// GraphQL stage, which marks operations listed in `operations` even without x-bulwark-graphql.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { loadConfig } from '../../../src/core/config/index.js';
import { startHarness, openapi } from '../helpers.js';
import { SDL } from './fixtures.js';

function configFile(graphql: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-gql-config-'));
  const file = join(dir, 'bulwark.yaml');
  writeFileSync(file, stringify({ version: 1, protect: { graphql } }));
  return file;
}

const spec = () =>
  openapi({
    '/graphql': {
      post: {
        operationId: 'graphql',
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { type: 'object', additionalProperties: true } },
          },
        },
        responses: { '200': { description: 'ok' } },
      },
    },
  });

test('protect.graphql from bulwark.yaml marks and guards an operation', async (t) => {
  const config = loadConfig(
    configFile({ operations: ['graphql'], sdl: SDL, limits: { depth: 3 } }),
    { env: {}, cwd: process.cwd(), sections: ['protect'] },
  );
  const h = await startHarness(t, spec(), config.protect ?? {});
  const post = (query: string) =>
    fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    }).then((r) => r.status);
  assert.equal(await post('{ me { id } }'), 200);
  assert.equal(await post('{ me { documents(first: 1) { owner { id } } } }'), 400);
  assert.equal(await post('{ __type(name: "User") { name } }'), 403);
});

test('an unknown or mistyped protect.graphql key is a config error with its location', () => {
  for (const bad of [
    { limit: { depth: 3 } },
    { limits: { depth: 'deep' } },
    { trustedDocuments: { mode: 'strict' } },
  ]) {
    assert.throws(
      () => loadConfig(configFile(bad), { env: {}, cwd: process.cwd(), sections: ['protect'] }),
      (e: Error & { code?: string }) =>
        e.code === 'BULWARK_ERR_CONFIG_INVALID' && /protect\.graphql/.test(e.message),
      JSON.stringify(bad),
    );
  }
});
