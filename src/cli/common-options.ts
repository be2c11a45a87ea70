import type { OptionSpec } from './command.js';

export const configOption: Record<string, OptionSpec> = {
  config: {
    type: 'string',
    short: 'c',
    value: 'FILE',
    description: 'bulwark.yaml or .json config file',
  },
};

export function reportOptions(
  formats: readonly string[],
  failOnDefault: string,
): Record<string, OptionSpec> {
  return {
    format: {
      type: 'string',
      short: 'f',
      value: 'FORMAT',
      description: `report format: ${formats.join(', ')} (default ${formats[0]})`,
    },
    output: {
      type: 'string',
      short: 'o',
      value: 'FILE',
      description: 'write the report to FILE instead of stdout',
    },
    'fail-on': {
      type: 'string',
      value: 'SEVERITY',
      description: `exit 1 when a finding is at or above SEVERITY: info, low, medium, high, critical, none (default ${failOnDefault})`,
    },
  };
}
