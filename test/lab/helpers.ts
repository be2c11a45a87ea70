// Test helpers for the lab: start a lab per test (closed by the test), a raw HTTP client over
// loopback (node:http, so any method, header or malformed body can be sent), and hostile servers.
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { startLab, type LabOptions, type RunningLab } from '../../src/lab/index.js';

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  readonly json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface RequestOptions {
  readonly token?: string;
  readonly body?: unknown;
  /** Sent as is (Buffer or string), instead of JSON.stringify(body). */
  readonly raw?: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
  /** Send the body with Transfer-Encoding: chunked (no Content-Length). */
  readonly chunked?: boolean;
}

export function send(
  base: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<Reply> {
  const payload =
    options.raw !== undefined
      ? options.raw
      : options.body === undefined
        ? undefined
        : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...options.headers,
  };
  if (payload !== undefined && !options.chunked) {
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(
      `${base}${path}`,
      { method, headers, agent: false },
      (res: IncomingMessage) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.setTimeout(20_000, () => req.destroy(new Error('test request timed out')));
    // A server that refuses a large body answers early and closes; writing the rest of the body
    // may then fail (EPIPE), which does not matter once the answer has arrived.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.end(payload);
  });
}

export class LabClient {
  constructor(readonly lab: RunningLab) {}

  get url(): string {
    return this.lab.url;
  }

  request(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    return send(this.lab.url, method, path, options);
  }

  async login(email: string, password: string): Promise<string> {
    const reply = await this.request('POST', '/api/v2/auth/login', { body: { email, password } });
    if (reply.status !== 200)
      throw new Error(`login of ${email} failed: ${reply.status} ${reply.text}`);
    return reply.json.access_token as string;
  }

  alice(): Promise<string> {
    return this.login('alice@lab.test', 'alice-password-1');
  }

  bob(): Promise<string> {
    return this.login('bob@lab.test', 'bob-password-1');
  }

  admin(): Promise<string> {
    return this.login('admin@lab.test', 'admin-password-1');
  }

  /** The caller's own documents (first page of up to 100). */
  async documents(token: string): Promise<Array<Record<string, unknown>>> {
    const reply = await this.request('GET', '/api/v2/documents?limit=100', { token });
    if (reply.status !== 200) throw new Error(`list failed: ${reply.status}`);
    return reply.json.items;
  }
}

/** Starts a lab for the duration of the test `t`. */
export async function labFor(t: TestContext, options: LabOptions): Promise<LabClient> {
  const lab = await startLab(options);
  t.after(() => lab.close());
  return new LabClient(lab);
}

export type HostileHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface Hostile {
  readonly url: string;
  /** Every request the server received, in order. */
  readonly hits: Array<{ method: string; url: string; body: string }>;
  /** The Host header of every request, in order. */
  readonly hosts: string[];
}

/** A loopback server under the test's control (a hostile upstream or SSRF target). */
export async function hostileFor(t: TestContext, handler: HostileHandler): Promise<Hostile> {
  const hits: Hostile['hits'] = [];
  const hosts: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      hits.push({ method: req.method ?? '', url: req.url ?? '', body });
      hosts.push(req.headers.host ?? '');
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, hits, hosts };
}

/** Limits that never get in the way of tests that are not about limits. */
export const GENEROUS = { rateBurst: 100_000, ratePerSecond: 100_000 } as const;

export function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Reads the lab's SQLite file directly (a second, read-only connection) to count queued emails. */
export function outboxCount(dbFile: string): number {
  const db = new Database(dbFile, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
  } finally {
    db.close();
  }
}
