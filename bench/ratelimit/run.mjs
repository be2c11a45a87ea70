#!/usr/bin/env node
// Rate-limit decisions per second and p99 latency, peers side by side in one run:
//   1. Bulwark MemoryStore vs rate-limiter-flexible RateLimiterMemory
//   2. Bulwark RedisStore vs rate-limiter-flexible RateLimiterRedis, through the same Redis
//   3. redis-benchmark's own EVALSHA rate for Bulwark's script and PING (the physical limits)
//   4. latency of one decision vs one PING with nothing else in flight, and a hot-key accuracy check
// Usage: node --import tsx bench/ratelimit/run.mjs [--private] [--ops N] [--redis-ops N] [--concurrency C] [--rounds R] [--no-write]
// Writes its section of bench/RESULTS.md between the ratelimit markers (--no-write for dev runs).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { format } from 'prettier';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { MemoryStore } from '../../src/protect/ratelimit/memory-store.ts';
import { RedisStore } from '../../src/protect/ratelimit/redis-store.ts';
import { ruleScript } from '../../src/protect/ratelimit/redis-scripts.ts';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const OPS = flag('--ops', 200_000);
const REDIS_OPS = flag('--redis-ops', 100_000);
const CONCURRENCY = flag('--concurrency', 50);
const KEYS = 10_000;
// --private starts a redis-server of its own on a free port, so other jobs' Redis traffic on the
// shared machine does not enter the comparison (both peers still share that one server).
let privateServer;
if (args.includes('--private')) {
  const { spawn } = await import('node:child_process');
  const { createServer } = await import('node:net');
  const port = await new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const p = srv.address().port;
      srv.close(() => resolve(p));
    });
  });
  privateServer = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
  await sleep(300);
}
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const url = new URL(REDIS_URL);

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Runs `ops` decisions with `concurrency` in flight; returns decisions/s and latency percentiles (µs). */
async function measure(label, ops, concurrency, decide) {
  // Warm-up: JIT and script cache.
  for (let i = 0; i < Math.min(5_000, ops / 10); i++) await decide(i);
  const lat = new Float64Array(ops);
  let next = 0;
  let admitted = 0;
  const start = process.hrtime.bigint();
  async function worker() {
    while (next < ops) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      if (await decide(i)) admitted++;
      lat[i] = Number(process.hrtime.bigint() - t0) / 1_000;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const sorted = Array.from(lat).sort((a, b) => a - b);
  const row = {
    label,
    ops,
    concurrency,
    perSecond: Math.round(ops / seconds),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    admitted,
  };
  console.log(
    `${label.padEnd(44)} ${String(row.perSecond).padStart(9)} /s  p50 ${row.p50.toFixed(1)} µs  p99 ${row.p99.toFixed(1)} µs`,
  );
  return row;
}

const spec = { algorithm: 'fixed-window', limit: 100, periodMs: 1_000, burst: 100 };
const gcraSpec = { algorithm: 'gcra', limit: 100, periodMs: 1_000, burst: 100 };
const ROUNDS = flag('--rounds', 3);

/** Interleaves the contenders over several rounds (the machine is shared and noisy) and keeps each one's median round. */
async function compare(contenders) {
  const runs = new Map(contenders.map(([label]) => [label, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const [label, ops, concurrency, decide] of order)
      runs.get(label).push(await measure(label, ops, concurrency, decide));
  }
  return contenders.map(([label]) => {
    const sorted = runs.get(label).sort((a, b) => a.perSecond - b.perSecond);
    return { ...sorted[Math.floor(sorted.length / 2)], rounds: sorted.length };
  });
}

// 1. Memory, one decision at a time (a gateway decides inline).
const mem = new MemoryStore();
const rlfMem = new RateLimiterMemory({ points: 100, duration: 1 });
const rows = await compare([
  [
    'bulwark memory fixed-window (consume)',
    OPS,
    1,
    async (i) => (await mem.consume(spec, `k${i % KEYS}`, 1)).allowed,
  ],
  [
    'bulwark memory gcra (consumeSync)',
    OPS,
    1,
    (i) => mem.consumeSync(gcraSpec, `g${i % KEYS}`, 1).allowed,
  ],
  [
    'rate-limiter-flexible memory (fixed window)',
    OPS,
    1,
    (i) =>
      rlfMem.consume(`k${i % KEYS}`, 1).then(
        () => true,
        () => false,
      ),
  ],
]);

// 2. Redis, same server, same concurrency, same key spread.
const client = new Redis(REDIS_URL, { enableAutoPipelining: true });
const rlfClient = new Redis(REDIS_URL, { enableAutoPipelining: true });
const prefix = `bench:${process.pid}:`;
const store = new RedisStore(client, { prefix });
// `clock: gateway` in bulwark.yaml: the gateway sends its own time, the script skips Redis TIME.
const gatewayClock = new RedisStore(client, { prefix: `${prefix}gw:`, now: () => Date.now() });
const rlfRedis = new RateLimiterRedis({
  storeClient: rlfClient,
  points: 100,
  duration: 1,
  keyPrefix: `${prefix}rlf`,
});
rows.push(
  ...(await compare([
    [
      'bulwark redis fixed-window (EVALSHA)',
      REDIS_OPS,
      CONCURRENCY,
      async (i) => (await store.consume(spec, `k${i % KEYS}`, 1)).allowed,
    ],
    [
      'bulwark redis fixed-window, clock: gateway',
      REDIS_OPS,
      CONCURRENCY,
      async (i) => (await gatewayClock.consume(spec, `k${i % KEYS}`, 1)).allowed,
    ],
    [
      'bulwark redis gcra (EVALSHA)',
      REDIS_OPS,
      CONCURRENCY,
      async (i) => (await store.consume(gcraSpec, `g${i % KEYS}`, 1)).allowed,
    ],
    [
      'rate-limiter-flexible redis (fixed window)',
      REDIS_OPS,
      CONCURRENCY,
      (i) =>
        rlfRedis.consume(`k${i % KEYS}`, 1).then(
          () => true,
          () => false,
        ),
    ],
    [
      'ioredis PING (one round-trip)',
      REDIS_OPS,
      CONCURRENCY,
      async () => (await client.ping()) === 'PONG',
    ],
  ])),
);

// 2b. Latency of one decision against one round-trip, nothing else in flight: the issue's "p99 per
// Redis decision within 1.5x of one Redis round-trip" without queueing behind 49 others.
const SEQ_OPS = Math.max(1_000, Math.floor(REDIS_OPS / 5));
const sequential = await compare([
  [
    'bulwark redis gcra, one at a time',
    SEQ_OPS,
    1,
    async (i) => (await store.consume(gcraSpec, `g${i % KEYS}`, 1)).allowed,
  ],
  ['ioredis PING, one at a time', SEQ_OPS, 1, async () => (await client.ping()) === 'PONG'],
]);
rows.push(...sequential);

// 2c. Accuracy: one hot key hammered with 50 in flight must admit exactly its limit. The period is
// a day so that the refill during the run (a hundredth of a unit per second) cannot add one.
const HOT_LIMIT = 1_000;
const hotSpec = { algorithm: 'gcra', limit: HOT_LIMIT, periodMs: 86_400_000, burst: HOT_LIMIT };
const rlfHot = new RateLimiterRedis({
  storeClient: rlfClient,
  points: HOT_LIMIT,
  duration: 86_400,
  keyPrefix: `${prefix}hot`,
});
async function admittedOf(decide) {
  let next = 0;
  let admitted = 0;
  const worker = async () => {
    while (next < HOT_LIMIT * 5) {
      next++;
      if (await decide()) admitted++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return admitted;
}
const accuracy = {
  bulwark: await admittedOf(async () => (await store.consume(hotSpec, 'hot', 1)).allowed),
  rlf: await admittedOf(() =>
    rlfHot.consume('hot', 1).then(
      () => true,
      () => false,
    ),
  ),
};
console.log(
  `hot key, ${HOT_LIMIT * 5} decisions, limit ${HOT_LIMIT}: bulwark admitted ${accuracy.bulwark}, rate-limiter-flexible ${accuracy.rlf}`,
);

// 3. redis-benchmark: the server's own rate for the same script, and for PING.
const sha = await client.script('LOAD', ruleScript(spec));
const rb = (extra) =>
  execFileSync(
    'redis-benchmark',
    [
      '-h',
      url.hostname,
      '-p',
      url.port || '6379',
      '-n',
      String(REDIS_OPS),
      '-c',
      String(CONCURRENCY),
      '-P',
      '1',
      '-r',
      String(KEYS),
      '--csv',
      ...extra,
    ],
    { encoding: 'utf8' },
  );
const parseCsv = (text) => {
  const line = text
    .trim()
    .split('\n')
    .at(-1)
    .split(',')
    .map((v) => v.replaceAll('"', ''));
  return {
    perSecond: Math.round(Number(line[1])),
    p50: Number(line[4]) * 1000,
    p99: Number(line[6]) * 1000,
  };
};
const rbEval = {
  label: 'redis-benchmark EVALSHA (same script)',
  ...parseCsv(rb(['evalsha', sha, '1', `${prefix}{rb:__rand_int__}:fw:t`, '1', '', 'c'])),
};
const rbPing = { label: 'redis-benchmark PING', ...parseCsv(rb(['-t', 'ping_mbulk'])) };
for (const r of [rbEval, rbPing])
  console.log(
    `${r.label.padEnd(44)} ${String(r.perSecond).padStart(9)} /s  p50 ${r.p50.toFixed(1)} µs  p99 ${r.p99.toFixed(1)} µs`,
  );

const keys = await client.keys(`${prefix}*`);
for (let i = 0; i < keys.length; i += 1000) await client.del(...keys.slice(i, i + 1000));
client.disconnect();
rlfClient.disconnect();
privateServer?.kill('SIGTERM');

// Report.
const by = (label) => rows.find((r) => r.label.startsWith(label));
const ratio = (a, b) => (a / b).toFixed(2);
const memB = by('bulwark memory fixed-window');
const memR = by('rate-limiter-flexible memory');
const redB = by('bulwark redis fixed-window (EVALSHA)');
const redG = by('bulwark redis fixed-window, clock: gateway');
const redR = by('rate-limiter-flexible redis');
const ping = by('ioredis PING (one');
const seqB = by('bulwark redis gcra, one at a time');
const seqPing = by('ioredis PING, one at a time');
const exact = (n) =>
  n === HOT_LIMIT ? 'exact' : `NOT exact (${n - HOT_LIMIT > 0 ? '+' : ''}${n - HOT_LIMIT})`;
const fmt = (r) =>
  `| ${r.label} | ${r.concurrency ?? CONCURRENCY} | ${r.perSecond.toLocaleString('en-US')} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`;
const load = execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' })
  .trim()
  .split(' ')
  .slice(0, 3)
  .join(' ');
const section = `<!-- ratelimit:start -->
## Rate limiting (bench/ratelimit)

Command: \`node --import tsx bench/ratelimit/run.mjs${args.length ? ` ${args.join(' ')}` : ''}\` (${new Date().toISOString()}, Node ${process.version}, ${cpus().length} CPUs, ${privateServer ? 'a private redis-server' : `Redis at ${url.host}`}, load average ${load}; the machine is shared with other engineers' jobs during this run, so absolute numbers are noisy, ratios less so).
Each row is the median of ${ROUNDS} interleaved rounds. Workload: ${KEYS.toLocaleString('en-US')} keys round-robin, 100 per second per key; memory runs one decision at a time, Redis runs ${CONCURRENCY} in flight on one ioredis connection with auto-pipelining (rate-limiter-flexible gets its own identical connection).

| Run | In flight | Decisions/s | p50 µs | p99 µs |
| --- | ---: | ---: | ---: | ---: |
${[...rows.map(fmt), fmt({ ...rbEval, concurrency: CONCURRENCY }), fmt({ ...rbPing, concurrency: CONCURRENCY })].join('\n')}

Goals (issue 6):
- Memory throughput vs rate-limiter-flexible: ${ratio(memB.perSecond, memR.perSecond)}x (goal >= 1).
- Redis throughput vs rate-limiter-flexible: ${ratio(redB.perSecond, redR.perSecond)}x with the default \`clock: redis\`, ${ratio(redG.perSecond, redR.perSecond)}x with \`clock: gateway\` (goal >= 1); default vs redis-benchmark's EVALSHA rate for the same script: ${ratio(redB.perSecond, rbEval.perSecond)}x.
- Redis p99 per decision vs one round-trip, one at a time (gcra vs PING, nothing else in flight): ${ratio(seqB.p99, seqPing.p99)}x (goal <= 1.5x); p50 ${ratio(seqB.p50, seqPing.p50)}x.
- Redis p99 per decision vs one ioredis round-trip at ${CONCURRENCY} in flight (PING, same concurrency): ${ratio(redB.p99, ping.p99)}x; vs redis-benchmark PING p99: ${ratio(redB.p99, rbPing.p99)}x.
- Accuracy, one hot key, ${(HOT_LIMIT * 5).toLocaleString('en-US')} decisions with ${CONCURRENCY} in flight, limit ${HOT_LIMIT.toLocaleString('en-US')}: Bulwark admitted ${accuracy.bulwark} (${exact(accuracy.bulwark)}), rate-limiter-flexible ${accuracy.rlf} (${exact(accuracy.rlf)}). Across processes: test/protect/ratelimit/distributed.test.ts.

Notes (written beside the run on 2026-11-29; update them when the code changes):

- Server-side cost per EVALSHA (Redis \`INFO commandstats\`, private server, 50 in flight, 10,000 keys, steady state, 2026-11-29): Bulwark's fixed-window script about 6.2 µs with Redis \`TIME\`, 4.8 µs with the clock sent by the gateway (\`clock: gateway\`), against 4.9 µs for rate-limiter-flexible's script (SET NX EX, INCRBY, PTTL, windows anchored on Redis key expiry, so it needs no clock); after the shorter admitted reply, measured again in a faster moment of the machine: 4.7, 4.0 and 3.4 µs, so 1.39x and 1.19x rate-limiter-flexible's server time. Inside those: \`TIME\` with its Lua conversion about 1.5 µs, \`HINCRBY\` on the window's hash field 1.1 µs against 0.2 µs for a plain \`INCRBY\`. A window's first unit now drops the previous window's field with one \`HDEL\` (it took \`HLEN\`, \`DEL\` and \`HSET\`).
- Raw EVALSHA through one ioredis connection, same harness for all three scripts (five interleaved rounds, medians): Bulwark with \`TIME\` 65k/s, with the gateway's clock 74k/s, rate-limiter-flexible's script 79k/s. Client-side CPU per decision is the same for both libraries within the noise (11-15 µs, the bench loop included), so the server script is the gap.
- The throughput goal (>= rate-limiter-flexible) is NOT met. What closes it is a design choice, not tuning: either drop the shared server clock (\`clock: gateway\` as the default, exact only as far as the gateways' clocks agree), or anchor fixed windows on key expiry as rate-limiter-flexible does (no clock at all, but windows start at each key's first request instead of on aligned boundaries, for both stores). Both are left to a decision; the default keeps aligned windows on Redis' clock.
- Memory: \`consumeSync\`, which the gateway stage uses for the memory store (no promise per request), is the fair comparison with rate-limiter-flexible's memory limiter; the async \`consume\` row adds one promise per decision.
- p99 figures in milliseconds come from CPU contention on the 2-core machine, where the load generator, the client and Redis share the cores (even PING's p99 is in milliseconds); the one-at-a-time row is the meaningful p99 comparison.
<!-- ratelimit:end -->
`;
console.log(`\n${section}`);
if (!args.includes('--no-write')) {
  const file = new URL('../RESULTS.md', import.meta.url);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const re = /<!-- ratelimit:start -->[\s\S]*?<!-- ratelimit:end -->\n?/;
  // Only this section is formatted (prettier aligns the table); other sections stay as they are.
  const formatted = await format(section, { parser: 'markdown' });
  writeFileSync(
    file,
    re.test(current)
      ? current.replace(re, () => formatted)
      : `${current.trimEnd()}\n\n${formatted}`,
  );
}
