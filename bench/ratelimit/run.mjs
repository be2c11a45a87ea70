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
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { format } from 'prettier';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { RedisStore } from '../../src/protect/ratelimit/redis-store.ts';
import { KEYS as MEMORY_KEYS, MEMORY_CONTENDERS } from './memory-contender.mjs';
import { measure, percentile } from './measure.mjs';

const CONTENDER = fileURLToPath(new URL('./memory-contender.mjs', import.meta.url));
import { ruleScript } from '../../src/protect/ratelimit/redis-scripts.ts';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const OPS = flag('--ops', 200_000);
const REDIS_OPS = flag('--redis-ops', 100_000);
const CONCURRENCY = flag('--concurrency', 50);
const KEYS = MEMORY_KEYS;
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

const spec = { algorithm: 'fixed-window', limit: 100, periodMs: 1_000, burst: 100 };
const gcraSpec = { algorithm: 'gcra', limit: 100, periodMs: 1_000, burst: 100 };
const ROUNDS = flag('--rounds', 3);

/** Interleaves the contenders over several rounds (the machine is shared and noisy) and keeps each one's median round. */
async function compare(contenders) {
  const runs = new Map(contenders.map(([label]) => [label, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const [label, ops, concurrency, decide, sampleEvery] of order)
      runs.get(label).push(await measure(label, ops, concurrency, decide, sampleEvery));
  }
  return contenders.map(([label]) => medianRound(runs.get(label)));
}

/** The round with the median throughput, whole (its latencies belong to that same round). */
function medianRound(runs) {
  const sorted = [...runs].sort((a, b) => a.perSecond - b.perSecond);
  return { ...sorted[Math.floor(sorted.length / 2)], rounds: sorted.length };
}

// 1. Memory, one decision at a time (a gateway decides inline); latency sampled (see measure.mjs).
// Each contender and round runs in a process of its own (memory-contender.mjs says why), the order
// alternating between rounds.
const MEMORY_SAMPLE = 64;
const memoryRuns = new Map(MEMORY_CONTENDERS.map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? MEMORY_CONTENDERS : [...MEMORY_CONTENDERS].reverse();
  for (const name of order) {
    const out = execFileSync(
      process.execPath,
      [...process.execArgv, CONTENDER, name, String(OPS), String(MEMORY_SAMPLE)],
      { encoding: 'utf8' },
    ).trim();
    const lines = out.split('\n');
    console.log(lines.slice(0, -1).join('\n'));
    memoryRuns.get(name).push(JSON.parse(lines.at(-1)));
  }
}
const rows = MEMORY_CONTENDERS.map((name) => medianRound(memoryRuns.get(name)));

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

const median = (list, field) => {
  const sorted = list.map((r) => r[field]).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
/** Each measure's median over the rounds (server time only where it was read). */
const medianRun = (list) => ({
  perSecond: median(list, 'perSecond'),
  p50: median(list, 'p50'),
  p99: median(list, 'p99'),
  ...(list[0]?.serverUs === undefined ? {} : { serverUs: median(list, 'serverUs') }),
});
// 2b. Latency of one decision against one round-trip, nothing else in flight: the issue's "p99 per
// Redis decision within 1.5x of one Redis round-trip" without queueing behind 49 others. The two
// alternate call by call (each goes first in every other pair), so both see the same moments of the
// shared machine: measured in separate runs, PING's own p99 moved between 128 and 234 µs.
const SEQ_OPS = Math.max(1_000, Math.floor(REDIS_OPS / 5));
async function paired(ops) {
  const decide = () => store.consume(gcraSpec, `g${next % KEYS}`, 1);
  const ping = () => client.ping();
  const lat = { decide: new Float64Array(ops), ping: new Float64Array(ops) };
  let next = 0;
  const timed = async (fn, into, i) => {
    const t0 = process.hrtime.bigint();
    await fn();
    into[i] = Number(process.hrtime.bigint() - t0) / 1_000;
  };
  for (let i = 0; i < Math.min(2_000, ops); i++, next++) await decide();
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops; i++, next++) {
    if (i % 2 === 0) {
      await timed(decide, lat.decide, i);
      await timed(ping, lat.ping, i);
    } else {
      await timed(ping, lat.ping, i);
      await timed(decide, lat.decide, i);
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return Object.fromEntries(
    Object.entries(lat).map(([who, values]) => {
      const sorted = Array.from(values).sort((a, b) => a - b);
      const perSecond = Math.round(ops / seconds);
      return [who, { perSecond, p50: percentile(sorted, 50), p99: percentile(sorted, 99) }];
    }),
  );
}
const pairedRuns = [];
for (let round = 0; round < ROUNDS; round++) pairedRuns.push(await paired(SEQ_OPS));
const sequential = [
  ['bulwark redis gcra, one at a time', 'decide'],
  ['ioredis PING, one at a time', 'ping'],
].map(([label, who]) => {
  const runs = pairedRuns.map((r) => r[who]);
  const row = { label, ops: SEQ_OPS, concurrency: 1, rounds: ROUNDS, ...medianRun(runs) };
  console.log(
    `${label.padEnd(44)} p50 ${row.p50.toFixed(1)} µs  p99 ${row.p99.toFixed(1)} µs (paired)`,
  );
  return row;
});
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
// Both fixed-window scripts through redis-benchmark, interleaved over the rounds. On a private server
// each run also reads the server's own time per call (INFO commandstats after CONFIG RESETSTAT; on a
// shared server that would clear others' statistics, and their EVALSHAs would enter ours).
// rate-limiter-flexible's script text is read from its limiter, not copied.
const rlfSha = await client.script('LOAD', rlfRedis._incrTtlLuaScript);
const evalArgs = {
  bulwark: ['evalsha', sha, '1', `${prefix}{rb:__rand_int__}:fw:t`, '1', '', 'c'],
  rlf: ['evalsha', rlfSha, '1', `${prefix}rlfrb:__rand_int__`, '1', '1'],
};
const evalRuns = { bulwark: [], rlf: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const who of round % 2 === 0 ? ['bulwark', 'rlf'] : ['rlf', 'bulwark']) {
    if (privateServer) await client.config('RESETSTAT');
    const row = parseCsv(rb(evalArgs[who]));
    if (privateServer) {
      const stats = await client.info('commandstats');
      row.serverUs = Number(
        /cmdstat_evalsha:calls=\d+,usec=\d+,usec_per_call=([\d.]+)/.exec(stats)?.[1],
      );
    }
    evalRuns[who].push(row);
  }
}
const rbEval = { label: 'redis-benchmark EVALSHA (same script)', ...medianRun(evalRuns.bulwark) };
const rbEvalRlf = {
  label: "redis-benchmark EVALSHA (rate-limiter-flexible's script)",
  ...medianRun(evalRuns.rlf),
};
const rbPing = { label: 'redis-benchmark PING', ...parseCsv(rb(['-t', 'ping_mbulk'])) };
for (const r of [rbEval, rbEvalRlf, rbPing])
  console.log(
    `${r.label.padEnd(44)} ${String(r.perSecond).padStart(9)} /s  p50 ${r.p50.toFixed(1)} µs  p99 ${r.p99.toFixed(1)} µs${r.serverUs ? `  server ${r.serverUs} µs/call` : ''}`,
  );

const keys = await client.keys(`${prefix}*`);
for (let i = 0; i < keys.length; i += 1000) await client.del(...keys.slice(i, i + 1000));
client.disconnect();
rlfClient.disconnect();
privateServer?.kill('SIGTERM');

// Report.
const by = (label) => rows.find((r) => r.label.startsWith(label));
const ratio = (a, b) => (a / b).toFixed(2);
const memB = by('bulwark memory fixed-window (consume)');
const memS = by('bulwark memory fixed-window (consumeSync)');
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
Each row is the median of ${ROUNDS} interleaved rounds. Workload: ${KEYS.toLocaleString('en-US')} keys round-robin, 100 per second per key; memory runs one decision at a time (its latency columns time 1 decision in ${MEMORY_SAMPLE}: reading the clock twice costs more than a memory decision), Redis runs ${CONCURRENCY} in flight on one ioredis connection with auto-pipelining (rate-limiter-flexible gets its own identical connection).

| Run | In flight | Decisions/s | p50 µs | p99 µs |
| --- | ---: | ---: | ---: | ---: |
${[...rows.map(fmt), ...[rbEval, rbEvalRlf, rbPing].map((r) => fmt({ ...r, concurrency: CONCURRENCY }))].join('\n')}

Goals (issue 6):
- Memory throughput vs rate-limiter-flexible: ${ratio(memS.perSecond, memR.perSecond)}x through \`consumeSync\`, which the gateway calls, ${ratio(memB.perSecond, memR.perSecond)}x through the promise-returning \`consume\` (the call shape of rate-limiter-flexible's only API) (goal >= 1).
- Redis throughput vs rate-limiter-flexible: ${ratio(redB.perSecond, redR.perSecond)}x with the default \`clock: redis\`, ${ratio(redG.perSecond, redR.perSecond)}x with \`clock: gateway\` (goal >= 1); default vs redis-benchmark's EVALSHA rate for the same script: ${ratio(redB.perSecond, rbEval.perSecond)}x.
- Redis server time per decision (\`INFO commandstats\` during the redis-benchmark runs): ${privateServer ? `Bulwark's fixed-window script ${rbEval.serverUs} µs, rate-limiter-flexible's ${rbEvalRlf.serverUs} µs (${ratio(rbEval.serverUs, rbEvalRlf.serverUs)}x); redis-benchmark's rate for the two scripts: ${ratio(rbEval.perSecond, rbEvalRlf.perSecond)}x` : 'measured only with --private'}.
- Redis p99 per decision vs one round-trip, one at a time (gcra vs PING, nothing else in flight): ${ratio(seqB.p99, seqPing.p99)}x (goal <= 1.5x); p50 ${ratio(seqB.p50, seqPing.p50)}x.
- Redis p99 per decision vs one ioredis round-trip at ${CONCURRENCY} in flight (PING, same concurrency): ${ratio(redB.p99, ping.p99)}x; vs redis-benchmark PING p99: ${ratio(redB.p99, rbPing.p99)}x.
- Accuracy, one hot key, ${(HOT_LIMIT * 5).toLocaleString('en-US')} decisions with ${CONCURRENCY} in flight, limit ${HOT_LIMIT.toLocaleString('en-US')}: Bulwark admitted ${accuracy.bulwark} (${exact(accuracy.bulwark)}), rate-limiter-flexible ${accuracy.rlf} (${exact(accuracy.rlf)}). Across processes: test/protect/ratelimit/distributed.test.ts.

Notes (written beside the run on 2026-11-29; update them when the code changes):

- The Redis fixed window keeps one string counter per key that expires at its window's aligned end (\`PEXPIREAT\` on a multiple of the period, on Redis' clock), so a decision is \`INCRBY\` and \`PTTL\`; \`TIME\` and \`PEXPIREAT\` run only at a window's first request, and a denial adds one \`DECRBY\` so the count stays exact. rate-limiter-flexible's script is \`SET NX EX\`, \`INCRBY\`, \`PTTL\`, with windows that start at each key's first request instead of on aligned boundaries.
- Before this design (up to commit 8c18e3a) each decision paid \`TIME\` and \`HINCRBY\` on a per-window hash field: 4.7 µs of server time against 3.4 µs for rate-limiter-flexible's script in that run, and 0.91x its throughput. Single-command scripts measured the same way (redis-benchmark, 10,000 keys, \`INFO commandstats\`, a private server): an empty script 1.24 µs, with \`TIME\` and its conversion 2.08 µs, with \`INCRBY\` 1.77 µs, \`HINCRBY\` 2.17 µs, \`INCRBY\` + \`PTTL\` 2.08 µs. A \`local function\` is a closure built on every call (about 0.1 µs), so rules without a ban now get scripts without the ban logic.
- With this workload (10,000 keys, one-second windows) a key sees about ten decisions per window through ioredis and about five in a redis-benchmark run, so one decision in ten to one in five pays for \`TIME\` and \`PEXPIREAT\`.
- Memory: \`consumeSync\` is what the gateway stage calls for the memory store (no promise per request); the \`consume\` row wraps the same decision in a promise and one \`.then\`, the call shape of rate-limiter-flexible's limiter. Each memory contender and round runs in a process of its own: in one shared process, which other functions the measuring loop had called moved these 0.2-0.4 µs decisions by up to 25% (V8 inline caches), and the promise-returning row measured anywhere from 0.86x to 1.24x rate-limiter-flexible between runs. In separate processes the same code measured 1.47x (3 rounds, a dev run).
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
