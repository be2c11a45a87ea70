// `bulwark demo` end to end, as CI runs it: the real CLI (from source) starts the real lab and
// gateway as child processes. The printed table is checked against the findings JSON the same run
// wrote, and every process the demo started is proven gone after a run, a ctrl-C, a failed step and
// a SIGKILL of the demo itself. Each demo process tree carries a unique environment marker, so a
// survivor is found in /proc even after it was re-parented away from the demo.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { OWASP_CATEGORIES, type Finding } from '../../src/core/finding.js';
import { ROOT, runCli } from '../helpers/cli.js';

const DEV_CLI = join(ROOT, 'scripts', 'dev-cli.ts');
const MARK_VAR = 'BULWARK_DEMO_TEST_MARK';
const scratch = mkdtempSync(join(tmpdir(), 'bulwark-demo-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface DemoRun {
  readonly child: ChildProcess;
  readonly mark: string;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once stderr matches `pattern`; rejects if the demo exits first or after `ms`. */
  waitFor(pattern: RegExp, ms: number): Promise<void>;
}

function startDemo(args: readonly string[]): DemoRun {
  const mark = randomUUID();
  const child = spawn(process.execPath, ['--import', 'tsx', DEV_CLI, 'demo', ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', [MARK_VAR]: mark },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  // A hung demo must not hang the suite: SIGKILL after 5 minutes (the guard then stops its children).
  const killer = setTimeout(() => child.kill('SIGKILL'), 300_000);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal });
    }),
  );
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    mark,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, ms) {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const poll = setInterval(() => {
          if (pattern.test(err)) {
            clearInterval(poll);
            resolve();
          } else if (done || Date.now() - started > ms) {
            clearInterval(poll);
            reject(new Error(`demo never printed ${pattern} (exited: ${done}); stderr:\n${err}`));
          }
        }, 100);
      });
    },
  };
}

/** Live processes whose environment carries the run's marker: the demo's whole tree, wherever it went. */
function processesWithMark(mark: string): string[] {
  const needle = `${MARK_VAR}=${mark}`;
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      if (!environ.split('\0').includes(needle)) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'latin1').replace(/\0/g, ' ');
      found.push(`${entry}: ${cmdline.trim()}`);
    } catch {
      // The process ended while we looked, or is not ours to read.
    }
  }
  return found;
}

/** Polls (bounded) until no process carries the marker; returns the survivors, if any. */
async function survivorsAfter(mark: string, ms: number): Promise<string[]> {
  const deadline = Date.now() + ms;
  let left = processesWithMark(mark);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    left = processesWithMark(mark);
  }
  return left;
}

