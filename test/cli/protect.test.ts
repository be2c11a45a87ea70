import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { ROOT, runCli } from '../helpers/cli.js';

const DEV_CLI = fileURLToPath(new URL('../../scripts/dev-cli.ts', import.meta.url));

test('protect without --spec or --upstream is a usage error (exit 2)', async () => {
  const w = await runCli([
    'protect',
    '--spec',
    'examples/lab/openapi.yaml',
    '--upstream',
    'http://127.0.0.1:1',
    '--workers',
    '0',
  ]);
  assert.match(w.stderr, /BULWARK_ERR_USAGE: --workers/);
  const a = await runCli(['protect', '--upstream', 'http://127.0.0.1:1']);
  assert.equal(a.code, 2);
  assert.match(a.stderr, /BULWARK_ERR_USAGE: missing --spec/);
  const b = await runCli(['protect', '--spec', 'examples/lab/openapi.yaml']);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /BULWARK_ERR_USAGE: missing --upstream/);
  const c = await runCli([
    'protect',
    '--spec',
    'examples/lab/openapi.yaml',
    '--upstream',
    'ftp://x',
    '--port',
    '0',
  ]);
  assert.match(c.stderr, /BULWARK_ERR_USAGE/);
  const d = await runCli([
    'protect',
    '--spec',
    'examples/lab/openapi.yaml',
    '--upstream',
    'http://127.0.0.1:1',
    '--port',
    '99999',
  ]);
  assert.match(d.stderr, /BULWARK_ERR_USAGE: --port/);
});

test('an unsafe config (CORS wildcard with credentials) is refused at load', async () => {
  const r = await runCli([
    'protect',
    '--spec',
    'examples/lab/openapi.yaml',
    '--upstream',
    'http://127.0.0.1:1',
    '--port',
    '0',
    '--config',
    'missing.json',
  ]);
  // no such file: a clear config error, not a crash
  assert.equal(r.code, 2);
  assert.match(r.stderr, /BULWARK_ERR_CONFIG_READ/);
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-cli-'));
  writeFileSync(
    join(dir, 'bulwark.yaml'),
    "version: 1\nprotect:\n  cors:\n    origins: ['*']\n    credentials: true\n",
  );
  const u = await runCli([
    'protect',
    '--spec',
    'examples/lab/openapi.yaml',
    '--upstream',
    'http://127.0.0.1:1',
    '--port',
    '0',
    '--config',
    join(dir, 'bulwark.yaml'),
  ]);
  assert.equal(u.code, 2);
  assert.match(u.stderr, /BULWARK_ERR_CONFIG_UNSAFE/);
  assert.doesNotMatch(u.stderr, /\n\s+at /);
  rmSync(dir, { recursive: true, force: true });
});

test('protect prints the ready line, proxies, and drains on SIGTERM', async (t) => {
  const upstream = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"access_token":"t","token_type":"Bearer","expires_in":60}');
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  t.after(() => upstream.close());
  const port = (upstream.address() as AddressInfo).port;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      DEV_CLI,
      'protect',
      '--spec',
      'examples/lab/openapi.yaml',
      '--upstream',
      `http://127.0.0.1:${port}`,
      '--port',
      '0',
      '--log-level',
      'silent',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line: ${out}`)), 30_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /^protect listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  const res = await fetch(`${url}/api/v2/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"email":"a@b.co","password":"x"}',
  });
  assert.equal(res.status, 200);
  assert.equal((await fetch(`${url}/api/v1/users`)).status, 404);
  const code = await new Promise<number | null>((resolve) => {
    child.on('exit', (c) => resolve(c));
    child.kill('SIGTERM');
  });
  assert.equal(code, 0);
});

test('--workers 2 shares one port, aggregates metrics on the admin port and drains on SIGTERM', async (t) => {
  const upstream = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"access_token":"t","token_type":"Bearer","expires_in":60}');
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  t.after(() => upstream.close());
  const port = (upstream.address() as AddressInfo).port;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      DEV_CLI,
      'protect',
      '--spec',
      'examples/lab/openapi.yaml',
      '--upstream',
      `http://127.0.0.1:${port}`,
      '--port',
      '0',
      '--workers',
      '2',
      '--log-level',
      'silent',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  const [url, admin] = await new Promise<[string, string]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready lines: ${out}`)), 60_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m =
        /^protect listening on (http:\/\/127\.0\.0\.1:\d+)\nprotect admin on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(
          out,
        );
      if (m) {
        clearTimeout(timer);
        resolve([m[1]!, m[2]!]);
      }
    });
  });
  for (let i = 0; i < 6; i++) {
    const res = await fetch(`${url}/api/v2/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', connection: 'close' },
      body: '{"email":"a@b.co","password":"x"}',
    });
    assert.equal(res.status, 200);
  }
  const metrics = await (await fetch(`${admin}/metrics`)).text();
  assert.match(
    metrics,
    /bulwark_requests_total\{operation="POST \/api\/v2\/auth\/login",decision="allow",code=""\} 6/,
  );
  const code = await new Promise<number | null>((resolve) => {
    child.on('exit', (c) => resolve(c));
    child.kill('SIGTERM');
  });
  assert.equal(code, 0);
});
