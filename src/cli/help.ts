import type { Command, OptionSpec } from './command.js';

export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  help: { type: 'boolean', short: 'h', description: 'show help' },
  version: { type: 'boolean', short: 'v', description: 'print the version' },
  debug: { type: 'boolean', description: 'show stack traces and causes of errors' },
};

function optionLines(options: Readonly<Record<string, OptionSpec>>): string[] {
  const rows = Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.value ? ` ${spec.value}` : ''}`;
    return [flag, spec.description] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return rows.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`);
}

export function mainHelp(commands: readonly Command[], version: string): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `bulwark ${version}: secure HTTP APIs from their own OpenAPI description`,
    '',
    'Usage: bulwark <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Exit codes: 0 clean; 1 findings at or above --fail-on; 2 usage, input or config error.',
    "Run 'bulwark <command> --help' for a command's options. Docs: docs/cli.md",
    '',
  ].join('\n');
}

export function commandHelp(command: Command): string {
  return [
    `Usage: bulwark ${command.usage}`,
    '',
    command.summary,
    '',
    'Options:',
    ...optionLines({ ...command.options, ...GLOBAL_OPTIONS }),
    ...(command.details ? ['', command.details] : []),
    '',
  ].join('\n');
}
