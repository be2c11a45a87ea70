// `bulwark demo`: the whole of Bulwark on the lab in one command (issue 9). Starts the vulnerable
// lab, audits its spec, scans it, puts the gateway in front and scans again, prints what the gateway
// stopped, and stops every process it started, on success, failure and ctrl-C alike.
import { BulwarkError } from '../../core/errors.js';
import type { Command, CommandContext } from '../command.js';
import { DemoInterrupted } from '../demo/interrupted.js';

const DEFAULT_OUT = 'bulwark-demo';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Run the lab, audit it, scan it directly and through the gateway, and compare',
  usage: 'demo [--out DIR] [--ready-timeout SECONDS]',
  allowPositionals: false,
  options: {
    out: {
      type: 'string',
      value: 'DIR',
      description: `where the HTML and JSON reports go (default ./${DEFAULT_OUT})`,
    },
    'ready-timeout': {
      type: 'string',
      value: 'SECONDS',
      description: 'how long the lab and the gateway may take to start (default 60)',
    },
  },
  details: [
    'Steps: start `bulwark lab --variant vulnerable`, audit examples/lab/openapi.yaml with',
    'examples/lab/bulwark.yaml, scan the lab with examples/lab/scan.yaml (--intrusive), start',
    '`bulwark protect` in front of it, scan again through the gateway. Every port is a free',
    'loopback port. Progress goes to stderr; the audit score, one row per OWASP category (found',
    'directly; blocked or still open through the gateway, and why) and the report paths go to',
    'stdout. Exit codes: 0 every step ran, 2 a step failed (BULWARK_ERR_DEMO_STEP), 130 interrupted.',
  ].join('\n'),
  run,
};

function readyTimeoutMs(raw: string | undefined): number {
  if (raw === undefined) return 60_000;
  const seconds = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(seconds >= 1 && seconds <= 3600)) {
    throw new BulwarkError('BULWARK_ERR_USAGE', '--ready-timeout must be 1 to 3600 seconds');
  }
  return seconds * 1000;
}

async function run(ctx: CommandContext): Promise<number> {
  const out = typeof ctx.values['out'] === 'string' ? ctx.values['out'] : DEFAULT_OUT;
  const raw = ctx.values['ready-timeout'];
  const timeout = readyTimeoutMs(typeof raw === 'string' ? raw : undefined);
  const stop = interruption(ctx.signal, ctx.stderr);
  try {
    // Loaded on use: the demo pulls in the lab, the scanner and the gateway.
    const { runDemo } = await import('../demo/run.js');
    await runDemo(
      { stdout: ctx.stdout, stderr: ctx.stderr, env: ctx.env, cwd: ctx.cwd, signal: stop.signal },
      { outDir: out, readyTimeoutMs: timeout },
    );
    return 0;
  } catch (error) {
    if (error instanceof DemoInterrupted) {
      ctx.stderr.write('demo: interrupted; everything it started has been stopped\n');
      return 130;
    }
    throw error;
  } finally {
    stop.dispose();
  }
}

/**
 * Under `npx`, one ctrl-C arrives twice: from the terminal, and forwarded by npm
 * (@npmcli/run-script's signal manager). Signals this close together are the same interrupt.
 */
const SAME_INTERRUPT_MS = 1_000;

/**
 * The first ctrl-C (or SIGTERM) aborts the run; the demo then stops its children gracefully. A second
 * one is answered at once: the children are SIGKILLed by the demo's exit handler.
 */
function interruption(
  parent: AbortSignal,
  stderr: NodeJS.WritableStream,
): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let firstAt: number | undefined;
  const onSignal = (): void => {
    if (firstAt === undefined) {
      firstAt = Date.now();
      stderr.write('\ndemo: stopping (ctrl-C again to force)\n');
      controller.abort(new DemoInterrupted());
    } else if (Date.now() - firstAt > SAME_INTERRUPT_MS) process.exit(130);
  };
  const onParent = (): void => controller.abort(new DemoInterrupted());
  parent.addEventListener('abort', onParent, { once: true });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      parent.removeEventListener('abort', onParent);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
