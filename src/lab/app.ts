// startLab: the programmatic entry point (the CLI, and the gateway, scanner and demo tests use it).
// It opens and seeds a real SQLite file, starts the built-in classifier unless one is given,
// listens, and returns the URL with an idempotent close() that releases everything it started.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BulwarkError } from '../core/errors.js';
import { startClassifier, formatHost, type RunningClassifier } from './classifier.js';
import { LabStore } from './db/store.js';
import { createFlaws } from './flaws/index.js';
import { buildRouter } from './routes/index.js';
import { seed } from './seed.js';
import { createHandler } from './server.js';
import { loadLabSpec } from './spec.js';
import {
  DEFAULT_LIMITS,
  VARIANTS,
  type LabContext,
  type LabOptions,
  type Variant,
} from './types.js';

export interface RunningLab {
  readonly variant: Variant;
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly dbFile: string;
  readonly classifierUrl: string;
  /** Stops listening, closes connections, the classifier and the database; deletes a temp DB. */
  close(): Promise<void>;
}

export async function startLab(options: LabOptions): Promise<RunningLab> {
  checkOptions(options);
  const host = options.host ?? '127.0.0.1';
  const limits = Object.freeze({ ...DEFAULT_LIMITS, ...options.limits });
  const tempDir =
    options.dbFile === undefined ? mkdtempSync(join(tmpdir(), 'bulwark-lab-')) : undefined;
  const dbFile = options.dbFile ?? join(tempDir as string, 'lab.sqlite');
  const cleanups: Array<() => Promise<void> | void> = [];
  if (tempDir) cleanups.push(() => rmSync(tempDir, { recursive: true, force: true }));
  try {
    const store = new LabStore(dbFile);
    cleanups.unshift(() => store.close());
    const spec = loadLabSpec();
    const flaws = await createFlaws(options.variant, options, limits, spec);
    await seed(store, flaws.objects);
    let classifierUrl = options.classifierUrl;
    if (classifierUrl === undefined) {
      const builtIn: RunningClassifier = await startClassifier('127.0.0.1');
      cleanups.unshift(() => builtIn.close());
      classifierUrl = builtIn.url;
    }
    const ctx: LabContext = {
      variant: options.variant,
      options,
      limits,
      store,
      flaws,
      spec,
      classifierUrl,
      baseUrl: '',
    };
    const server = createServer(
      // Node's own header and request timeouts bound slow clients (slowloris) in both variants.
      { headersTimeout: 10_000, requestTimeout: 60_000, maxHeaderSize: 16 * 1024 },
      createHandler(ctx, buildRouter(flaws.inventory)),
    );
    await listen(server, options.port ?? 0, host);
    cleanups.unshift(() => closeServer(server));
    const port = (server.address() as AddressInfo).port;
    ctx.baseUrl = `http://${formatHost(host)}:${port}`;
    let closing: Promise<void> | undefined;
    return {
      variant: options.variant,
      url: ctx.baseUrl,
      host,
      port,
      dbFile,
      classifierUrl,
      close: () => (closing ??= runCleanups(cleanups)),
    };
  } catch (error) {
    await runCleanups(cleanups);
    throw error;
  }
}

function checkOptions(options: LabOptions): void {
  if (!VARIANTS.includes(options.variant)) {
    throw new BulwarkError(
      'BULWARK_ERR_USAGE',
      `unknown lab variant '${String(options.variant)}'`,
      {
        hint: `use ${VARIANTS.join(' or ')}`,
      },
    );
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new BulwarkError('BULWARK_ERR_USAGE', 'the port must be an integer from 0 to 65535');
  }
  if (options.classifierUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(options.classifierUrl);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new BulwarkError('BULWARK_ERR_USAGE', 'the classifier URL must be an http(s) URL');
    }
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (cause: NodeJS.ErrnoException) =>
      reject(
        new BulwarkError('BULWARK_ERR_LAB_LISTEN', `cannot listen on ${formatHost(host)}:${port}`, {
          cause,
          hint:
            cause.code === 'EADDRINUSE' ? 'the port is in use; try --port 0' : (cause.code ?? ''),
        }),
      );
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

async function runCleanups(cleanups: ReadonlyArray<() => Promise<void> | void>): Promise<void> {
  for (const cleanup of cleanups) {
    try {
      await cleanup();
    } catch {
      // Keep releasing the rest: a failed close must not leak the other resources.
    }
  }
}