function reportedPids(stderr: string): number[] {
  return [...new Set([...stderr.matchAll(/\(pid (\d+)/g)].map((m) => Number(m[1])))];
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface Row {
  readonly category: string;
  readonly audit: string;
  readonly direct: number;
  readonly gateway: string;
}

/** The rows of the printed table: `API1  <title>  <audit>  <direct>  <gateway verdict>`. */
function parseTable(stdout: string): Row[] {
  const rows: Row[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^(API\d+)\s+.+?\s{2,}(\d+|-)\s{2,}(\d+)\s{2}(\S.*)$/.exec(line);
    if (m) rows.push({ category: m[1]!, audit: m[2]!, direct: Number(m[3]), gateway: m[4]! });
  }
  return rows;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

test('bulwark demo runs every step, and its table is the findings JSON it wrote', async () => {
  const out = join(scratch, 'e2e');
  const run = startDemo(['--out', out]);
  const { code } = await run.exited;
  assert.equal(code, 0, `demo failed:\n${run.stderr()}\n${run.stdout()}`);

  // Progress went to stderr as the run went, every step in order.
  const steps = [...run.stderr().matchAll(/^\[(\d)\/5\]/gm)].map((m) => Number(m[1]));
  assert.deepEqual(steps, [1, 2, 3, 4, 5]);

  const audit = readJson<{ score: { overall: number; categories: Record<string, number> } }>(
    join(out, 'audit.json'),
  );
  const direct = readJson<{ findings: Finding[] }>(join(out, 'scan-direct.json')).findings;
  const gateway = readJson<{ findings: Finding[] }>(join(out, 'scan-gateway.json')).findings;
  assert.match(run.stdout(), new RegExp(`^Audit score: ${audit.score.overall}/100 `, 'm'));

  const rows = parseTable(run.stdout());
  assert.deepEqual(
    rows.map((r) => `${r.category}:2023`),
    [...OWASP_CATEGORIES],
    run.stdout(),
  );
  const throughGateway = new Set(gateway.map((f) => f.fingerprint));
  for (const row of rows) {
    const owasp = `${row.category}:2023`;
    const found = direct.filter((f) => f.owasp === owasp);
    const open = found.filter((f) => throughGateway.has(f.fingerprint));
    assert.equal(row.audit, String(audit.score.categories[owasp]), `${owasp} audit score`);
    assert.equal(row.direct, found.length, `${owasp} direct count`);
    // The lab has one flaw per category, and the direct scan finds each of them.
    assert.ok(found.length > 0, `${owasp}: the direct scan found nothing`);
    const cell = /\((\d+) of (\d+) still open/.exec(row.gateway);
    assert.ok(cell, `${owasp}: no verdict in '${row.gateway}'`);
    assert.equal(Number(cell[1]), open.length, `${owasp} still open through the gateway`);
    assert.equal(Number(cell[2]), found.length);
    const verdict =
      open.length === 0 ? 'blocked' : open.length === found.length ? 'open' : 'partly blocked';
    assert.ok(row.gateway.startsWith(verdict), `${owasp}: '${row.gateway}' is not ${verdict}`);
    // An open attack comes with its proof from the gateway scan: the check id is named.
    for (const f of open) assert.match(run.stdout(), new RegExp(`still open: ${f.id}`));
  }

  for (const report of ['audit.html', 'scan-direct.html', 'scan-gateway.html']) {
    assert.ok(existsSync(join(out, report)), report);
    assert.ok(run.stdout().includes(join(out, report)), `${report} path printed`);
  }

  const pids = reportedPids(run.stderr());
  assert.equal(pids.length >= 2, true, 'the demo reports the pids of the lab and the gateway');
  assert.deepEqual(pids.filter(isAlive), []);
  assert.deepEqual(processesWithMark(run.mark), []);
});

test('ctrl-C while the lab and the gateway run stops both and exits 130', async () => {
  const run = startDemo(['--out', join(scratch, 'sigint')]);
  await run.waitFor(/gateway listening on http/, 240_000);
  const pids = reportedPids(run.stderr());
  assert.equal(pids.length, 2, run.stderr());
  assert.deepEqual(pids.filter(isAlive), pids, 'both children run before the interrupt');
  run.child.kill('SIGINT');
  const { code } = await run.exited;
  assert.equal(code, 130, run.stderr());
  assert.match(run.stderr(), /interrupted; everything it started has been stopped/);
  assert.deepEqual(pids.filter(isAlive), []);
  assert.deepEqual(processesWithMark(run.mark), []);
});

test('a failed step exits 2 with the step named, and stops the lab it had started', async () => {
  const notADir = join(scratch, 'a-file');
  writeFileSync(notADir, 'not a directory');
  const run = startDemo(['--out', join(notADir, 'reports')]);
  const { code } = await run.exited;
  assert.equal(code, 2, run.stderr());
  assert.match(run.stderr(), /BULWARK_ERR_DEMO_STEP: step 2 \(audit .*\) failed: .*BULWARK_ERR_IO/);
  const pids = reportedPids(run.stderr());
  assert.equal(pids.length, 1, 'the lab had started');
  assert.deepEqual(pids.filter(isAlive), []);
  assert.deepEqual(processesWithMark(run.mark), []);
});

test('a child that dies mid-run fails the run with its name, and the rest is stopped', async () => {
  const run = startDemo(['--out', join(scratch, 'crash')]);
  await run.waitFor(/^\[3\/5\]/m, 240_000);
  const [lab] = reportedPids(run.stderr());
  assert.ok(lab !== undefined && isAlive(lab));
  process.kill(lab, 'SIGKILL');
  const { code } = await run.exited;
  assert.equal(code, 2, run.stderr());
  assert.match(
    run.stderr(),
    new RegExp(
      `BULWARK_ERR_DEMO_STEP: the lab \\(pid ${lab}\\) exited unexpectedly \\(signal SIGKILL\\)`,
    ),
  );
  assert.doesNotMatch(run.stdout(), /Audit score/, 'no result is printed for a failed run');
  assert.deepEqual(processesWithMark(run.mark), []);
});

test('children stop by themselves when the demo is killed outright (SIGKILL)', async () => {
  const run = startDemo(['--out', join(scratch, 'sigkill')]);
  await run.waitFor(/lab listening on http/, 240_000);
  const [lab] = reportedPids(run.stderr());
  assert.ok(lab !== undefined && isAlive(lab));
  run.child.kill('SIGKILL');
  await run.exited;
  // No handler runs in the demo: the IPC guard in the lab notices and shuts it down.
  assert.deepEqual(await survivorsAfter(run.mark, 30_000), []);
});

test('bad demo options are usage errors', async () => {
  const timeout = await runCli(['demo', '--ready-timeout', 'soon']);
  assert.equal(timeout.code, 2);
  assert.match(timeout.stderr, /BULWARK_ERR_USAGE: --ready-timeout must be 1 to 3600 seconds/);
  const extra = await runCli(['demo', 'now']);
  assert.equal(extra.code, 2);
  assert.match(extra.stderr, /BULWARK_ERR_USAGE/);
});
