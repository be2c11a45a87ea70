// `bulwark demo`, step by step: start the vulnerable lab, audit its spec, scan it directly, start the
// gateway in front of it, scan again through the gateway, and stop everything it started on every
// path (success, failure, ctrl-C). Only the lab and the gateway are child processes (the real CLI);
// the audit and the scans run in this process through the same engine calls as their commands.
import { relative, resolve, isAbsolute } from 'node:path';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { auditRun, type AuditRunOutcome } from '../../audit/index.js';
import { loadConfig } from '../../core/config/index.js';
import { BulwarkError, isBulwarkError, toBulwarkError } from '../../core/errors.js';
import { loadSpec } from '../../core/openapi/load.js';
import type { ApiModel } from '../../core/openapi/model.js';
import { scanApi, type ScanResult } from '../../scan/index.js';
import { startChild, type RunningChild } from './children.js';
import { DemoInterrupted } from './interrupted.js';
import { compareRuns, type CategoryRow } from './compare.js';
import { refusalsBetween, type Refusals } from './metrics.js';
import { freeLoopbackPort } from './ports.js';
import { ProgressLog } from './progress.js';
import { auditMeta, scanMeta, writeHtmlAndJson } from './reports.js';
import { renderTable } from './table.js';

type Out = Writable & { isTTY?: boolean };

export interface DemoIo {
  readonly stdout: Out;
  readonly stderr: Out;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Aborted on ctrl-C: the demo stops what it started and reports the interruption. */
  readonly signal: AbortSignal;
}

export interface DemoOptions {
  /** Where the reports go (created if missing). */
  readonly outDir: string;
  /** How long a child may take to print its ready line. */
  readonly readyTimeoutMs: number;
}

export interface DemoOutcome {
  readonly rows: readonly CategoryRow[];
  readonly reports: readonly string[];
  readonly seconds: number;
  readonly auditScore: number;
  readonly auditFindings: number;
  /** Scan requests the gateway refused, and all scan requests sent through it. */
  readonly refused: number;
  readonly gatewayRequests: number;
}

const STEPS = 5;
/** How long a failed step waits for a child's exit event before blaming the step itself. */
const CRASH_SETTLE_MS = 1_000;
const EXAMPLES = fileURLToPath(new URL('../../../examples/lab/', import.meta.url));
export const LAB_FILES = {
  spec: resolve(EXAMPLES, 'openapi.yaml'),
  gatewayConfig: resolve(EXAMPLES, 'bulwark.yaml'),
  scanConfig: resolve(EXAMPLES, 'scan.yaml'),
} as const;

/** Thrown when the run was interrupted; the command turns it into exit code 130. */
export { DemoInterrupted };

export async function runDemo(io: DemoIo, options: DemoOptions): Promise<DemoOutcome> {
  const started = Date.now();
  const demo = new Demo(io, options);
  let outcome: DemoOutcome;
  try {
    outcome = await demo.run(started);
  } finally {
    await demo.stopAll();
  }
  // The result comes last, after the children are gone, so it is what stays on the screen.
  outcome = { ...outcome, seconds: (Date.now() - started) / 1000 };
  demo.printSummary(outcome);
  return outcome;
}

class Demo {
  private readonly children: RunningChild[] = [];
  private readonly controller = new AbortController();
  private crash: BulwarkError | undefined;
  private stopping = false;
  private readonly progress: ProgressLog;
  private readonly outDir: string;
  private readonly onExit = (): void => {
    for (const child of this.children) child.kill();
  };

  constructor(
    private readonly io: DemoIo,
    private readonly options: DemoOptions,
  ) {
    this.outDir = resolve(io.cwd, options.outDir);
    this.progress = new ProgressLog(io.stderr, io.env);
    const forward = (): void => this.controller.abort(new DemoInterrupted());
    if (io.signal.aborted) forward();
    else io.signal.addEventListener('abort', forward, { once: true });
    // Last resort when the process ends without reaching stopAll (an uncaught error): SIGKILL.
    process.once('exit', this.onExit);
  }

  private get signal(): AbortSignal {
    return this.controller.signal;
  }

