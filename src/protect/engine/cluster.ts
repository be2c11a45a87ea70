// `--workers N`: N gateway processes share the public port (node:cluster); the primary owns the admin
// listener and serves health and the metrics of every worker aggregated (prom-client's
// AggregatorRegistry over cluster IPC). SIGTERM to the primary drains every worker gracefully.
import cluster, { type Worker } from 'node:cluster';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { BulwarkError } from '../../core/errors.js';
import { adminHandler } from './server.js';

export interface ClusterPrimary {
  readonly url: string;
  readonly adminUrl: string;
  close(): Promise<void>;
}

interface ReadyMessage {
  readonly bulwarkReady: string;
}

function isReady(m: unknown): m is ReadyMessage {
  return typeof (m as ReadyMessage | undefined)?.bulwarkReady === 'string';
}

/** In the primary: forks the workers, waits until all listen, starts the aggregated admin port. */
export async function startPrimary(
  workers: number,
  admin: { readonly host: string; readonly port: number },
): Promise<ClusterPrimary> {
  const aggregator = new AggregatorRegistry();
  let draining = false;
  const forked: Worker[] = [];
  const urls = await Promise.all(
    Array.from({ length: workers }, () => {
      const worker = cluster.fork({ BULWARK_CLUSTER_WORKER: '1' });
      forked.push(worker);
      return new Promise<string>((resolve, reject) => {
        worker.on('message', (m: unknown) => {
          if (isReady(m)) resolve(m.bulwarkReady);
        });
        worker.once('exit', (code) => {
          if (!draining)
            reject(new BulwarkError('BULWARK_ERR_IO', `a gateway worker exited (${code})`));
        });
      });
    }),
  ).catch(async (err: unknown) => {
    for (const w of forked) w.process.kill('SIGKILL');
    throw err;
  });
  const server: Server = createServer((req, res) =>
    adminHandler(
      req,
      res,
      () => aggregator.clusterMetrics(),
      aggregator.contentType,
      () => draining,
    ),
  );
  await new Promise<void>((resolve) => server.listen(admin.port, admin.host, resolve));
  const a = server.address() as AddressInfo;
  return {
    url: urls[0] ?? '',
    adminUrl: `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`,
    async close() {
      draining = true;
      await Promise.all(
        forked.map(
          (w) =>
            new Promise<void>((resolve) => {
              if (w.isDead()) return resolve();
              w.once('exit', () => resolve());
              w.process.kill('SIGTERM');
            }),
        ),
      );
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function isClusterWorker(): boolean {
  return cluster.isWorker && process.env['BULWARK_CLUSTER_WORKER'] === '1';
}

/** In a worker: exposes its registry to the primary and reports its public URL. */
export function announceWorker(url: string, registry: Registry): void {
  // Constructing one installs prom-client's worker-side IPC listener; the static call alone does not.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  process.send?.({ bulwarkReady: url } satisfies ReadyMessage);
}
