// `bulwark scan` from the command line, as a user runs it: usage errors, a full run writing a JSON
// report with --fail-on exit codes and plain progress on a non-TTY stderr, and ctrl-C (SIGINT)
// stopping cleanly with a partial report.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, type TestContext } from 'node:test';
import { stringify } from 'yaml';
import { ROOT, runCli } from '../helpers/cli.js';
import { startLab } from '../../src/lab/index.js';
import { freePort } from '../scan/helpers/ports.js';
import { TARGET_SPEC } from '../scan/helpers/spec.js';
import { startTarget, targetConfig } from '../scan/helpers/target.js';

function workspace(
  t: TestContext,
  config: Record<string, unknown> = {},
): { dir: string; spec: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-scan-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const spec = join(dir, 'openapi.json');
  writeFileSync(spec, JSON.stringify(TARGET_SPEC));
  const file = join(dir, 'scan.yaml');
  writeFileSync(file, stringify({ version: 1, scan: targetConfig(config) }));
  return { dir, spec, config: file };
}

test('scan without a target is a usage-class error naming BULWARK_ERR_SCAN_TARGET', async (t) => {
  const ws = workspace(t);
  const result = await runCli(['scan', '--spec', ws.spec, '--config', ws.config]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /BULWARK_ERR_SCAN_TARGET/);
});

test('an unknown --format or --fail-on is refused before any request', async (t) => {
  const ws = workspace(t);
  const format = await runCli([
    'scan',
    '--spec',
    ws.spec,
    '--target',
    'http://127.0.0.1:9',
    '--format',
    'pdf',
  ]);
  assert.equal(format.code, 2);
  assert.match(format.stderr, /BULWARK_ERR_REPORT_FORMAT/);
  const failOn = await runCli([
    'scan',
    '--spec',
    ws.spec,
    '--target',
    'http://127.0.0.1:9',
    '--fail-on',
    'hgh',
  ]);
  assert.equal(failOn.code, 2);
  assert.match(failOn.stderr, /BULWARK_ERR_USAGE/);
});

test('a full run writes the JSON report, prints plain progress and exits by --fail-on', async (t) => {
  const target = await startTarget(['bola', 'banner']);
  t.after(() => target.close());
  const ws = workspace(t);
  const out = join(ws.dir, 'report.json');
  const args = [
    'scan',
    '--spec',
    ws.spec,
    '--target',
    target.url,
    '--config',
    ws.config,
    '--format',
    'json',
    '--output',
    out,
  ];
  const high = await runCli([...args, '--fail-on', 'high'], { timeoutMs: 120_000 });
  assert.equal(high.code, 1, high.stderr);
  const report = JSON.parse(readFileSync(out, 'utf8')) as {
    findings: { id: string }[];
    partial: boolean;
  };
  assert.ok(report.findings.some((f) => f.id === 'scan:api1:bola-read'));
  assert.equal(report.partial, false);
  assert.match(
    high.stderr,
    /^scan: check · \d+ operations · checks \d+\/\d+/m,
    'plain progress lines on a non-TTY',
  );
  assert.doesNotMatch(high.stderr, /\r/, 'no in-place redraws on a non-TTY');
  const none = await runCli([...args, '--fail-on', 'none'], { timeoutMs: 120_000 });
  assert.equal(none.code, 0, none.stderr);
});

test('SIGINT stops the scan cleanly with a partial report and exit 130', async (t) => {
  // Every answer is slow, so the scan is still running when the signal arrives.
  const server = createServer((req, res) => {
    setTimeout(() => {
      if (req.url === '/api/v2/login')
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"access_token":"t","expires_in":600}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}');
    }, 150);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const ws = workspace(t);
  const out = join(ws.dir, 'partial.json');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('../../scripts/dev-cli.ts', import.meta.url)),
      'scan',
      '--spec',
      ws.spec,
      '--target',
      `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      '--config',
      ws.config,
      '--format',
      'json',
      '--output',
      out,
    ],
    { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  t.after(() => child.kill('SIGKILL'));
  let stderr = '';
  const code = await new Promise<number | null>((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (/scan: check/.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    child.on('close', (c) => {
      clearTimeout(killer);
      resolve(c);
    });
  });
  assert.equal(code, 130, stderr);
  assert.match(stderr, /interrupted/);
  const report = JSON.parse(readFileSync(out, 'utf8')) as { partial: boolean };
  assert.equal(report.partial, true);
});

test('against the vulnerable lab, with the spec fetched from the target, the text report names all ten categories', async (t) => {
  const hostilePort = await freePort();
  const lab = await startLab({
    variant: 'vulnerable',
    port: 0,
    classifierUrl: `http://127.0.0.1:${hostilePort}/`,
  });
  t.after(() => lab.close());
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-scan-lab-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // examples/lab/scan.yaml with its fixed hostile port swapped for the free one the lab was given.
  const config = join(dir, 'scan.yaml');
  const example = readFileSync(new URL('../../examples/lab/scan.yaml', import.meta.url), 'utf8');
  writeFileSync(
    config,
    example
      .replace(/port: 8089/, `port: ${hostilePort}`)
      .replace('../../schema/', `${ROOT}schema/`),
  );
  const result = await runCli(['scan', '--target', lab.url, '--config', config, '--intrusive'], {
    timeoutMs: 240_000,
  });
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stdout, new RegExp(`Sources: ${lab.url}/openapi.json`));
  for (let n = 1; n <= 10; n++)
    assert.match(result.stdout, new RegExp(`^API${n}:2023 `, 'm'), `API${n}`);
});
