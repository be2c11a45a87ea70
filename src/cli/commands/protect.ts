import type { Command } from '../command.js';
import { configOption } from '../common-options.js';
import { notBuilt } from './not-built.js';

export const protectCommand: Command = {
  name: 'protect',
  summary: 'Run a spec-driven security gateway in front of an API',
  usage: 'protect --spec FILE --upstream URL --port N [--config bulwark.yaml]',
  allowPositionals: false,
  options: {
    spec: { type: 'string', value: 'FILE', description: 'the OpenAPI description to enforce' },
    upstream: {
      type: 'string',
      value: 'URL',
      description: 'the API to forward allowed requests to',
    },
    port: { type: 'string', value: 'N', description: 'port to listen on' },
    host: { type: 'string', value: 'HOST', description: 'address to bind (default 127.0.0.1)' },
    ...configOption,
  },
  run: () => notBuilt('protect', 'issue 4'),
};
