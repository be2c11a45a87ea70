// GET /openapi.json and GET /.well-known/jwks.json: public, cacheable documents.
import { problems } from '../http/problem.js';
import type { RouteDef } from '../types.js';

const PUBLIC_CACHE = { 'Cache-Control': 'public, max-age=300' };

export const openapi: RouteDef = {
  auth: false,
  body: false,
  handle: (ctx) => ({
    status: 200,
    body: ctx.spec.json,
    contentType: 'application/json',
    headers: PUBLIC_CACHE,
  }),
};

export const jwks: RouteDef = {
  auth: false,
  body: false,
  handle(ctx) {
    const keys = ctx.flaws.tokens.jwks();
    if (!keys) throw problems.notFound();
    return {
      status: 200,
      body: keys,
      contentType: 'application/jwk-set+json',
      headers: PUBLIC_CACHE,
    };
  },
};
