// The CLI entry point. It parses arguments, dispatches to a registered command and turns every
// error into one coded line on stderr (no stack trace unless --debug) and a documented exit code.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BulwarkError, toBulwarkError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import type { Command, CommandContext } from './command.js';
import { commands } from './commands/index.js';
import { commandHelp, GLOBAL_OPTIONS, mainHelp } from './help.js';
import { packageVersion } from './version.js';

type Stream = CommandContext['stdout'];

export interface MainIo {
  readonly stdout?: Stream;
  readonly stderr?: Stream;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly signal?: AbortSignal;
}

export { packageVersion } from './version.js';

interface Parsed {
  readonly values: CommandContext['values'];
  readonly positionals: string[];
}

function parse(command: Command | undefined, argv: readonly string[]): Parsed {
  const options = { ...(command?.options ?? {}), ...GLOBAL_OPTIONS } as ParseArgsConfig['options'];
  try {
    return parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: command ? command.allowPositionals : true,
    });
  } catch (error) {
    throw usageError(error, Object.keys(options ?? {}));
  }
}

function usageError(error: unknown, known: readonly string[]): BulwarkError {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '--?([^']+)'/.exec(message)?.[1];
  const hint = unknown === undefined ? undefined : didYouMean(unknown, known)?.replace("'", "'--");
  // parseArgs explains over several sentences and lines; keep the first so the error stays one line.
  const first = (message.split(/\.\s/)[0] ?? message).replace(/\.$/, '');
  return new BulwarkError('BULWARK_ERR_USAGE', first, {
    cause: error,
    ...(hint ? { hint } : {}),
  });
}

export async function main(argv: readonly string[], io: MainIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const debug = argv.includes('--debug');
  try {
    const [first, ...rest] = argv;
    const command = commands.find((c) => c.name === first);
    if (first === undefined || (first.startsWith('-') && command === undefined)) {
      const { values } = parse(undefined, argv);
      if (values['version']) stdout.write(`${packageVersion()}\n`);
      else stdout.write(mainHelp(commands, packageVersion()));
      return values['help'] || values['version'] ? 0 : 2;
    }
    if (command === undefined) {
      throw new BulwarkError('BULWARK_ERR_USAGE', `unknown command '${first}'`, {
        hint:
          didYouMean(
            first,
            commands.map((c) => c.name),
          ) ?? "run 'bulwark --help' for the list",
      });
    }
    const { values, positionals } = parse(command, rest);
    if (values['help']) {
      stdout.write(commandHelp(command));
      return 0;
    }
    const controller = new AbortController();
    io.signal?.addEventListener('abort', () => controller.abort(io.signal?.reason), { once: true });
    return await command.run({
      argv: rest,
      values,
      positionals,
      stdout,
      stderr,
      env: io.env ?? process.env,
      cwd: io.cwd ?? process.cwd(),
      signal: controller.signal,
    });
  } catch (thrown) {
    const error = toBulwarkError(thrown);
    stderr.write(`bulwark: ${error.toLine()}\n`);
    if (debug) stderr.write(`${inspectChain(error)}\n`);
    return error.exitCode;
  }
}

function inspectChain(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    lines.push(current instanceof Error ? (current.stack ?? current.message) : String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) lines.push('Caused by:');
  }
  return lines.join('\n');
}

/**
 * A reader that closes the pipe early (`bulwark inspect x.yaml | head`) is not an error: stop quietly
 * instead of crashing on EPIPE, as other Unix tools do.
 */
export function exitQuietlyOnBrokenPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
