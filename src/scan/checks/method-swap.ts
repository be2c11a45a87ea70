// API5:2023 / CWE-650: undocumented methods on known paths. Each documented path is tried with the
// methods the spec does not list, as a low-privilege identity, only on object paths that hold an
// object this scan created. Proof: a
// success (2xx) where the spec promises no such operation; 404/405 is the right answer.
import { location } from '../engine/classify.js';
import { ok } from '../engine/compare.js';
import type { ScanCheck } from '../types.js';

const METHODS = ['put', 'patch', 'delete', 'post'] as const;

export const methodSwap: ScanCheck = {
  id: 'scan:api5:method-swap',
  owasp: 'API5:2023',
  cwe: 'CWE-650',
  severity: 'medium',
  confidence: 'firm',
  title: 'An undocumented method works on a known path',
  remediation:
    'Route only the documented methods and answer 405 Method Not Allowed with an Allow header for the rest (RFC 9110 §15.5.6).',
  intrusive: true,
  async run(ctx) {
    const low = ctx.identities.lowAndAdmin()?.low;
    if (!low) return;
    const paths = new Map<string, Set<string>>();
    for (const op of ctx.model.operations) {
      paths.set(op.path, (paths.get(op.path) ?? new Set()).add(op.method));
    }
    for (const [path, methods] of paths) {
      const template = ctx.model.operations.find((o) => o.path === path);
      if (!template) continue;
      const request = ctx.builder.build(template, {
        identity: low.name,
        createdByScannerOnly: true,
      });
      // Only object paths holding an object this scan created: a DELETE on `/users/me` would be real harm.
      if (!request?.target?.createdByScanner || !path.includes('{')) continue;
      for (const method of METHODS) {
        if (methods.has(method)) continue;
        const attack = await ctx.http.send({
          method: method.toUpperCase(),
          path: request.path,
          identity: low.name,
          json: {},
        });
        if (!ok(attack)) continue;
        ctx.report({
          location: {
            ...location(template, attack.exchange.request.url),
            operation: `${method.toUpperCase()} ${path}`,
          },
          cause: method,
          message: `${method.toUpperCase()} ${path} is not in the spec but answered ${attack.status} to '${low.name}'.`,
          exchanges: [attack],
        });
      }
    }
  },
};
