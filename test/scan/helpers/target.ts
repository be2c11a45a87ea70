// A purpose-built loopback API for scan check tests: the document API of helpers/spec.ts, where each
// flaw the scanner looks for can be switched on. Without flaws it behaves like a careful API, so a
// check's test runs it once with the flaw (must report) and once without (must stay silent).
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TARGET_SPEC } from './spec.js';

export type Flaw =
  | 'bola'
  | 'bola-query'
  | 'bola-body'
  | 'unchecked-ref'
  | 'throttle'
  | 'auth-missing'
  | 'alg-none'
  | 'weak-secret'
  | 'exp-unchecked'
  | 'login-no-limit'
  | 'login-enum'
  | 'sensitive'
  | 'undeclared'
  | 'mass-assignment'
  | 'no-rate-limit'
  | 'page-size'
  | 'body-size'
  | 'slow'
  | 'bfla'
  | 'method-swap'
  | 'flow'
  | 'ssrf'
  | 'consume'
  | 'cors'
  | 'no-headers'
  | 'stack'
  | 'banner'
  | 'trace'
  | 'v1'
  | 'debug'
  | 'spec'
  | 'deprecated'
  | 'fuzz500';

export interface Target {
  readonly url: string;
  readonly requests: number;
  close(): Promise<void>;
}

interface User {
  id: string;
  email: string;
  password: string;
  role: string;
  name: string;
}
interface Doc {
  id: string;
  owner_id: string;
  title: string;
  label: string | null;
}

export const USERS = [
  { email: 'alice@t.test', password: 'alice-pw' },
  { email: 'bob@t.test', password: 'bob-pw' },
  { email: 'admin@t.test', password: 'admin-pw' },
] as const;

const b64 = (v: string | Buffer): string => Buffer.from(v).toString('base64url');

