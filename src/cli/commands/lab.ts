import type { Command } from '../command.js';
import { notBuilt } from './not-built.js';

export const labCommand: Command = {
  name: 'lab',
  summary: 'Start the deliberately vulnerable lab API, or its secured twin',
  usage:
    'lab --variant vulnerable|secure --port N [--host 127.0.0.1] [--db FILE] [--classifier-url URL]',
  allowPositionals: false,
  options: {
    variant: { type: 'string', value: 'NAME', description: 'vulnerable or secure' },
    port: { type: 'string', value: 'N', description: 'port to listen on' },
    host: { type: 'string', value: 'HOST', description: 'address to bind (default 127.0.0.1)' },
    db: {
      type: 'string',
      value: 'FILE',
      description: 'SQLite file (default: a fresh temporary file)',
    },
    'classifier-url': { type: 'string', value: 'URL', description: 'external classifier service' },
  },
  run: () => notBuilt('lab', 'issue 3'),
};
