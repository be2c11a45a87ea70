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

test('protect.graphql paths are relative to the config file, x-bulwark-graphql paths to the spec', async (t) => {
  const { main } = await import('../../../src/cli/main.js');
  const { PassThrough } = await import('node:stream');
  const { startUpstream } = await import('../helpers.js');
  const { sha256 } = await import('../../../src/protect/graphql/gate.js');
  const configDir = mkdtempSync(join(tmpdir(), 'bulwark-gql-cfg-'));
  const specDir = mkdtempSync(join(tmpdir(), 'bulwark-gql-spec-'));
  const elsewhere = mkdtempSync(join(tmpdir(), 'bulwark-gql-cwd-'));
  const trusted = '{ me { id } }';
  writeFileSync(join(configDir, 'schema.graphql'), SDL);
  writeFileSync(join(configDir, 'trusted.json'), JSON.stringify({ [sha256(trusted)]: trusted }));
  writeFileSync(
    join(configDir, 'bulwark.yaml'),
    stringify({
      version: 1,
      protect: {
        graphql: {
          operations: ['graphql'],
          schemaFile: 'schema.graphql',
          trustedDocuments: { mode: 'enforce', manifest: 'trusted.json' },
        },
      },
    }),
  );
  writeFileSync(join(specDir, 'own.graphql'), 'type Query { ping: String }');
  const body = {
    required: true,
    content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } },
  };
  writeFileSync(
    join(specDir, 'openapi.json'),
    JSON.stringify({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {
        '/graphql': {
          post: {
            operationId: 'graphql',
            requestBody: body,
            responses: { 200: { description: 'ok' } },
          },
        },
        '/other': {
          post: {
            operationId: 'other',
            'x-bulwark-graphql': { schemaFile: 'own.graphql', trustedDocuments: { mode: 'off' } },
            requestBody: body,
            responses: { 200: { description: 'ok' } },
          },
        },
      },
    }),
  );
  const upstream = await startUpstream(t, (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end('{"data":{}}');
  });
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  const stop = new AbortController();
  const running = main(
    [
      'protect',
      '--spec',
      join(specDir, 'openapi.json'),
      '--config',
      join(configDir, 'bulwark.yaml'),
      '--upstream',
      upstream.url,
      '--port',
      '0',
      '--admin-port',
      '0',
      '--log-level',
      'silent',
    ],
    { cwd: elsewhere, stdout, stderr: new PassThrough(), env: {}, signal: stop.signal },
  );
  t.after(async () => {
    stop.abort();
    await running;
  });
  let url: string | undefined;
  for (let i = 0; i < 200 && url === undefined; i++) {
    url = /protect listening on (\S+)/.exec(out)?.[1];
    if (url === undefined) await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(url, `gateway did not start: ${out}`);
  const post = (path: string, query: string) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    }).then((r) => r.status);
  assert.equal(await post('/graphql', trusted), 200); // the manifest was found next to the config
  assert.equal(await post('/graphql', '{ me { email } }'), 403); // and enforced
  assert.equal(await post('/other', '{ ping }'), 200); // own.graphql was found next to the spec
  assert.equal(await post('/other', '{ me { id } }'), 400);
});
