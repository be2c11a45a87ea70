// Two gateway processes share one Redis; concurrent traffic for one key goes through both. The
// admitted count (what reached the upstream) must equal the limit exactly.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startUpstream } from '../helpers.js';
import { connectRedis, REDIS_URL, uniquePrefix } from './redis-helper.js';

const GATEWAY = fileURLToPath(new URL('./fixtures/gateway.ts', import.meta.url));

async function startGateway(t: TestContext, config: unknown): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', GATEWAY, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => {
    child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(line);
    });
    child.on('exit', (code) => reject(new Error(`gateway exited (${code})`)));
  });
}

async function hammer(
  urls: string[],
  total: number,
  concurrency: number,
): Promise<Record<number, number>> {
  const counts: Record<number, number> = {};
  let sent = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (sent < total) {
        sent++;
        const res = await fetch(`${urls[w % urls.length]}/item`, {
          headers: { 'x-tenant': 'acme' },
        });
        await res.arrayBuffer();
        counts[res.status] = (counts[res.status] ?? 0) + 1;
      }
    }),
  );
  return counts;
}

for (const [algorithm, extra] of [
  ['token-bucket', { limit: 1, burst: 150, period: '24h' }],
  ['fixed-window', { limit: 150, period: '1h' }],
] as const) {
  test(`${algorithm}: two gateways on one Redis admit exactly the limit`, async (t) => {
    const redis = await connectRedis(t);
    const upstream = await startUpstream(t);
    const rateLimit = {
      store: { type: 'redis', url: REDIS_URL, prefix: uniquePrefix(redis), timeout: '2s' },
      rules: [{ name: 'tenant', key: ['header:x-tenant'], algorithm, ...extra }],
    };
    const windowOf = async () => Math.floor(Number((await redis.time())[0]) / 3600);
    const before = await windowOf();
    const urls = await Promise.all([
      startGateway(t, { upstream: upstream.url, rateLimit }),
      startGateway(t, { upstream: upstream.url, rateLimit }),
    ]);
    const counts = await hammer(urls, 400, 32);
    // A fixed window that crossed an hour boundary mid-test would rightly admit twice; not a failure mode to hide.
    if (algorithm === 'fixed-window')
      assert.equal(await windowOf(), before, 'the test stayed within one window');
    assert.equal(counts[200], 150);
    assert.equal(counts[429], 250);
    assert.equal(upstream.seen.length, 150);
  });
}
