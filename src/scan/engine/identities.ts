// Credentials for each configured identity. Each gets them one way: a static header, a login
// operation, or OAuth2 client credentials (RFC 6749 §4.4). Tokens are refreshed before they expire
// and on a 401. Any identity that cannot authenticate stops the scan at the start: a scan that
// silently ran unauthenticated would report a clean result it never tested.
import { BulwarkError } from '../../core/errors.js';
import type { ApiModel, Operation } from '../../core/openapi/model.js';
import type { IdentitySettings } from '../settings.js';
import type { HttpClient, IdentityInfo, IdentitySet, LoginInfo } from '../types.js';
import { decodeJwt } from './jwt.js';
import { jsonPointer } from './objects.js';

/** Refresh this long before expiry, so a request never leaves with a token about to die. */
const REFRESH_MARGIN_MS = 15_000;
/** At most one forced refresh per identity per window: a 401 storm must not become a login storm. */
const FORCED_REFRESH_WINDOW_MS = 5_000;

interface Credential {
  headers: Record<string, string>;
  token: string | undefined;
  expiresAt: number | undefined;
  obtainedAt: number;
}

export class Identities implements IdentitySet {
  readonly all: IdentityInfo[];
  private readonly credentials = new Map<string, Credential>();
  private readonly pending = new Map<string, Promise<Credential>>();

  constructor(
    private readonly settings: readonly IdentitySettings[],
    private readonly model: ApiModel,
    private readonly http: HttpClient,
  ) {
    this.all = settings.map((s) => {
      const info: IdentityInfo = {
        name: s.name,
        role: s.role,
        admin: s.admin,
        ...(s.auth.kind === 'login' ? { loginBody: s.auth.body } : {}),
        token: async () => (await this.credential(s.name, false)).token,
      };
      return info;
    });
  }

  get(name: string): IdentityInfo | undefined {
    return this.all.find((i) => i.name === name);
  }

  get login(): LoginInfo | undefined {
    const s = this.settings.find((x) => x.auth.kind === 'login');
    if (!s || s.auth.kind !== 'login') return undefined;
    const { method, path, operation } = this.resolveOperation(s.auth.operation, s.name);
    return { operation, method, path, body: s.auth.body, identity: s.name };
  }

  peers(): readonly [IdentityInfo, IdentityInfo] | undefined {
    const users = this.all.filter((i) => !i.admin);
    for (const a of users) {
      const b = users.find((x) => x !== a && x.role === a.role);
      if (b) return [a, b];
    }
    return undefined;
  }

  lowAndAdmin(): { low: IdentityInfo; admin: IdentityInfo | undefined } | undefined {
    const low = this.all.find((i) => !i.admin);
    if (!low) return undefined;
    return { low, admin: this.all.find((i) => i.admin) };
  }

  /** Authenticates every identity now; throws BULWARK_ERR_SCAN_IDENTITY on the first failure. */
  async authenticateAll(): Promise<void> {
    for (const identity of this.all) {
      const credential = await this.credential(identity.name, true);
      const sub = credential.token ? decodeJwt(credential.token)?.payload['sub'] : undefined;
      if (typeof sub === 'string' || typeof sub === 'number') identity.userId = sub;
    }
  }

  async headers(name: string, refresh = false): Promise<Record<string, string>> {
    return (await this.credential(name, refresh)).headers;
  }

  private async credential(name: string, refresh: boolean): Promise<Credential> {
    const current = this.credentials.get(name);
    const now = Date.now();
    const fresh =
      current !== undefined &&
      (current.expiresAt === undefined || current.expiresAt - REFRESH_MARGIN_MS > now);
    const mayForce = current === undefined || now - current.obtainedAt > FORCED_REFRESH_WINDOW_MS;
    if (current && fresh && !(refresh && mayForce)) return current;
    const inFlight = this.pending.get(name);
    if (inFlight) return inFlight;
    const promise = this.obtain(name).finally(() => this.pending.delete(name));
    this.pending.set(name, promise);
    const credential = await promise;
    this.credentials.set(name, credential);
    return credential;
  }

