// `bulwark protect`: the spec-driven gateway. Loads the spec and config, compiles the gateway once,
// prints the ready line (a contract other tools wait for) and runs until SIGINT/SIGTERM, when it
// drains requests in flight before exiting.
import { loadConfig, resolveFromConfig } from '../../core/config/index.js';
import type { ProtectConfig } from '../../core/config/sections/protect.js';
import type { GraphqlConfig } from '../../core/config/sections/graphql.js';
import { BulwarkError } from '../../core/errors.js';
import { loadSpec } from '../../core/openapi/load.js';
import cluster from 'node:cluster';
import { stringOption, type Command, type CommandContext } from '../command.js';
import { configOption } from '../common-options.js';

export const protectCommand: Command = {
  name: 'protect',
  summary: 'Run a spec-driven security gateway in front of an API',
  usage:
    'protect --spec FILE --upstream URL --port N [--config bulwark.yaml] [--host HOST] [--admin-port N]',
  allowPositionals: false,
  options: {
    spec: { type: 'string', value: 'FILE', description: 'the OpenAPI description to enforce' },
    upstream: {
      type: 'string',
      value: 'URL',
      description: 'the API to forward allowed requests to',
    },
    port: { type: 'string', value: 'N', description: 'port to listen on (0 picks a free one)' },
    host: { type: 'string', value: 'HOST', description: 'address to bind (default 127.0.0.1)' },
    'admin-port': {
      type: 'string',
      value: 'N',
      description: 'port for /healthz, /readyz and /metrics (default: a free port)',
    },
    workers: {
      type: 'string',
      value: 'N',
      description: 'run N gateway processes sharing the port (node:cluster); default 1',
    },
    'log-level': {
      type: 'string',
      value: 'LEVEL',
      description: 'pino level for the JSON request log on stderr: info (default), warn, silent',
    },
    ...configOption,
  },
  details: [
    'Prints `protect listening on http://HOST:PORT` once ready, then `protect admin on ...`.',
    'Every request not described by the spec is refused with RFC 9457 problem+json;',
    'see docs/protect/ for the pipeline, the config and the refusal codes.',
    '',
    'Example:',
    '  bulwark protect --spec examples/lab/openapi.yaml --config examples/lab/bulwark.yaml \\',
    '    --upstream http://127.0.0.1:8081 --port 8080',
  ].join('\n'),
  run,
};

function port(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
    throw new BulwarkError('BULWARK_ERR_USAGE', `--${flag} must be a port number (0-65535)`);
  }
  return Number(raw);
}

function workerCount(raw: string | undefined): number {
  if (raw === undefined) return 1;
  if (!/^\d{1,2}$/.test(raw) || Number(raw) < 1 || Number(raw) > 64) {
    throw new BulwarkError('BULWARK_ERR_USAGE', '--workers must be a number from 1 to 64');
  }
  return Number(raw);
}

