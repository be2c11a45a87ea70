// `bulwark lab`: runs the deliberately vulnerable lab API or its secured twin until SIGINT/SIGTERM.
// The one ready line on stdout is a contract: other tools wait for it and read the port from it.
import { BulwarkError } from '../../core/errors.js';
import { VARIANTS, type Variant } from '../../lab/types.js';
import { stringOption, type Command, type CommandContext } from '../command.js';

export const labCommand: Command = {
  name: 'lab',
  summary: 'Start the deliberately vulnerable lab API, or its secured twin',
  usage:
    'lab --variant vulnerable|secure --port N [--host 127.0.0.1] [--db FILE] [--classifier-url URL] [--allow-http-import]',
  allowPositionals: false,
  options: {
    variant: { type: 'string', value: 'NAME', description: 'vulnerable or secure' },
    port: { type: 'string', value: 'N', description: 'port to listen on (0 picks a free one)' },
    host: { type: 'string', value: 'HOST', description: 'address to bind (default 127.0.0.1)' },
    db: {
      type: 'string',
      value: 'FILE',
      description: 'SQLite file (default: a fresh temporary file)',
    },
    'classifier-url': { type: 'string', value: 'URL', description: 'external classifier service' },
    'allow-http-import': {
      type: 'boolean',
      description: 'secure variant: let imports fetch http:// URLs too (https only by default)',
    },
  },
  details: [
    'Prints `lab (<variant>) listening on http://HOST:PORT` once ready, and runs until',
    'interrupted. The database is reseeded at every start; see docs/lab.md for the seed',
    'accounts and the ten flaws.',
    '',
    'Examples:',
    '  bulwark lab --variant vulnerable --port 8081',
    '  bulwark lab --variant secure --port 0 --db /tmp/lab.sqlite',
  ].join('\n'),
  run,
};

function parseVariant(raw: string | undefined): Variant {
  if (raw === undefined) {
    throw new BulwarkError('BULWARK_ERR_USAGE', 'missing --variant', {
      hint: `use --variant ${VARIANTS.join(' or --variant ')}`,
    });
  }
  const variant = VARIANTS.find((v) => v === raw);
  if (!variant) {
    throw new BulwarkError('BULWARK_ERR_USAGE', `unknown --variant '${raw}'`, {
      hint: `use ${VARIANTS.join(' or ')}`,
    });
  }
  return variant;
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined) {
    throw new BulwarkError('BULWARK_ERR_USAGE', 'missing --port', {
      hint: '--port 0 picks a free port',
    });
  }
  const port = /^[0-9]{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new BulwarkError('BULWARK_ERR_USAGE', `--port must be an integer from 0 to 65535`);
  }
  return port;
}

async function run(ctx: CommandContext): Promise<number> {
  const variant = parseVariant(stringOption(ctx, 'variant'));
  const port = parsePort(stringOption(ctx, 'port'));
  const allowHttpImport = ctx.values['allow-http-import'] === true;
  if (allowHttpImport && variant !== 'secure') {
    throw new BulwarkError(
      'BULWARK_ERR_USAGE',
      '--allow-http-import applies to --variant secure only',
      {
        hint: 'the vulnerable variant fetches any URL anyway',
      },
    );
  }
  const host = stringOption(ctx, 'host');
  const dbFile = stringOption(ctx, 'db');
  const classifierUrl = stringOption(ctx, 'classifier-url');
  // The lab (HTTP servers, SQLite) is loaded on use, not by every command.
  const { startLab } = await import('../../lab/index.js');
  const lab = await startLab({
    variant,
    port,
    ...(host === undefined ? {} : { host }),
    ...(dbFile === undefined ? {} : { dbFile }),
    ...(classifierUrl === undefined ? {} : { classifierUrl }),
    allowHttpImport,
  });
  ctx.stdout.write(`lab (${variant}) listening on ${lab.url}\n`);
  await untilStopped(ctx.signal);
  await lab.close();
  return 0;
}

/** Resolves on SIGINT or SIGTERM (or when the caller aborts), then removes its listeners. */
function untilStopped(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      signal.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
}