  private async obtain(name: string): Promise<Credential> {
    const settings = this.settings.find((s) => s.name === name);
    if (!settings)
      throw new BulwarkError('BULWARK_ERR_SCAN_IDENTITY', `unknown identity '${name}'`);
    const auth = settings.auth;
    const obtainedAt = Date.now();
    if (auth.kind === 'header') {
      return {
        headers: { [auth.name.toLowerCase()]: auth.value },
        token: undefined,
        expiresAt: undefined,
        obtainedAt,
      };
    }
    if (auth.kind === 'login') {
      const { method, path } = this.resolveOperation(auth.operation, name);
      const response = await this.http
        .send({ method, path, json: auth.body, identity: null })
        .catch((error: unknown) => {
          throw fail(name, 'the login request failed', error);
        });
      if (response.status < 200 || response.status >= 300) {
        throw fail(name, `the login answered ${response.status}`);
      }
      const token = lookup(response.json, auth.tokenPath);
      if (typeof token !== 'string' || token === '') {
        throw fail(name, `the login answer has no token at '${auth.tokenPath}'`);
      }
      const expiresIn = auth.expiresInPath ? lookup(response.json, auth.expiresInPath) : undefined;
      return {
        headers: { [auth.header.toLowerCase()]: auth.scheme ? `${auth.scheme} ${token}` : token },
        token,
        expiresAt: expiry(token, expiresIn, obtainedAt),
        obtainedAt,
      };
    }
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (auth.scopes.length > 0) form.set('scope', auth.scopes.join(' '));
    if (auth.audience) form.set('audience', auth.audience);
    // client_secret_basic (RFC 6749 §2.3.1): form-encode, then Base64 the pair.
    const basic = Buffer.from(
      `${encodeURIComponent(auth.clientId)}:${encodeURIComponent(auth.clientSecret)}`,
    ).toString('base64');
    const response = await this.http
      .send({
        method: 'POST',
        url: auth.tokenUrl,
        body: form.toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${basic}`,
        },
        identity: null,
      })
      .catch((error: unknown) => {
        throw fail(name, 'the OAuth2 token request failed', error);
      });
    const body = response.json as Record<string, unknown> | undefined;
    const token = body?.['access_token'];
    if (response.status !== 200 || typeof token !== 'string') {
      throw fail(
        name,
        `the OAuth2 token endpoint answered ${response.status} without an access_token`,
      );
    }
    return {
      headers: { authorization: `Bearer ${token}` },
      token,
      expiresAt: expiry(token, body?.['expires_in'], obtainedAt),
      obtainedAt,
    };
  }

  private resolveOperation(
    reference: string,
    identity: string,
  ): { method: string; path: string; operation: Operation | undefined } {
    const byId = this.model.operations.find((op) => op.operationId === reference);
    const byKey = this.model.operations.find(
      (op) => op.key.toUpperCase() === reference.toUpperCase(),
    );
    const operation = byId ?? byKey;
    if (operation)
      return { method: operation.method.toUpperCase(), path: operation.path, operation };
    const match = /^([A-Za-z]+)\s+(\/\S*)$/.exec(reference.trim());
    if (!match?.[1] || !match[2]) {
      throw fail(
        identity,
        `login operation '${reference}' is neither an operationId nor 'METHOD /path'`,
      );
    }
    return { method: match[1].toUpperCase(), path: match[2], operation: undefined };
  }
}

function fail(identity: string, why: string, cause?: unknown): BulwarkError {
  return new BulwarkError('BULWARK_ERR_SCAN_IDENTITY', `identity '${identity}': ${why}`, {
    ...(cause === undefined ? {} : { cause }),
    hint: 'check scan.identities in the config; the scan stops rather than run unauthenticated',
  });
}

/** `$.a.b`, `a.b` or a JSON pointer `/a/b`. */
export function lookup(value: unknown, path: string): unknown {
  if (path.startsWith('/')) return jsonPointer(value, path);
  const pointer = path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)
    .join('/');
  return jsonPointer(value, pointer === '' ? '' : `/${pointer}`);
}

function expiry(token: string, expiresIn: unknown, obtainedAt: number): number | undefined {
  if (typeof expiresIn === 'number' && expiresIn > 0) return obtainedAt + expiresIn * 1000;
  const exp = decodeJwt(token)?.payload['exp'];
  return typeof exp === 'number' ? exp * 1000 : undefined;
}