export async function startTarget(
  flaws: readonly Flaw[] = [],
  options: { classifierUrl?: string } = {},
): Promise<Target> {
  const has = (flaw: Flaw): boolean => flaws.includes(flaw);
  const secret = has('weak-secret') ? 'secret' : randomBytes(32).toString('hex');
  const users: User[] = USERS.map((u, i) => ({
    id: randomUUID(),
    email: u.email,
    password: u.password,
    role: i === 2 ? 'admin' : 'user',
    name: u.email.split('@')[0] ?? '',
  }));
  const docs: Doc[] = [];
  for (const user of users.slice(0, 2)) {
    for (let i = 0; i < 2; i++)
      docs.push({ id: randomUUID(), owner_id: user.id, title: `${user.name} ${i}`, label: null });
  }
  const failures = new Map<string, number>();
  const perUser = new Map<string, number>();
  const invites = new Map<string, number>();
  let requests = 0;

  const sign = (user: User): string => {
    const now = Math.floor(Date.now() / 1000);
    const input = `${b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64(JSON.stringify({ sub: user.id, role: user.role, iat: now, exp: now + 600 }))}`;
    return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
  };
  const verify = (req: IncomingMessage): User | undefined => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [h, p, s] = token?.split('.') ?? [];
    if (h === undefined || p === undefined || s === undefined) return undefined;
    try {
      const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string };
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as {
        sub?: string;
        exp?: number;
      };
      if (String(header.alg).toLowerCase() === 'none') {
        if (!has('alg-none')) return undefined;
      } else if (createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url') !== s)
        return undefined;
      if (!has('exp-unchecked') && (payload.exp ?? 0) < Date.now() / 1000) return undefined;
      return users.find((u) => u.id === payload.sub);
    } catch {
      return undefined;
    }
  };

  const server: Server = createServer((req, res) => {
    requests++;
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: String(error) });
    });
  });

  const send = (
    res: ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ): void => {
    const h: Record<string, string> = { ...headers };
    if (!has('no-headers')) {
      h['x-content-type-options'] = 'nosniff';
      h['cache-control'] = 'no-store';
    }
    if (has('banner')) h['x-powered-by'] = 'Express 4.18.2';
    if (has('cors') && res.req.headers.origin) {
      h['access-control-allow-origin'] = res.req.headers.origin;
      h['access-control-allow-credentials'] = 'true';
    }
    if (body === undefined) {
      res.writeHead(status, h).end();
      return;
    }
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    h['content-type'] ??= status >= 400 ? 'application/problem+json' : 'application/json';
    res.writeHead(status, h).end(text);
  };
  const problem = (
    res: ServerResponse,
    status: number,
    title: string,
    headers: Record<string, string> = {},
  ): void => send(res, status, { type: 'about:blank', title, status }, headers);

  const readBody = async (req: IncomingMessage, res: ServerResponse): Promise<unknown> => {
    const cap = has('body-size') ? 64 * 1024 * 1024 : 64 * 1024;
    const chunks: Buffer[] = [];
    let size = 0;
    // Drain past the cap (bounded by the client's own size) so the connection stays usable.
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size <= cap) chunks.push(chunk as Buffer);
    }
    if (size > cap) {
      problem(res, 413, 'too large');
      return undefined;
    }
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') as unknown;
    } catch (error) {
      if (has('stack')) {
        send(
          res,
          500,
          `${String(error)}\n    at JSON.parse (<anonymous>)\n    at readBody (/srv/app/server.js:42:17)`,
          { 'content-type': 'text/plain' },
        );
      } else problem(res, 400, 'malformed JSON');
      return undefined;
    }
  };
  const show = (doc: Doc): object => (has('undeclared') ? { ...doc, internal_rev: 7 } : doc);
  const showUser = (u: User): object =>
    has('sensitive')
      ? {
          id: u.id,
          email: u.email,
          name: u.name,
          role: u.role,
          password_hash: `$2b$10$${'N'.repeat(53)}`,
          internal_notes: 'vip',
        }
      : { id: u.id, email: u.email, name: u.name, role: u.role };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://target');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (method === 'TRACE' || method === 'TRACK') {
      if (has('trace') && method === 'TRACE') {
        send(
          res,
          200,
          `${method} ${req.url} HTTP/1.1\r\n${Object.entries(req.headers)
            .map(([k, v]) => `${k}: ${String(v)}`)
            .join('\r\n')}`,
          { 'content-type': 'message/http' },
        );
      } else problem(res, 405, 'method not allowed');
      return;
    }
    if (method === 'OPTIONS') return send(res, 204);
    if (path === '/openapi.json')
      return has('spec') ? send(res, 200, TARGET_SPEC) : problem(res, 404, 'not found');
    if (path === '/api/v2/debug/config') {
      return has('debug')
        ? send(res, 200, { jwt_secret: secret, db: 'sqlite' })
        : problem(res, 404, 'not found');
    }
    const v1 = /^\/api\/v1\/docs\/([^/]+)$/.exec(path);
    if (v1) {
      if (!has('v1')) return problem(res, 410, 'gone', { sunset: 'Sat, 01 Jun 2024 00:00:00 GMT' });
      const doc = docs.find((d) => d.id === v1[1]);
      return doc ? send(res, 200, doc) : problem(res, 404, 'not found');
    }
    if (path === '/api/v2/login' && method === 'POST') return login(req, res);
    if (path === '/api/v2/legacy/report' && method === 'GET') {
      const user = verify(req);
      if (!user && !has('auth-missing')) return problem(res, 401, 'unauthorized');
      return send(
        res,
        200,
        { report: 'quarterly' },
        has('deprecated')
          ? {}
          : { sunset: 'Sat, 01 Jun 2030 00:00:00 GMT', deprecation: '@1700000000' },
      );
    }
    const user = verify(req);
    if (!user) return problem(res, 401, 'unauthorized');
    const count = (perUser.get(user.id) ?? 0) + 1;
    perUser.set(user.id, count);
    if (!has('no-rate-limit') && count > 60)
      return problem(res, 429, 'slow down', { 'retry-after': '60' });
    // A strict per-user limit with short waits: everything but `me` is throttled (scanner tests).
    if (has('throttle') && path !== '/api/v2/me')
      return problem(res, 429, 'slow down', { 'retry-after': '1' });
    return authed(req, res, url, method, user);
  }

  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = (await readBody(req, res)) as { email?: string; password?: string } | undefined;
    if (res.headersSent) return;
    const email = String(body?.email ?? '');
    const failed = failures.get(email) ?? 0;
    if (!has('login-no-limit') && failed >= 5)
      return problem(res, 429, 'too many attempts', { 'retry-after': '900' });
    const user = users.find((u) => u.email === email);
    if (user && user.password === body?.password)
      return send(res, 200, { access_token: sign(user), expires_in: 600 });
    failures.set(email, failed + 1);
    if (has('login-enum')) return problem(res, 401, user ? 'wrong password' : 'unknown email');
    return problem(res, 401, 'invalid credentials');
  }

  async function authed(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    method: string,
    user: User,
  ): Promise<void> {
    const path = url.pathname;
    if (path === '/api/v2/me') {
      if (method === 'GET') return send(res, 200, showUser(user));
      if (method === 'PATCH') {
        const body = (await readBody(req, res)) as Record<string, unknown> | undefined;
        if (res.headersSent) return;
        if (!has('mass-assignment') && Object.keys(body ?? {}).some((k) => k !== 'name'))
          return problem(res, 400, 'unknown field');
        if (typeof body?.['name'] === 'string') user.name = body['name'];
        if (has('mass-assignment') && typeof body?.['role'] === 'string') user.role = body['role'];
        return send(res, 200, showUser(user));
      }
    }
    if (path === '/api/v2/admin/users' && method === 'GET') {
      if (!has('bfla') && user.role !== 'admin') return problem(res, 403, 'forbidden');
      return send(
        res,
        200,
        users.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role })),
      );
    }
    if (path === '/api/v2/docs') {
      if (method === 'GET') {
        const raw = url.searchParams.get('limit');
        const limit = raw === null ? 20 : Number(raw);
        if (raw !== null && !Number.isInteger(limit)) {
          if (has('fuzz500')) throw new TypeError(`limit.toFixed is not a function`);
          return problem(res, 400, 'bad limit');
        }
        if (!has('page-size') && (limit < 1 || limit > 50))
          return problem(res, 400, 'limit out of range');
        const q = url.searchParams.get('q') ?? '';
        if (has('slow')) await new Promise((r) => setTimeout(r, q.length / 4));
        return send(res, 200, {
          items: docs
            .filter((d) => d.owner_id === user.id)
            .slice(0, limit)
            .map(show),
        });
      }
      if (method === 'POST') {
        const body = (await readBody(req, res)) as { title?: unknown } | undefined;
        if (res.headersSent) return;
        if (typeof body?.title !== 'string') return problem(res, 400, 'title required');
        const doc: Doc = {
          id: randomUUID(),
          owner_id: user.id,
          title: body.title.slice(0, 64),
          label: null,
        };
        docs.push(doc);
        return send(res, 201, show(doc), { location: `/api/v2/docs/${doc.id}` });
      }
    }
    if (path === '/api/v2/import' && method === 'POST') {
      const body = (await readBody(req, res)) as { url?: unknown } | undefined;
      if (res.headersSent) return;
      if (!has('ssrf')) return problem(res, 400, 'url refused');
      const text = await fetch(String(body?.url)).then(
        (r) => r.text(),
        () => 'unreachable',
      );
      const doc: Doc = {
        id: randomUUID(),
        owner_id: user.id,
        title: text.slice(0, 64),
        label: null,
      };
      docs.push(doc);
      return send(res, 201, show(doc));
    }
    if (path === '/api/v2/invites' && method === 'POST') {
      const body = await readBody(req, res);
      if (res.headersSent || body === undefined) return;
      const sent = (invites.get(user.id) ?? 0) + 1;
      invites.set(user.id, sent);
      if (!has('flow') && sent > 5) return problem(res, 429, 'quota', { 'retry-after': '86400' });
      return send(res, 202, { id: randomUUID() });
    }
    // Object ids in the body: a lookup that returns the document, a share that links to it.
    if ((path === '/api/v2/docs/lookup' || path === '/api/v2/shares') && method === 'POST') {
      const body = (await readBody(req, res)) as { docId?: unknown } | undefined;
      if (res.headersSent) return;
      if (typeof body?.docId !== 'string') return problem(res, 400, 'docId required');
      const doc = docs.find(
        (d) => d.id === body.docId && (has('bola-body') || d.owner_id === user.id),
      );
      // `unchecked-ref`: shares record any id without looking it up (a dangling share, no access).
      if (path === '/api/v2/shares' && has('unchecked-ref')) {
        const id = randomUUID();
        return send(res, 201, { id, docId: body.docId, url: `/s/${id}` });
      }
      if (!doc) return problem(res, 404, 'not found');
      if (path === '/api/v2/docs/lookup') return send(res, 200, show(doc));
      const id = randomUUID();
      return send(res, 201, { id, docId: doc.id, url: `/s/${id}` });
    }
    if (path === '/api/v2/export' && method === 'GET') {
      const id = url.searchParams.get('docId');
      const doc = docs.find((d) => d.id === id && (has('bola-query') || d.owner_id === user.id));
      return doc ? send(res, 200, show(doc)) : problem(res, 404, 'not found');
    }
    const classify = /^\/api\/v2\/docs\/([^/]+)\/classify$/.exec(path);
    if (classify && method === 'POST') {
      const doc = docs.find((d) => d.id === classify[1] && d.owner_id === user.id);
      if (!doc) return problem(res, 404, 'not found');
      const label = await classifyText(doc.title);
      if (label === undefined) return problem(res, 502, 'classifier failed');
      doc.label = label;
      return send(res, 200, show(doc));
    }
    const item = /^\/api\/v2\/docs\/([^/]+)$/.exec(path);
    if (item) {
      const doc = docs.find((d) => d.id === item[1] && (has('bola') || d.owner_id === user.id));
      if (!doc) return problem(res, 404, 'not found');
      if (method === 'GET') return send(res, 200, show(doc));
      if (method === 'PUT' || (method === 'PATCH' && has('method-swap'))) {
        const body = (await readBody(req, res)) as { title?: unknown } | undefined;
        if (res.headersSent) return;
        if (typeof body?.title === 'string') doc.title = body.title.slice(0, 64);
        return send(res, 200, show(doc));
      }
      if (method === 'DELETE') {
        docs.splice(docs.indexOf(doc), 1);
        return send(res, 204);
      }
      return problem(res, 405, 'method not allowed', { allow: 'GET, PUT, DELETE' });
    }
    return problem(res, 404, 'not found');
  }

  async function classifyText(text: string): Promise<string | undefined> {
    const url = options.classifierUrl;
    if (!url) return 'public';
    const careful = !has('consume');
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
        redirect: careful ? 'manual' : 'follow',
        ...(careful ? { signal: AbortSignal.timeout(1_000) } : {}),
      });
      if (careful && response.status !== 200) return undefined;
      const raw = await response.text();
      if (careful && raw.length > 64 * 1024) return undefined;
      const reply = JSON.parse(raw) as { label?: unknown; score?: unknown };
      if (
        careful &&
        (!['public', 'internal', 'confidential'].includes(String(reply.label)) ||
          typeof reply.score !== 'number' ||
          reply.score < 0 ||
          reply.score > 1)
      ) {
        return undefined;
      }
      return String(reply.label);
    } catch {
      return undefined;
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The scan config for the target: three identities logging in through `login`. */
export function targetConfig(extra: Record<string, unknown> = {}) {
  const identity = (email: string, password: string, role: string) => ({
    role,
    auth: {
      login: {
        operation: 'login',
        body: { email, password },
        tokenPath: '$.access_token',
        expiresInPath: '$.expires_in',
      },
    },
  });
  return {
    identities: {
      alice: identity('alice@t.test', 'alice-pw', 'user'),
      bob: identity('bob@t.test', 'bob-pw', 'user'),
      admin: identity('admin@t.test', 'admin-pw', 'admin'),
    },
    rate: { requestsPerSecond: 500, concurrency: 8 },
    timeoutMs: 5000,
    probes: { burst: 80, flowRepeats: 8, loginAttempts: 8, oversizedBodyBytes: 128 * 1024 },
    ...extra,
  };
}