  async run(started: number): Promise<DemoOutcome> {
    // API10: the lab's classifier is the scanner's hostile upstream, so both must agree on its port
    // before the lab starts (docs/scan.md, "API10 wiring").
    const hostilePort = await freeLoopbackPort();
    const lab = await this.step(
      1,
      'start the vulnerable lab',
      () =>
        this.start(
          'lab',
          [
            'lab',
            '--variant',
            'vulnerable',
            '--port',
            '0',
            '--classifier-url',
            `http://127.0.0.1:${hostilePort}/`,
          ],
          [/^lab \(vulnerable\) listening on (http:\/\/\S+)$/],
        ),
      (child) => `lab listening on ${child.captures[0]} (pid ${child.pid})`,
    );
    const labUrl = lab.captures[0] as string;

    const audit = await this.step(
      2,
      `audit ${this.show(LAB_FILES.spec)} and the gateway policy`,
      () => this.audit(),
      (outcome) =>
        `score ${outcome.score.overall}/100, ${outcome.findings.length} findings -> ${this.show(this.file('audit.html'))}`,
    );

    const prepared = await this.step(
      3,
      `scan the lab directly (${labUrl})`,
      async () => {
        const model = await loadSpec(LAB_FILES.spec, { cwd: this.io.cwd, signal: this.signal });
        const config = loadConfig(LAB_FILES.scanConfig, {
          env: this.io.env,
          cwd: this.io.cwd,
          sections: ['scan'],
        }).scan;
        const scan = async (name: string, target: string): Promise<ScanResult> => {
          const result = await scanApi({
            model,
            ...(config ? { config } : {}),
            flags: { target, intrusive: true },
            overrides: { hostilePort },
            signal: this.signal,
            onProgress: this.progress.scan(),
          });
          await this.writeScan(name, result, target, model);
          return result;
        };
        return { model, scan, result: await scan('scan-direct', labUrl) };
      },
      ({ result }) => this.scanSummary(result, 'scan-direct'),
    );
    const { model, scan, result: direct } = prepared;

    const gateway = await this.step(
      4,
      'start bulwark protect in front of the lab',
      () =>
        this.start(
          'gateway',
          [
            'protect',
            '--spec',
            LAB_FILES.spec,
            '--config',
            LAB_FILES.gatewayConfig,
            '--upstream',
            labUrl,
            '--port',
            '0',
            '--admin-port',
            '0',
            '--log-level',
            'warn',
          ],
          [/^protect listening on (http:\/\/\S+)$/, /^protect admin on (http:\/\/\S+)$/],
        ),
      (child) =>
        `gateway listening on ${child.captures[0]} (pid ${child.pid}), admin on ${child.captures[1]}`,
    );
    const [gatewayUrl, adminUrl] = gateway.captures as [string, string];

    let refusals: Refusals = { total: 0, byOperation: new Map() };
    const through = await this.step(
      5,
      `scan again through the gateway (${gatewayUrl})`,
      async () => {
        const before = await this.metrics(adminUrl);
        const result = await scan('scan-gateway', gatewayUrl);
        refusals = refusalsBetween(before, await this.metrics(adminUrl));
        return result;
      },
      (result) =>
        this.scanSummary(result, 'scan-gateway', `, ${refusals.total} refused by the gateway`),
    );

    const rows = compareRuns({
      direct: direct.findings,
      gateway: through.findings,
      gatewayChecksRun: through.checksRun,
      auditScores: audit.score.categories,
      refusals,
      operations: model.operations,
    });
    const reports = ['audit.html', 'scan-direct.html', 'scan-gateway.html'].map((f) =>
      this.file(f),
    );
    return {
      rows,
      reports,
      seconds: (Date.now() - started) / 1000,
      auditScore: audit.score.overall,
      auditFindings: audit.findings.length,
      refused: refusals.total,
      gatewayRequests: through.requests,
    };
  }

  private scanSummary(result: ScanResult, report: string, extra = ''): string {
    return `${result.findings.length} findings, ${result.requests} requests${extra} -> ${this.show(this.file(`${report}.html`))}`;
  }

