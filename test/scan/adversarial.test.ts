// A hostile target must not make the scanner leave scope, follow it elsewhere, or fall over: it
// answers every request with redirects to other hosts and metadata addresses, huge and deeply
// nested bodies, bogus Location headers and links, and lists of thousands of ids.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { ScanConfig } from '../../src/core/config/sections/scan.js';
import { scanApi } from '../../src/scan/index.js';
import { targetModel } from './helpers/spec.js';
import { targetConfig } from './helpers/target.js';

test('a hostile target cannot lead the scanner out of scope or crash it', async (t) => {
  let elsewhere = 0;
  const bystander = createServer((_req, res) => {
    elsewhere++;
    res.end('bystander');
  });
  await new Promise<void>((resolve) => bystander.listen(0, '127.0.0.2', resolve));
  const away = `http://127.0.0.2:${(bystander.address() as AddressInfo).port}`;
  let n = 0;
  const hostile = createServer((req, res) => {
    req.resume();
    n++;
    if (req.url?.endsWith('/login')) {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"access_token":"x","expires_in":600}');
      return;
    }
    switch (n % 5) {
      case 0:
        res.writeHead(302, { location: `${away}/steal` }).end();
        return;
      case 1:
        res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
        return;
      case 2:
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
        return;
      case 3:
        res.writeHead(201, {
          'content-type': 'application/json',
          location: `${away}/../../x?y=%zz`,
        });
        res.end(
          JSON.stringify({
            items: Array.from({ length: 5000 }, (_, i) => ({ id: i, owner_id: 'nobody' })),
          }),
        );
        return;
      default:
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ id: 'x', pad: 'y'.repeat(3 * 1024 * 1024) }));
    }
  });
  await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    for (const server of [hostile, bystander]) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
  const result = await scanApi({
    model: await targetModel(),
    config: targetConfig({
      probes: { burst: 20, flowRepeats: 3, loginAttempts: 3, oversizedBodyBytes: 2048 },
    }) as ScanConfig,
    flags: {
      target: `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`,
      intrusive: true,
    },
  });
  assert.equal(elsewhere, 0, 'nothing reached the out-of-scope host');
  assert.equal(result.partial, false);
  assert.ok(result.requests > 50, 'the scan ran its checks');
  for (const finding of result.findings) {
    assert.ok(
      (finding.evidence?.exchanges ?? []).every((e) => (e.response?.body?.length ?? 0) < 10_000),
      'evidence stays small',
    );
  }
});
