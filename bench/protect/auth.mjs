#!/usr/bin/env node
// bench/protect/auth.mjs: what authentication and authorization add to the full lab policy, in one
// run, same load generator (autocannon) and connections, rounds interleaved (median reported):
//   1. bulwark, full lab policy, no auth (the core bench's case 5, with a GET and a POST)
//   2. + JWT EdDSA + RBAC (createDocument) + ownership on the answer (getDocument)
//   3. + JWT RS256, same
//   4. + JWT EdDSA with the verified-token cache off (what the cache saves)
// Each connection alternates POST /api/v2/documents and GET /api/v2/documents/{id} with one valid
// token per case (as a real client reuses its token). Goal (issue 5): cases 2 and 3 within 10% of 1.
//
// Usage: node bench/protect/auth.mjs [--duration 10] [--connections 50] [--rounds 3] [--write]
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { clearTimeout, setTimeout } from 'node:timers';
import autocannon from 'autocannon';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { OWNER } from './auth-upstream.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    write: { type: 'boolean', default: false },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const rounds = Number(values.rounds);

function start(args) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')}: no ready line`)), 60_000);
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = /ready (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

async function keyFor(alg) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench' };
  const token = await new SignJWT({ role: 'user' })
    .setProtectedHeader({ alg, kid: 'bench', typ: 'JWT' })
    .setSubject(OWNER)
    .setIssuer('bulwark-bench')
    .setAudience('bulwark-lab-api')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(privateKey);
  return { jwk: JSON.stringify(jwk), token };
}

function requests(token) {
  const authorization = `Bearer ${token}`;
  return [
    {
      method: 'POST',
      path: '/api/v2/documents',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ title: 'bench', content: 'y'.repeat(200) }),
    },
    {
      method: 'GET',
      path: '/api/v2/documents/3f1c2a4e-8b7d-4c2e-9f1a-2b3c4d5e6f70',
      headers: { authorization },
    },
  ];
}

function load(port, seconds, reqs) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        duration: seconds,
        pipelining: 1,
        requests: reqs,
      },
      (err, r) => (err ? reject(err) : resolve(r)),
    );
  });
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

async function main() {
  const up = await start(['bench/protect/auth-upstream.mjs']);
  const upstream = `http://127.0.0.1:${up.port}`;
  const ed = await keyFor('EdDSA');
  const rs = await keyFor('RS256');
  const tsx = ['--import', 'tsx', 'bench/protect/auth-server.ts'];
  const cases = [
    { name: 'full lab policy, no auth', args: ['none', upstream, ed.jwk], token: ed.token },
    { name: '+ auth EdDSA, RBAC, ownership', args: ['eddsa', upstream, ed.jwk], token: ed.token },
    { name: '+ auth RS256, RBAC, ownership', args: ['rs256', upstream, rs.jwk], token: rs.token },
    {
      name: '+ auth EdDSA, no token cache',
      args: ['eddsa', upstream, ed.jwk, '0'],
      token: ed.token,
    },
  ];
  for (const c of cases) {
    const s = await start([...tsx, ...c.args]);
    Object.assign(c, s, { runs: [] });
    const warm = await load(c.port, 2, requests(c.token));
    const bad = warm.non2xx + warm.errors;
    if (bad > 0) throw new Error(`${c.name}: ${bad} failed requests in warm-up`);
  }
  for (let round = 0; round < rounds; round++) {
    for (const c of cases) {
      const r = await load(c.port, duration, requests(c.token));
      c.runs.push({
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        bad: r.non2xx + r.errors + r.timeouts,
      });
      console.log(
        `round ${round + 1} ${c.name.padEnd(32)} ${Math.round(r.requests.average)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms`,
      );
    }
  }
  const rows = cases.map((c) => ({
    name: c.name,
    rps: median(c.runs.map((r) => r.rps)),
    p50: median(c.runs.map((r) => r.p50)),
    p99: median(c.runs.map((r) => r.p99)),
    bad: c.runs.reduce((n, r) => n + r.bad, 0),
  }));
  for (const c of cases) await stop(c.child);
  await stop(up.child);
  const base = rows[0].rps;
  for (const r of rows)
    console.log(
      `median ${r.name.padEnd(32)} ${Math.round(r.rps)} req/s  (${((r.rps / base - 1) * 100).toFixed(1)}%)`,
    );
  if (values.write) write(rows);
}

function write(rows) {
  const base = rows[0].rps;
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  const table = rows
    .map(
      (r) =>
        `| ${r.name} | ${fmt(r.rps)} | ${r.p50} | ${r.p99} | ${((r.rps / base - 1) * 100).toFixed(1)}% | ${r.bad} |`,
    )
    .join('\n');
  const worst = Math.min(rows[1].rps, rows[2].rps) / base - 1;
  const section = `<!-- auth:start -->

## protect: authentication and authorization (bench/protect/auth.mjs)

Command: \`node bench/protect/auth.mjs --duration ${duration} --connections ${connections} --rounds ${rounds} --write\`
(${new Date().toISOString().slice(0, 10)}, Node ${process.version}, 2 shared cores, loopback, medians of interleaved rounds).
Every case is the lab spec with examples/lab/bulwark.yaml and response validation (the core bench's
full policy); each connection alternates POST /api/v2/documents (RBAC permission) and
GET /api/v2/documents/{id} (ownership checked on the answer), one token per client.

| Case | req/s | p50 ms | p99 ms | vs no auth | non-2xx/errors |
| ---- | ----: | -----: | -----: | ---------: | -------------: |
${table}

Goal: authentication and authorization add under 10% to the full-policy cost. Measured: the slower
of EdDSA and RS256 is ${(worst * 100).toFixed(1)}% vs no auth — ${worst > -0.1 ? 'met' : 'not met'}. The last row shows what
the verified-token cache saves (every request verifying its signature).

<!-- auth:end -->`;
  const file = `${root}bench/RESULTS.md`;
  const text = readFileSync(file, 'utf8');
  const re = /<!-- auth:start -->[\s\S]*?<!-- auth:end -->/;
  writeFileSync(
    file,
    re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}\n`,
  );
}

await main();
