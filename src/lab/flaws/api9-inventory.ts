// OWASP API9:2023 Improper Inventory Management (CWE-1059, CWE-489, CWE-215).
// Vulnerable: the retired v1 document route still answers, without authentication, and an
// undocumented debug route leaks the configuration, the JWT signing secret included. Secure:
// /api/v1/* answers 410 Gone with Deprecation (RFC 9745) and Sunset (RFC 8594) headers, and the
// debug route does not exist (404).
import { problems, HttpProblem } from '../http/problem.js';
import type { LabContext, LabResponse, RouteDef } from '../types.js';

export interface InventoryPolicy {
  /** Answers retired paths before routing, or undefined. */
  retired(path: string): HttpProblem | undefined;
  /** Routes that exist beyond the documented contract. */
  readonly extraRoutes: ReadonlyArray<readonly [method: string, path: string, route: RouteDef]>;
}

/** v1 was deprecated on 2025-01-01 and sunset on 2025-07-01. */
export const V1_DEPRECATED = '@1735689600';
export const V1_SUNSET = 'Tue, 01 Jul 2025 00:00:00 GMT';

const legacyDocument: RouteDef = {
  auth: false, // FLAW: the old version predates authentication and was never switched off
  body: false,
  handle(ctx, req): LabResponse {
    const doc = ctx.store.documentById(req.params['documentId'] ?? '');
    if (!doc) throw problems.notFound();
    return { status: 200, body: doc };
  },
};

const debugConfig: RouteDef = {
  auth: false,
  body: false,
  handle(ctx: LabContext): LabResponse {
    // FLAW: a forgotten debug route that dumps configuration, including the signing secret.
    return {
      status: 200,
      body: {
        variant: ctx.variant,
        jwt: { algorithm: ctx.flaws.tokens.algorithm, secret: ctx.flaws.tokens.leakableSecret },
        database: ctx.store.file,
        classifier_url: ctx.classifierUrl,
        node: process.version,
        limits: 'none',
      },
    };
  },
};

export const vulnerableInventory: InventoryPolicy = {
  retired: () => undefined,
  extraRoutes: [
    ['GET', '/api/v1/documents/{documentId}', legacyDocument],
    ['GET', '/api/v2/debug/config', debugConfig],
  ],
};

export const secureInventory: InventoryPolicy = {
  retired(path) {
    if (path !== '/api/v1' && !path.startsWith('/api/v1/')) return undefined;
    // FIX: a retired version says so, and when, and where its successor is.
    return new HttpProblem({
      status: 410,
      code: 'api_version_retired',
      title: 'Gone',
      detail: 'API v1 was retired; use /api/v2.',
      headers: {
        Deprecation: V1_DEPRECATED,
        Sunset: V1_SUNSET,
        Link: '</api/v2/documents>; rel="successor-version"',
      },
    });
  },
  extraRoutes: [], // FIX: no debug route
};
