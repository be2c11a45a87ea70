// The engine end to end against the purpose-built target: identity failures stop the scan at the
// start, discovery harvests real objects, an abort returns a partial result, and checks are gated.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScanConfig } from '../../../src/core/config/sections/scan.js';
import { isBulwarkError } from '../../../src/core/errors.js';
import { scanApi } from '../../../src/scan/index.js';
import { targetModel } from '../helpers/spec.js';
import { startTarget, targetConfig } from '../helpers/target.js';

test('a failing login stops the scan at the start with BULWARK_ERR_SCAN_IDENTITY, never a clean report', async (t) => {
  const target = await startTarget();
  t.after(() => target.close());
  const config = targetConfig() as { identities: Record<string, unknown> };
  const bad = {
    ...config,
    identities: {
      ...config.identities,
      mallory: {
        role: 'user',
        auth: {
          login: {
            operation: 'login',
            body: { email: 'alice@t.test', password: 'wrong-password' },
            tokenPath: '$.access_token',
          },
        },
      },
    },
  } as ScanConfig;
  await assert.rejects(
    scanApi({ model: await targetModel(), config: bad, flags: { target: target.url } }),
    (e) =>
      isBulwarkError(e) &&
      e.code === 'BULWARK_ERR_SCAN_IDENTITY' &&
      /mallory/.test(e.message) &&
      !/wrong-password/.test(e.message),
  );
});

test('a token path that finds nothing is an identity error too', async (t) => {
  const target = await startTarget();
  t.after(() => target.close());
  const config = {
    identities: {
      alice: {
        role: 'user',
        auth: {
          login: {
            operation: 'login',
            body: { email: 'alice@t.test', password: 'alice-pw' },
            tokenPath: '$.token',
          },
        },
      },
    },
  } as ScanConfig;
  await assert.rejects(
    scanApi({ model: await targetModel(), config, flags: { target: target.url } }),
    /no token at '\$\.token'/,
  );
});

test('a bad target is BULWARK_ERR_SCAN_TARGET', async () => {
  for (const target of ['ftp://127.0.0.1/', 'not a url', 'http://user:pw@127.0.0.1/']) {
    await assert.rejects(
      scanApi({
        model: await targetModel(),
        config: targetConfig() as ScanConfig,
        flags: { target },
      }),
      (e) => isBulwarkError(e) && e.code === 'BULWARK_ERR_SCAN_TARGET',
    );
  }
});

test('state-changing checks run only with --intrusive', async (t) => {
  const target = await startTarget(['bola']);
  t.after(() => target.close());
  const result = await scanApi({
    model: await targetModel(),
    config: targetConfig() as ScanConfig,
    flags: { target: target.url },
  });
  assert.ok(
    result.checksSkipped.some((s) => s.id === 'scan:api1:bola-delete' && /intrusive/.test(s.why)),
  );
  assert.ok(!result.checksRun.includes('scan:api1:bola-delete'));
  assert.ok(
    result.findings.some((f) => f.id === 'scan:api1:bola-read'),
    'read-only BOLA still found',
  );
});

test('an abort mid-scan returns a partial result with what was confirmed so far', async (t) => {
  const target = await startTarget(['bola', 'sensitive', 'cors']);
  t.after(() => target.close());
  const controller = new AbortController();
  let aborted = false;
  const result = await scanApi({
    model: await targetModel(),
    config: targetConfig() as ScanConfig,
    flags: { target: target.url },
    signal: controller.signal,
    onFinding: () => {
      if (!aborted) {
        aborted = true;
        controller.abort(new Error('ctrl-C'));
      }
    },
  });
  assert.equal(result.partial, true);
  assert.ok(result.findings.length >= 1, 'the finding confirmed before the stop is kept');
  assert.ok(result.checksRun.length < 20, 'later checks did not run');
});

test('discovery harvests objects from lists and creations, with their owners', async (t) => {
  const target = await startTarget(['bola']);
  t.after(() => target.close());
  const progress: string[] = [];
  const result = await scanApi({
    model: await targetModel(),
    config: targetConfig({ checks: { include: ['scan:api1:bola-read'] } }) as ScanConfig,
    flags: { target: target.url, intrusive: true },
    onProgress: (p) => progress.push(p.phase),
  });
  assert.deepEqual(
    [...new Set(progress)],
    ['authenticate', 'discover', 'check', 'cleanup', 'done'],
  );
  const finding = result.findings.find((f) => f.id === 'scan:api1:bola-read');
  assert.ok(finding);
  assert.match(finding.message, /owned by '(alice|bob)'/);
});

test('an identity whose credentials are refused stops the scan, even a static header', async (t) => {
  const target = await startTarget();
  t.after(() => target.close());
  const config = targetConfig() as { identities: Record<string, unknown> };
  const stale = {
    ...config,
    identities: {
      ...config.identities,
      ci: { role: 'user', auth: { header: { name: 'Authorization', value: 'Bearer stale-key' } } },
    },
  } as ScanConfig;
  await assert.rejects(
    scanApi({ model: await targetModel(), config: stale, flags: { target: target.url } }),
    (e) =>
      isBulwarkError(e) &&
      e.code === 'BULWARK_ERR_SCAN_IDENTITY' &&
      /'ci'.*refused \(401\)/.test(e.message) &&
      !/stale-key/.test(e.message),
  );
});

test('an intrusive scan deletes what it created, leaving the seeded objects', async (t) => {
  // No rate or login limit here: the clean-up would be throttled, and the login probe locks alice.
  const target = await startTarget(['no-rate-limit', 'login-no-limit']);
  t.after(() => target.close());
  const model = await targetModel();
  const config = targetConfig() as ScanConfig;
  await scanApi({ model, config, flags: { target: target.url, intrusive: true } });
  const login = await fetch(`${target.url}/api/v2/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'alice@t.test', password: 'alice-pw' }),
  });
  const { access_token: token } = (await login.json()) as { access_token: string };
  const list = await fetch(`${target.url}/api/v2/docs?limit=50`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const { items } = (await list.json()) as { items: { title: string }[] };
  assert.deepEqual(items.map((d) => d.title).sort(), ['alice 0', 'alice 1']);
});
