// Shared fixtures for gateway tests: inline specs, loopback upstreams that record what reached them,
// a gateway wired to both, and raw-socket requests for framing attacks.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { TestContext } from 'node:test';
import type { ProtectConfig } from '../../src/core/config/sections/protect.js';
import { parseSpecText } from '../../src/core/openapi/load.js';
import type { ApiModel } from '../../src/core/openapi/model.js';
import { createLogger } from '../../src/protect/engine/observe.js';
import { startProtect, type RunningProtect } from '../../src/protect/index.js';

export function openapi(
  paths: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): ApiModel {
  const doc = { openapi: '3.0.3', info: { title: 't', version: '1' }, paths, ...extra };
  return parseSpecText(JSON.stringify(doc), 'inline.json');
}

export interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly rawHeaders: string[];
  readonly body: string;
}

export interface Upstream {
  readonly url: string;
  readonly seen: Seen[];
  readonly server: Server;
}

export type UpstreamHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export const echo: UpstreamHandler = (req, res, body) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ method: req.method, url: req.url, body }));
};

export async function startUpstream(
  t: TestContext,
  handler: UpstreamHandler = echo,
): Promise<Upstream> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body,
      });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

export class LogSink extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) if (line) this.lines.push(line);
    done();
  }
  records(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

export interface Harness {
  readonly url: string;
  readonly upstream: Upstream;
  readonly gateway: RunningProtect;
  readonly logs: LogSink;
}

export async function startHarness(
  t: TestContext,
  model: ApiModel,
  config: ProtectConfig = {},
  handler: UpstreamHandler = echo,
): Promise<Harness> {
  const upstream = await startUpstream(t, handler);
  const logs = new LogSink();
  const gateway = await startProtect({
    model,
    upstream: upstream.url,
    port: 0,
    config,
    logger: createLogger(logs),
  });
  t.after(() => gateway.close());
  return { url: gateway.url, upstream, gateway, logs };
}

export interface RawResponse {
  readonly status: number;
  readonly head: string;
  readonly body: string;
}

/** Sends bytes as written on a fresh socket and reads until the server closes or `ms` pass. */
export function rawRequest(url: string, bytes: string, ms = 3000): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let data = '';
    const timer = setTimeout(() => socket.destroy(), ms);
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      data += d;
      // One complete response is enough: stop at its end when it declares a length.
      const end = data.indexOf('\r\n\r\n');
      const len = /content-length: (\d+)/i.exec(data.slice(0, end));
      if (end !== -1 && len && data.length >= end + 4 + Number(len[1])) socket.destroy();
    });
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      const end = data.indexOf('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      resolve({ status, head: data.slice(0, end), body: end === -1 ? '' : data.slice(end + 4) });
    });
    socket.write(bytes, 'latin1');
  });
}

export async function json(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}
