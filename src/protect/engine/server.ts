// The gateway process: public listener (HTTP or HTTPS), admin listener (/healthz, /readyz,
// /metrics), parser-level refusals as problem+json, and graceful shutdown that lets requests in
// flight finish (bounded by timeouts.shutdownMs) before the upstream pool closes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { BulwarkError } from '../../core/errors.js';
import type { ApiModel } from '../../core/openapi/model.js';
import { createGateway, type Gateway } from './gateway.js';
import { createProxyHandler } from './handler.js';
import { createLogger, Observer } from './observe.js';
import type { ProtectPolicy } from './policy.js';
import { problemBody, type ProblemCode, PROBLEMS } from './problem.js';
import { Forwarder } from './proxy.js';
import { reloadTlsFiles, tlsListenerOptions } from './tls-listener.js';
import type { StageDefinition } from './types.js';

export interface StartOptions {
  readonly model: ApiModel;
  readonly policy: ProtectPolicy;
  readonly stages: readonly StageDefinition[];
  readonly upstream: string;
  readonly host?: string;
  readonly port?: number;
  /** Admin listener port; undefined: an ephemeral port; null: no admin listener (cluster workers). */
  readonly adminPort?: number | null;
  readonly logger?: Logger;
  readonly connections?: number;
}

export interface RunningProtect {
  readonly url: string;
  readonly adminUrl: string;
  readonly gateway: Gateway;
  readonly observer: Observer;
  /** Stops accepting, lets requests in flight finish, then closes everything. */
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function urlOf(scheme: string, a: AddressInfo): string {
  const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return `${scheme}://${host}:${a.port}`;
}

/** Parser errors (smuggling forms Node refuses itself, oversized headers) answered as problem+json. */
function onClientError(err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable || (socket as Socket & { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  const code: ProblemCode =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? 'BULWARK_DENY_HEADERS_TOO_LARGE'
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'BULWARK_DENY_TIMEOUT'
        : err.code === 'HPE_INVALID_TRANSFER_ENCODING' ||
            err.code === 'HPE_UNEXPECTED_CONTENT_LENGTH' ||
            err.code === 'HPE_INVALID_CONTENT_LENGTH'
          ? 'BULWARK_DENY_FRAMING'
          : 'BULWARK_DENY_TARGET_INVALID';
  const { status, title } = PROBLEMS[code];
  const body = problemBody({ status, code }, 'none');
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\ncontent-type: application/problem+json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n` +
      `x-content-type-options: nosniff\r\n\r\n${body}`,
  );
}

export async function startProtect(options: StartOptions): Promise<RunningProtect> {
  const { policy } = options;
  const observer = new Observer(options.logger ?? createLogger());
  const gateway = createGateway(options.model, policy, options.stages, {
    logger: observer.logger,
    metrics: observer.registry,
  });
  const forwarder = new Forwarder(options.upstream, policy, options.connections);
  let draining = false;
  const secure = policy.tls.cert !== undefined;
  const handler = createProxyHandler({
    gateway,
    forwarder,
    observer,
    secure,
    isDraining: () => draining,
  });
  const serverOptions = {
    maxHeaderSize: policy.limits.headerBytes,
    headersTimeout: policy.timeouts.headersMs,
    // Node refuses a request timeout shorter than the headers timeout.
    requestTimeout: Math.max(policy.timeouts.bodyMs, policy.timeouts.headersMs),
    keepAliveTimeout: 5_000,
  };
  let server: Server;
  let stopReload = (): void => undefined;
  try {
    if (secure) {
      const https = createHttpsServer(
        { ...serverOptions, ...tlsListenerOptions(policy.tls) },
        handler,
      );
      stopReload = reloadTlsFiles(https, policy.tls, observer.logger);
      server = https;
    } else server = createServer(serverOptions, handler);
  } catch (cause) {
    await forwarder.close();
    await gateway.close();
    if (cause instanceof BulwarkError) throw cause;
    throw new BulwarkError(
      'BULWARK_ERR_IO',
      `the TLS certificate, key, client CA or CRL could not be loaded: ${(cause as Error).message}`,
      { cause },
    );
  }
  server.on('clientError', onClientError);
  // TLS 1.2 renegotiation is refused: client-initiated it is a CPU DoS (CVE-2011-1473), and it could
  // swap the client certificate under a connection whose handshake verdict the authn stage already
  // read. HTTP/1.1 clients never need it; TLS 1.3 has none.
  if (secure) server.on('secureConnection', (socket: TLSSocket) => socket.disableRenegotiation());
  const admin =
    options.adminPort === null
      ? undefined
      : createServer((req, res) =>
          adminHandler(
            req,
            res,
            () => observer.registry.metrics(),
            observer.registry.contentType,
            () => draining,
          ),
        );
  const host = options.host ?? policy.listen.host;
  let address: AddressInfo;
  let adminAddress: AddressInfo | undefined;
  try {
    address = await listen(server, options.port ?? policy.listen.port ?? 8080, host);
    adminAddress = admin
      ? await listen(admin, options.adminPort ?? policy.admin.port ?? 0, policy.admin.host)
      : undefined;
  } catch (cause) {
    stopReload();
    server.close();
    admin?.close();
    await forwarder.close();
    await gateway.close();
    throw new BulwarkError('BULWARK_ERR_IO', `cannot listen: ${(cause as Error).message}`, {
      cause,
    });
  }
  const close = async (): Promise<void> => {
    if (draining) return;
    draining = true;
    stopReload();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), policy.timeouts.shutdownMs);
    await closed;
    clearTimeout(timer);
    await forwarder.close();
    await gateway.close();
    if (admin) {
      await new Promise<void>((resolve) => admin.close(() => resolve()));
      admin.closeAllConnections();
    }
    observer.logger.flush?.();
  };
  return {
    url: urlOf(secure ? 'https' : 'http', address),
    adminUrl: adminAddress ? urlOf('http', adminAddress) : '',
    gateway,
    observer,
    close,
  };
}

/** The admin listener's routes; `metrics` is the worker's registry, or the cluster aggregate. */
export function adminHandler(
  req: IncomingMessage,
  res: ServerResponse,
  metrics: () => Promise<string>,
  contentType: string,
  draining: () => boolean,
): void {
  const path = (req.url ?? '/').split('?')[0];
  const json = (status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return json(405, { status: 'method not allowed' });
  if (path === '/healthz') return json(200, { status: 'ok' });
  if (path === '/readyz') {
    return draining() ? json(503, { status: 'draining' }) : json(200, { status: 'ready' });
  }
  if (path === '/metrics') {
    metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': contentType });
        res.end(text);
      },
      () => json(500, { status: 'metrics failed' }),
    );
    return;
  }
  json(404, { status: 'not found' });
}
