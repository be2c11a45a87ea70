// Resolves the scanner's settings from the config file's `scan` section, the command line and the
// spec: defaults applied, the target checked, the API base path taken from the spec's servers.
import type { ScanConfig, ScanIdentity } from '../core/config/sections/scan.js';
import { BulwarkError } from '../core/errors.js';
import type { ApiModel } from '../core/openapi/model.js';
import { SCAN_DEFAULTS, type IdentitySettings, type ScanSettings } from './settings.js';

export interface ScanFlags {
  readonly target?: string;
  readonly intrusive?: boolean;
}

export function parseTarget(raw: string | undefined): URL {
  if (raw === undefined || raw === '') {
    throw new BulwarkError(
      'BULWARK_ERR_SCAN_TARGET',
      'no target: give --target URL or scan.target',
      {
        hint: 'e.g. --target http://127.0.0.1:8081',
      },
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new BulwarkError('BULWARK_ERR_SCAN_TARGET', 'the target is not an absolute URL', {
      cause: error,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BulwarkError(
      'BULWARK_ERR_SCAN_TARGET',
      `the target must be http or https, not ${url.protocol}`,
    );
  }
  if (url.username || url.password) {
    throw new BulwarkError('BULWARK_ERR_SCAN_TARGET', 'the target URL must not carry credentials', {
      hint: 'configure credentials under scan.identities',
    });
  }
  return url;
}

/** The API base: the target plus the path of the spec's first server (`/api/v2`), once. */
export function apiBase(target: URL, model: ApiModel): URL {
  const server = model.servers[0];
  let serverPath = '';
  if (server) {
    let raw = server.url;
    for (const [name, variable] of Object.entries(server.variables ?? {})) {
      raw = raw.replaceAll(`{${name}}`, variable.default);
    }
    try {
      serverPath = new URL(raw, 'http://placeholder.invalid').pathname.replace(/\/+$/, '');
    } catch {
      serverPath = '';
    }
  }
  const targetPath = target.pathname.replace(/\/+$/, '');
  const path = targetPath.endsWith(serverPath) ? targetPath : `${targetPath}${serverPath}`;
  return new URL(`${target.origin}${path}/`);
}

export function resolveSettings(
  config: ScanConfig | undefined,
  flags: ScanFlags,
  model: ApiModel,
): ScanSettings {
  const c = config ?? {};
  const target = parseTarget(flags.target ?? c.target);
  const flowOps = Object.values(c.flows ?? {}).flatMap((flow) => flow.operations);
  return {
    target,
    base: apiBase(target, model),
    scopeHosts: [...new Set([target.host, ...(c.scope?.hosts ?? [])])],
    intrusive: flags.intrusive ?? false,
    requestsPerSecond: c.rate?.requestsPerSecond ?? SCAN_DEFAULTS.requestsPerSecond,
    concurrency: c.rate?.concurrency ?? SCAN_DEFAULTS.concurrency,
    timeoutMs: c.timeoutMs ?? SCAN_DEFAULTS.timeoutMs,
    throttleWaitBudgetMs: SCAN_DEFAULTS.throttleWaitBudgetMs,
    maxResponseBytes: SCAN_DEFAULTS.maxResponseBytes,
    identities: Object.entries(c.identities ?? {}).map(([name, identity]) =>
      toIdentity(name, identity),
    ),
    adminOperations: c.admin?.operations ?? [],
    adminPaths: c.admin?.paths ?? [],
    adminTags: c.admin?.tags ?? [],
    sensitiveFlows: flowOps,
    flowRepeats: c.probes?.flowRepeats ?? SCAN_DEFAULTS.flowRepeats,
    burst: c.probes?.burst ?? SCAN_DEFAULTS.burst,
    loginAttempts: c.probes?.loginAttempts ?? SCAN_DEFAULTS.loginAttempts,
    oversizedBodyBytes: c.probes?.oversizedBodyBytes ?? SCAN_DEFAULTS.oversizedBodyBytes,
    consumers: (c.consumers ?? []).map((x) => ({
      operation: x.operation,
      ...(x.field === undefined ? {} : { field: x.field }),
    })),
    hostilePort: c.hostileUpstream?.port ?? SCAN_DEFAULTS.hostilePort,
    hostileSlowMs: c.hostileUpstream?.slowMs ?? SCAN_DEFAULTS.hostileSlowMs,
    include: c.checks?.include ?? [],
    exclude: c.checks?.exclude ?? [],
    publicSpecPaths: c.inventory?.publicSpecPaths ?? [],
  };
}

function toIdentity(name: string, identity: ScanIdentity): IdentitySettings {
  const admin = identity.admin ?? /admin/i.test(identity.role);
  const auth = identity.auth;
  if ('header' in auth) {
    return { name, role: identity.role, admin, auth: { kind: 'header', ...auth.header } };
  }
  if ('login' in auth) {
    const login = auth.login;
    return {
      name,
      role: identity.role,
      admin,
      auth: {
        kind: 'login',
        operation: login.operation ?? `POST ${login.path ?? '/login'}`,
        body: login.body,
        tokenPath: login.tokenPath,
        ...(login.expiresInPath === undefined ? {} : { expiresInPath: login.expiresInPath }),
        header: login.header ?? 'Authorization',
        scheme: login.scheme ?? 'Bearer',
      },
    };
  }
  const oauth = auth.oauth2ClientCredentials;
  return {
    name,
    role: identity.role,
    admin,
    auth: {
      kind: 'oauth2',
      tokenUrl: oauth.tokenUrl,
      clientId: oauth.clientId,
      clientSecret: oauth.clientSecret,
      scopes: oauth.scopes ?? [],
      ...(oauth.audience === undefined ? {} : { audience: oauth.audience }),
    },
  };
}
