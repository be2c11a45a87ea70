// Child processes of `bulwark demo`: each runs the real `bulwark` CLI (the same build the demo runs
// from), is ready when it prints its ready line, and is stopped by the demo on every exit path.
// Children get their own process group (a signal to the group also reaches anything they start) and
// an IPC channel watched by guard.ts, so they stop by themselves if the demo dies without cleaning up.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BulwarkError } from '../../core/errors.js';

/** Lines of a child's stderr kept to explain a failure. */
const TAIL_LINES = 20;
const STOP_GRACE_MS = 5_000;

/** How to run the CLI and its guard: from source through tsx in development, else the build. */
function cliInvocation(): { execArgv: string[]; entry: string } {
  const guard = new URL('./guard.js', import.meta.url);
  if (import.meta.url.endsWith('.ts')) {
    return {
      execArgv: [
        '--import',
        import.meta.resolve('tsx'),
        '--import',
        new URL('./guard.ts', import.meta.url).href,
      ],
      entry: fileURLToPath(new URL('../../../scripts/dev-cli.ts', import.meta.url)),
    };
  }
  return {
    execArgv: ['--import', guard.href],
    entry: fileURLToPath(new URL('../../../bin/bulwark.js', import.meta.url)),
  };
}

export interface StartOptions {
  /** What the process is called in progress lines and errors, e.g. `lab`. */
  readonly name: string;
  /** Arguments after `bulwark`. */
  readonly args: readonly string[];
  /** Lines the child prints once ready; each must match once, in any order. The first group is kept. */
  readonly ready: readonly RegExp[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly readyTimeoutMs: number;
  readonly signal: AbortSignal;
}

export interface RunningChild {
  readonly name: string;
  readonly pid: number;
  /** The first capture group of each ready pattern, in the order of `ready`. */
  readonly captures: readonly string[];
  /** Human-readable command line, for error messages. */
  readonly commandLine: string;
  /** Resolves when the child has exited, with its code or signal. */
  readonly exited: Promise<string>;
  /** The last lines the child wrote to stderr. */
  stderrTail(): string;
  /** SIGTERM to the child's process group, SIGKILL after a grace period; resolves once it exited. */
  stop(): Promise<void>;
  /** Synchronous last resort for process 'exit': SIGKILL the group. */
  kill(): void;
}

export function startChild(options: StartOptions): Promise<RunningChild> {
  const { execArgv, entry } = cliInvocation();
  const commandLine = `bulwark ${options.args.join(' ')}`;
  const child = spawn(process.execPath, [...execArgv, entry, ...options.args], {
    cwd: options.cwd,
    env: { ...options.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  const tail: string[] = [];
  readLines(child.stderr, (line) => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  });
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`));
  });
  const running = handle(options.name, child, commandLine, exited, () => tail.join('\n'));
  return waitReady(child, running, options).catch(async (error: unknown) => {
    await running.stop();
    throw error;
  });
}

function handle(
  name: string,
  child: ChildProcess,
  commandLine: string,
  exited: Promise<string>,
  stderrTail: () => string,
): RunningChild {
  let exitedYet = false;
  void exited.then(() => (exitedYet = true));
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // ESRCH: the whole group is gone already.
    }
  };
  return {
    name,
    pid: child.pid ?? -1,
    captures: [],
    commandLine,
    exited,
    stderrTail,
    async stop() {
      if (!exitedYet) signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
      // Anything the child started in its group goes with it.
      signalGroup('SIGKILL');
    },
    kill() {
      signalGroup('SIGKILL');
    },
  };
}

function waitReady(
  child: ChildProcess,
  running: RunningChild,
  options: StartOptions,
): Promise<RunningChild> {
  return new Promise((resolve, reject) => {
    const captures: (string | undefined)[] = options.ready.map(() => undefined);
    const fail = (why: string): void => {
      cleanup();
      const tail = running.stderrTail();
      reject(
        new BulwarkError('BULWARK_ERR_DEMO_STEP', `${options.name}: ${why}`, {
          hint: tail ? `its stderr ends with: ${tail.slice(-600)}` : `run ${running.commandLine}`,
        }),
      );
    };
    const timer = setTimeout(
      () => fail(`not ready after ${options.readyTimeoutMs / 1000} s`),
      options.readyTimeoutMs,
    );
    const onAbort = (): void => fail('interrupted while starting');
    options.signal.addEventListener('abort', onAbort, { once: true });
    void running.exited.then((how) => fail(`exited before it was ready (${how})`));
    const stopReading = readLines(child.stdout, (line) => {
      options.ready.forEach((pattern, i) => {
        const match = pattern.exec(line);
        if (match && captures[i] === undefined) captures[i] = match[1] ?? match[0];
      });
      if (captures.every((c) => c !== undefined)) {
        cleanup();
        resolve({ ...running, captures: captures as string[] });
      }
    });
    function cleanup(): void {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      stopReading();
    }
  });
}

/** Calls `onLine` for each complete line; returns a function that stops calling it (the stream keeps draining). */
function readLines(
  stream: NodeJS.ReadableStream | null,
  onLine: (line: string) => void,
): () => void {
  if (!stream) return () => {};
  let active = true;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    if (!active) return;
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      onLine(buffered.slice(0, newline).replace(/\r$/, ''));
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
    // A child that never ends a line must not grow this buffer without bound.
    if (buffered.length > 64 * 1024) buffered = buffered.slice(-1024);
  });
  return () => {
    active = false;
    buffered = '';
  };
}
