import type { Command } from '../command.js';
import { configOption, reportOptions } from '../common-options.js';
import { notBuilt } from './not-built.js';

export const auditCommand: Command = {
  name: 'audit',
  summary: 'Statically audit OpenAPI/Swagger descriptions for security defects (OWASP API Top 10)',
  usage:
    'audit <spec...> [--config FILE] [--format text|json|sarif|html|md|junit] [--output FILE] [--fail-on SEVERITY]',
  allowPositionals: true,
  options: {
    ...configOption,
    ...reportOptions(['text', 'json', 'sarif', 'html', 'md', 'junit'], 'medium'),
  },
  details: 'Specs may be files, directories, globs or http(s) URLs.',
  run: () => notBuilt('audit', 'issue 8'),
};
