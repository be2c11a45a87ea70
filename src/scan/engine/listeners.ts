// The scanner's own loopback servers. The callback listener proves SSRF (API7): the target fetching
// one of its unguessable URLs is proof no response-diffing can give. The hostile upstream plays a
// rogue third party (API10): it answers a consumer with what a compromised service would send.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BulwarkError } from '../../core/errors.js';
import type { CallbackListener, HostileMode, HostileUpstream } from '../types.js';

/** Fields a consumer is likely to store; the hostile answer fills them with the marker. */
export const HOSTILE_FIELDS = [
  'label',
  'status',
  'result',
  'value',
  'name',
  'title',
  'text',
  'data',
  'message',
  'type',
  'category',
  'classification',
  'description',
  'url',
];
const OVERSIZED_BYTES = 3 * 1024 * 1024;

async function listen(server: Server, port: number, what: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new BulwarkError('BULWARK_ERR_SCAN_LISTENER', `the ${what} could not listen on loopback`, {
          cause: error,
        }),
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export class LoopbackCallbacks implements CallbackListener {
  private readonly server: Server;
  private readonly counts = new Map<string, number>();
  private readonly waiters = new Map<string, (() => void)[]>();
  port = 0;

  constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<void> {
    this.port = await listen(this.server, 0, 'callback listener');
  }

  stop(): Promise<void> {
    return close(this.server);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const match = /^\/(cb|redirect)\/([A-Za-z0-9_-]+)/.exec(req.url ?? '');
    if (!match?.[2]) {
      res.writeHead(404).end();
      return;
    }
    const token = match[2];
    if (match[1] === 'redirect') {
      // A redirect to a second internal URL: a fetch of the target proves redirects are followed.
      res
        .writeHead(302, { location: `http://127.0.0.1:${this.port}/cb/${token}-via-redirect` })
        .end();
      return;
    }
    this.counts.set(token, (this.counts.get(token) ?? 0) + 1);
    for (const wake of this.waiters.get(token) ?? []) wake();
    this.waiters.delete(token);
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`bulwark-callback ${token}\n`);
  }

  mint(label: string): { token: string; url: string; port: number } {
    const token = `${label.replace(/[^A-Za-z0-9]/g, '').slice(0, 16)}${randomBytes(8).toString('hex')}`;
    return { token, url: `http://127.0.0.1:${this.port}/cb/${token}`, port: this.port };
  }

  redirectUrl(token: string): string {
    return `http://127.0.0.1:${this.port}/redirect/${token}`;
  }

  hits(token: string): number {
    return this.counts.get(token) ?? 0;
  }

  waitFor(token: string, ms: number): Promise<boolean> {
    if (this.hits(token) > 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.hits(token) > 0), ms);
      const list = this.waiters.get(token) ?? [];
      list.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
      this.waiters.set(token, list);
    });
  }
}

export class HostileServer implements HostileUpstream {
  private readonly server: Server;
  private mode: HostileMode = 'benign';
  private marker = 'bulwark';
  private readonly counts = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  port = 0;

  constructor(private readonly slowMs: number) {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  async start(port: number): Promise<void> {
    this.port = await listen(this.server, port, 'hostile upstream');
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    await close(this.server);
  }

  setMode(mode: HostileMode, marker: string): void {
    this.mode = mode;
    this.marker = marker;
  }

  urlFor(mode: HostileMode, marker: string): string {
    return `http://127.0.0.1:${this.port}/h/${mode}/${marker}`;
  }

  hits(marker: string): number {
    return this.counts.get(marker) ?? 0;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const match = /^\/h\/([a-z]+)\/([A-Za-z0-9_-]+)/.exec(req.url ?? '');
    const mode = (match?.[1] as HostileMode | undefined) ?? this.mode;
    const marker = match?.[2] ?? this.marker;
    this.counts.set(marker, (this.counts.get(marker) ?? 0) + 1);
    res.on('error', () => undefined);
    switch (mode) {
      case 'benign':
        return json(res, { label: 'public', score: 0.5, status: 'ok' });
      case 'schema':
        return json(res, hostileBody(marker));
      case 'oversized':
        return json(res, { ...hostileBody(marker), padding: 'x'.repeat(OVERSIZED_BYTES) });
      case 'redirect':
        res.writeHead(302, { location: this.urlFor('schema', `${marker}-redirected`) }).end();
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (!res.destroyed) json(res, hostileBody(marker));
        }, this.slowMs);
        this.timers.add(timer);
        return;
      }
    }
  }
}

/** Every likely field holds the marker, numbers are out of any sane range, types are confused. */
function hostileBody(marker: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of HOSTILE_FIELDS) body[field] = marker;
  body['score'] = 1e308;
  body['id'] = marker;
  body['items'] = [{ id: marker, value: marker }];
  return body;
}

function json(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
