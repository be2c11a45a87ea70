// API9:2023 / CWE-215: undocumented debug, actuator and metrics endpoints answer. Common paths are
// tried under the target root and the API base, anonymously then as an identity. Proof: a non-empty
// success on a path the spec does not document, where a random path next to it is refused.
import { pathPrefixes } from '../engine/classify.js';
import { ok } from '../engine/compare.js';
import type { CheckContext, ScanCheck, ScanResponse } from '../types.js';

const PATHS = [
  'debug',
  'debug/config',
  'debug/vars',
  'debug/pprof',
  'debug/env',
  '_debug',
  '__debug__',
  'actuator',
  'actuator/env',
  'actuator/heapdump',
  'actuator/configprops',
  'actuator/mappings',
  'metrics',
  'prometheus',
  'env',
  'config',
  'config.json',
  '.env',
  'server-status',
  'status/full',
  'admin/debug',
  'internal',
  'internal/config',
  'console',
  'trace',
  'phpinfo.php',
  'graphiql',
];
const SECRETISH =
  /(secret|password|passwd|private|api_?key|signing|jwt|token|credential|dsn|database_url)/i;

export const debugEndpoints: ScanCheck = {
  id: 'scan:api9:debug-endpoint',
  owasp: 'API9:2023',
  cwe: 'CWE-215',
  severity: 'medium',
  confidence: 'firm',
  title: 'An undocumented debug or management endpoint answers',
  remediation:
    'Remove debug and management routes from production builds, or bind them to a separate internal port behind authentication; keep the spec as the inventory of what is exposed.',
  intrusive: false,
  async run(ctx) {
    const identity = ctx.identities.all.find((i) => !i.admin) ?? ctx.identities.all[0];
    const documented = new Set(
      ctx.model.operations.map((o) => ctx.http.urlFor({ method: 'GET', path: o.path }).pathname),
    );
    for (const prefix of pathPrefixes(ctx.model, ctx.settings)) {
      if (await catchAll(ctx, prefix, identity?.name)) continue;
      for (const path of PATHS) {
        const url = new URL(`${prefix}${path}`, ctx.settings.target);
        if (documented.has(url.pathname)) continue;
        const anonymous = await ctx.http
          .send({ method: 'GET', url: url.href })
          .catch(() => undefined);
        const proof: ScanResponse | undefined =
          ok(anonymous) || !identity
            ? anonymous
            : await ctx.http
                .send({ method: 'GET', url: url.href, identity: identity.name })
                .catch(() => undefined);
        if (
          !ok(proof) ||
          proof.text.trim() === '' ||
          (/<html/i.test(proof.text.slice(0, 200)) && !SECRETISH.test(proof.text))
        )
          continue;
        const leaks = SECRETISH.test(proof.text);
        ctx.report({
          location: { url: url.href, operation: `GET ${url.pathname}` },
          cause: url.pathname,
          severity: leaks ? 'high' : 'medium',
          message: `Undocumented ${url.pathname} answered ${proof.status}${proof === anonymous ? ' without authentication' : ''}${leaks ? ' and its body names secrets' : ''}.`,
          exchanges: [proof],
          detail:
            'A random path next to it was refused. Secret values in the evidence are redacted.',
        });
      }
    }
  },
};

async function catchAll(
  ctx: CheckContext,
  prefix: string,
  identity: string | undefined,
): Promise<boolean> {
  const url = new URL(
    `${prefix}bulwark-${Math.random().toString(36).slice(2, 10)}`,
    ctx.settings.target,
  );
  const response = await ctx.http
    .send({ method: 'GET', url: url.href, ...(identity ? { identity } : {}) })
    .catch(() => undefined);
  return ok(response);
}
