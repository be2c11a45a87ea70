// The shape of one CLI command. Each command lives in its own file under src/cli/commands/ and is
// registered in src/cli/commands/index.ts.
import type { Writable } from 'node:stream';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  readonly description: string;
  /** Placeholder shown in help, e.g. FILE. */
  readonly value?: string;
}

export interface CommandContext {
  readonly argv: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | string[] | boolean[] | undefined>>;
  readonly positionals: readonly string[];
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /**
   * Aborted when the embedding caller aborts `MainIo.signal`. Process signals are not wired here: a
   * SIGINT listener would suppress the default exit for commands that do not watch this signal, so
   * long-running commands (lab, protect, scan, demo) install their own SIGINT/SIGTERM handlers.
   */
  readonly signal: AbortSignal;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Usage line(s) without the leading `bulwark `. */
  readonly usage: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly allowPositionals: boolean;
  /** Extra help text: examples, notes. */
  readonly details?: string;
  /** Returns the process exit code. Throws BulwarkError for usage, input and config errors. */
  run(ctx: CommandContext): Promise<number>;
}

/** A string flag's value, or undefined when absent (parseArgs types every flag as a union). */
export function stringOption(
  ctx: Pick<CommandContext, 'values'>,
  name: string,
): string | undefined {
  const value = ctx.values[name];
  return typeof value === 'string' ? value : undefined;
}
