import type { Command } from '../command.js';
import { configOption, reportOptions } from '../common-options.js';
import { notBuilt } from './not-built.js';

export const scanCommand: Command = {
  name: 'scan',
  summary: 'Actively test a running API with several identities and prove each finding',
  usage:
    'scan --spec FILE|URL --target URL [--config scan.yaml] [--intrusive] [--format json|sarif|junit|html|md|text] [--output FILE] [--fail-on SEVERITY]',
  allowPositionals: false,
  options: {
    spec: {
      type: 'string',
      value: 'FILE|URL',
      description: 'the OpenAPI description (or fetched from the target)',
    },
    target: { type: 'string', value: 'URL', description: 'base URL of the API under test' },
    ...configOption,
    intrusive: { type: 'boolean', description: 'also run checks that change state' },
    ...reportOptions(['text', 'json', 'sarif', 'junit', 'html', 'md'], 'high'),
  },
  run: () => notBuilt('scan', 'issue 7'),
};