function upstreamUrl(raw: string | undefined): string {
  if (raw === undefined) {
    throw new BulwarkError('BULWARK_ERR_USAGE', 'missing --upstream', {
      hint: 'give the URL of the API to protect, e.g. --upstream http://127.0.0.1:8081',
    });
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BulwarkError('BULWARK_ERR_USAGE', '--upstream is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BulwarkError('BULWARK_ERR_USAGE', '--upstream must be http:// or https://');
  }
  return raw;
}

/** protect.tls.clientCa and crl take one file or a list. */
function fromConfig(
  config: Parameters<typeof resolveFromConfig>[0],
  files: string | readonly string[],
): string[] {
  return (typeof files === 'string' ? [files] : files).map((f) => resolveFromConfig(config, f));
}

async function run(ctx: CommandContext): Promise<number> {
  const spec = stringOption(ctx, 'spec');
  if (spec === undefined) {
    throw new BulwarkError('BULWARK_ERR_USAGE', 'missing --spec', {
      hint: 'give the OpenAPI file to enforce, e.g. --spec openapi.yaml',
    });
  }
  const config = loadConfig(stringOption(ctx, 'config'), { env: ctx.env, cwd: ctx.cwd });
  // The gateway is loaded on use: `bulwark audit` or `--help` does not pay for it.
  const [{ announceWorker, isClusterWorker, startPrimary, startProtect }, { withResolvedPaths }] =
    await Promise.all([
      import('../../protect/index.js'),
      import('../../protect/graphql/options.js'),
    ]);
  const section: ProtectConfig = config.protect ?? {};
  const upstream = upstreamUrl(stringOption(ctx, 'upstream') ?? section.upstream);
  const listenPort = port(stringOption(ctx, 'port'), 'port');
  const adminPort = port(stringOption(ctx, 'admin-port'), 'admin-port');
  const tls = section.tls;
  // GraphQL file paths (schemaFile, trusted documents) are relative to the config file too.
  const withGraphql: ProtectConfig = section.graphql
    ? {
        ...section,
        graphql: withResolvedPaths(section.graphql, (p) =>
          resolveFromConfig(config, p),
        ) as GraphqlConfig,
      }
    : section;
  const resolved: ProtectConfig = tls
    ? {
        ...withGraphql,
        tls: {
          ...tls,
          ...(tls.cert ? { cert: resolveFromConfig(config, tls.cert) } : {}),
          ...(tls.key ? { key: resolveFromConfig(config, tls.key) } : {}),
          ...(tls.clientCa ? { clientCa: fromConfig(config, tls.clientCa) } : {}),
          ...(tls.crl ? { crl: fromConfig(config, tls.crl) } : {}),
          ...(tls.upstream?.ca
            ? { upstream: { ...tls.upstream, ca: resolveFromConfig(config, tls.upstream.ca) } }
            : {}),
        },
      }
    : withGraphql;
  const workers = workerCount(stringOption(ctx, 'workers'));
  const model = await loadSpec(spec, { cwd: ctx.cwd, signal: ctx.signal });
  if (workers > 1 && cluster.isPrimary) {
    // The primary checked spec and config above (fail fast, once); workers rerun this command.
    const primary = await startPrimary(workers, {
      host: section.admin?.host ?? '127.0.0.1',
      port: adminPort ?? section.admin?.port ?? 0,
    });
    ctx.stdout.write(`protect listening on ${primary.url}\n`);
    ctx.stdout.write(`protect admin on ${primary.adminUrl}\n`);
    await untilStopped(ctx.signal);
    await primary.close();
    return 0;
  }
  const worker = isClusterWorker();
  const { createLogger } = await import('../../protect/engine/observe.js');
  const logger = createLogger(undefined, stringOption(ctx, 'log-level') ?? 'info');
  const running = await startProtect({
    model,
    upstream,
    config: resolved,
    logger,
    ...(stringOption(ctx, 'host') ? { host: stringOption(ctx, 'host')! } : {}),
    ...(listenPort !== undefined ? { port: listenPort } : {}),
    ...(worker ? { adminPort: null } : adminPort !== undefined ? { adminPort } : {}),
  });
  if (worker) announceWorker(running.url, running.observer.registry);
  else {
    ctx.stdout.write(`protect listening on ${running.url}\n`);
    ctx.stdout.write(`protect admin on ${running.adminUrl}\n`);
  }
  await untilStopped(ctx.signal);
  // Graceful: stop accepting, let requests in flight finish (timeouts.shutdownMs), then exit.
  await running.close();
  if (worker) cluster.worker?.disconnect(); // the IPC channel would keep the worker alive
  logger.flush();
  return 0;
}

/** Resolves on SIGINT or SIGTERM (or when the caller aborts), then removes its listeners. */
function untilStopped(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      signal.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    signal.addEventListener('abort', stop, { once: true });
    if (signal.aborted) stop();
  });
}