  /** Runs one step: progress before and after, failures turned into one coded, named error. */
  private async step<T>(
    n: number,
    title: string,
    body: () => Promise<T>,
    describe: (value: T) => string,
  ): Promise<T> {
    this.progress.line(`[${n}/${STEPS}] ${title}`);
    const t0 = Date.now();
    let value: T;
    try {
      if (this.signal.aborted) throw this.signal.reason;
      value = await body();
    } catch (error) {
      await this.settleCrash();
      throw this.failure(n, title, error);
    }
    // A scan stops early (partial) rather than throwing when aborted: that is still a failed step.
    if (this.signal.aborted) throw this.failure(n, title, this.signal.reason);
    this.progress.note(`${describe(value)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return value;
  }

  /**
   * A step usually fails because a child died (the scan's requests are refused), and the child's
   * exit event can arrive just after the step's error. Waiting a moment for it names the real cause.
   */
  private async settleCrash(): Promise<void> {
    if (this.crash || this.children.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      ...this.children.map((c) => c.exited),
      new Promise((resolve) => (timer = setTimeout(resolve, CRASH_SETTLE_MS))),
    ]);
    clearTimeout(timer);
    await new Promise((resolve) => setImmediate(resolve)); // let the exit handler record it
  }

  private failure(n: number, title: string, error: unknown): Error {
    if (this.crash) return this.crash;
    if (error instanceof DemoInterrupted || this.signal.reason instanceof DemoInterrupted) {
      return new DemoInterrupted();
    }
    const inner = toBulwarkError(error);
    const demoStep = isBulwarkError(error) && error.code === 'BULWARK_ERR_DEMO_STEP';
    return new BulwarkError(
      'BULWARK_ERR_DEMO_STEP',
      `step ${n} (${title}) failed: ${demoStep ? inner.message : inner.toLine()}`,
      { cause: error, ...(demoStep && inner.hint ? { hint: inner.hint } : {}) },
    );
  }

  private async start(name: string, args: string[], ready: RegExp[]): Promise<RunningChild> {
    const child = await startChild({
      name,
      args,
      ready,
      env: this.io.env,
      cwd: this.io.cwd,
      readyTimeoutMs: this.options.readyTimeoutMs,
      signal: this.signal,
    });
    this.children.push(child);
    // A child that dies while the demo still needs it fails the run (the step in progress stops).
    void child.exited.then((how) => {
      if (this.stopping) return;
      this.crash ??= new BulwarkError(
        'BULWARK_ERR_DEMO_STEP',
        `the ${name} (pid ${child.pid}) exited unexpectedly (${how})`,
        { hint: child.stderrTail().slice(-600) || `run ${child.commandLine}` },
      );
      this.controller.abort(this.crash);
    });
    return child;
  }

  /** Stops the children in reverse order (gateway, then lab) and waits until each has exited. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    const running = [...this.children].reverse();
    if (running.length > 0) {
      this.progress.line(
        `stopping ${running.map((c) => `${c.name} (pid ${c.pid})`).join(' and ')}`,
      );
    }
    for (const child of running) {
      await child.stop();
      this.progress.note(`${child.name} stopped (${await child.exited})`);
    }
    process.off('exit', this.onExit);
  }

  private async audit(): Promise<AuditRunOutcome> {
    const startedAt = new Date().toISOString();
    const outcome = await auditRun({
      specs: [LAB_FILES.spec],
      configFile: LAB_FILES.gatewayConfig,
      cwd: this.io.cwd,
      env: this.io.env,
      signal: this.signal,
    });
    for (const note of outcome.notes) this.progress.note(`audit: ${note}`);
    if (outcome.errors > 0) {
      throw new BulwarkError(
        'BULWARK_ERR_DEMO_STEP',
        `the audit reported ${outcome.errors} error(s)`,
        {
          hint: outcome.notes[0] ?? 'run bulwark audit examples/lab/openapi.yaml',
        },
      );
    }
    await writeHtmlAndJson(
      this.outDir,
      'audit',
      outcome.findings,
      auditMeta(outcome, startedAt, this.io.cwd),
      this.io.stdout,
    );
    return outcome;
  }

  private async writeScan(
    name: string,
    result: ScanResult,
    target: string,
    model: ApiModel,
  ): Promise<void> {
    if (result.partial) return; // interrupted: the step fails, no half report is left as if whole
    await writeHtmlAndJson(
      this.outDir,
      name,
      result.findings,
      scanMeta(result, target, model, this.io.cwd),
      this.io.stdout,
    );
  }

  private file(name: string): string {
    return resolve(this.outDir, name);
  }

  /** A path as the user would type it: relative to the working directory when inside it. */
  private show(path: string): string {
    const rel = relative(this.io.cwd, path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
  }

  private async metrics(adminUrl: string): Promise<string> {
    const response = await fetch(new URL('/metrics', adminUrl), {
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      throw new BulwarkError(
        'BULWARK_ERR_DEMO_STEP',
        `the gateway's metrics answered ${response.status}`,
      );
    }
    return response.text();
  }

  printSummary(outcome: DemoOutcome): void {
    const out = this.io.stdout;
    out.write(`\nAudit score: ${outcome.auditScore}/100 (${outcome.auditFindings} findings)\n\n`);
    out.write(renderTable(outcome.rows));
    out.write(
      `\nThrough the gateway, ${outcome.refused} of ${outcome.gatewayRequests} scan requests were refused before reaching the lab.\n`,
    );
    out.write('\nReports:\n');
    for (const path of outcome.reports) out.write(`  ${this.show(path)}\n`);
    out.write(
      `Findings as JSON beside them: ${['audit.json', 'scan-direct.json', 'scan-gateway.json'].join(', ')}\n`,
    );
    out.write(
      `\nFinished in ${outcome.seconds.toFixed(1)} s; the lab and the gateway have been stopped.\n`,
    );
  }
}
