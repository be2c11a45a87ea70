// API9:2023 / CWE-1059: older API versions still answer. From a versioned base or path (`/v2`), the
// check derives the older ones (`/v1`) for each documented read and calls them on a real object,
// anonymously and as an identity. Proof: a success on a path the spec does not document, where a
// random sibling path under the same old version is refused (so it is no catch-all).
import { location, requiresAuth } from '../engine/classify.js';
import { ok } from '../engine/compare.js';
import type { ScanCheck } from '../types.js';

export const oldVersions: ScanCheck = {
  id: 'scan:api9:old-version',
  owasp: 'API9:2023',
  cwe: 'CWE-1059',
  severity: 'medium',
  confidence: 'firm',
  title: 'An older API version is still served',
  remediation:
    'Retire old versions: answer 410 Gone with Deprecation and Sunset headers (RFC 8594, RFC 9745), or route them through the same authentication and authorization as the current version; keep an inventory of every deployed version.',
  intrusive: false,
  async run(ctx) {
    const identity = ctx.identities.all.find((i) => !i.admin) ?? ctx.identities.all[0];
    const checkedCatchAll = new Map<string, boolean>();
    for (const op of ctx.model.operations) {
      if (op.method !== 'get') continue;
      const request = ctx.builder.build(
        op,
        identity ? { identity: identity.name, owner: identity.name } : {},
      );
      if (!request) continue;
      const current = ctx.http.urlFor(request);
      const match = /\/v(\d+)(?=\/|$)/.exec(current.pathname);
      if (!match?.[1]) continue;
      const version = Number(match[1]);
      for (let older = version - 1; older >= Math.max(0, version - 3); older--) {
        const url = new URL(current.href);
        url.pathname = current.pathname.replace(match[0], `/v${older}`);
        const prefix = current.pathname.slice(0, match.index) + `/v${older}`;
        if (!checkedCatchAll.has(prefix)) {
          const random = new URL(current.href);
          random.pathname = `${prefix}/bulwark-${Math.random().toString(36).slice(2, 10)}`;
          random.search = '';
          const control = await ctx.http
            .send({ method: 'GET', url: random.href })
            .catch(() => undefined);
          checkedCatchAll.set(prefix, ok(control));
        }
        if (checkedCatchAll.get(prefix)) continue;
        const anonymous = await ctx.http.send({ method: 'GET', url: url.href });
        const authed =
          ok(anonymous) || !identity
            ? undefined
            : await ctx.http.send({ method: 'GET', url: url.href, identity: identity.name });
        const proof = ok(anonymous) ? anonymous : authed;
        if (!ok(proof) || proof.text.trim() === '') continue;
        const open = proof === anonymous && requiresAuth(op, ctx.model);
        ctx.report({
          location: location(op, url.href),
          cause: `v${older}`,
          severity: open ? 'high' : 'medium',
          message: `Undocumented v${older} of ${op.key} answered ${proof.status}${open ? ' without authentication, where the current version requires it' : ''}.`,
          exchanges: [proof],
          detail: `A random path under /v${older} was refused, so this is a real route, not a catch-all.`,
        });
      }
    }
  },
};
