// OWASP API8:2023 Security Misconfiguration (CWE-942, CWE-209, CWE-200, CWE-693, CWE-16).
// Vulnerable: CORS reflects any Origin and allows credentials, so any web page can call the API
// with the visitor's credentials; a malformed body gives a 500 carrying the stack trace; the server
// announces itself (X-Powered-By) and sends no security headers; TRACE echoes requests back.
// Secure: an explicit origin allowlist; 400 problem+json without internals; no banner; the headers
// the seed lists; Cache-Control: no-store; TRACE refused.
import { randomUUID } from 'node:crypto';
import { isJsonContentType } from '../http/body.js';
import { problems } from '../http/problem.js';
import type { LabResponse } from '../types.js';

export interface CorsRequest {
  readonly origin: string | undefined;
  /** Access-Control-Request-Method on a preflight, else undefined. */
  readonly preflightMethod: string | undefined;
  readonly preflightHeaders: string | undefined;
  /** Methods the matched path serves. */
  readonly allow: readonly string[];
}

export interface ConfigPolicy {
  /** Headers sent on every response. */
  readonly headers: Readonly<Record<string, string>>;
  /** CORS headers for this request (empty when the origin is not allowed). */
  cors(request: CorsRequest): Record<string, string>;
  /** Parses a request body; throws on malformed JSON or a non-JSON media type. */
  parseBody(raw: Buffer, contentType: string | undefined): unknown;
  /** The answer to an unexpected failure (a bug, or a thrown library error). */
  internalError(error: unknown): LabResponse;
  /** Whether TRACE echoes the request (XST). */
  readonly traceEchoes: boolean;
}

export const vulnerableConfig: ConfigPolicy = {
  // FLAW: a banner with the runtime version, and no security headers at all.
  headers: { 'X-Powered-By': `Node.js/${process.version.slice(1)}` },
  cors({ origin, preflightMethod, preflightHeaders }) {
    if (origin === undefined) return {};
    // FLAW: any origin is reflected and may send credentials (CWE-942).
    return {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Credentials': 'true',
      ...(preflightMethod === undefined
        ? {}
        : {
            'Access-Control-Allow-Methods': preflightMethod,
            'Access-Control-Allow-Headers': preflightHeaders ?? '*',
          }),
    };
  },
  // FLAW: JSON.parse errors are not handled here; they surface as a 500 with a stack trace.
  parseBody: (raw) => (raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'))),
  internalError: (error) => ({
    status: 500,
    // FLAW: internals (message and stack trace) are sent to the client (CWE-209).
    body: {
      error: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack : undefined,
    },
  }),
  traceEchoes: true,
};

/** Default CORS allowlist of the secure variant: a local front-end dev server, nothing else. */
export const DEFAULT_CORS_ORIGINS: readonly string[] = ['http://localhost:5173'];

export function secureConfig(allowedOrigins: readonly string[]): ConfigPolicy {
  const allowed = new Set(allowedOrigins);
  return {
    headers: {
      // FIX: the headers the seed lists. HSTS only has an effect over TLS (behind a TLS proxy).
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    },
    cors({ origin, preflightMethod, allow }) {
      // FIX: only listed origins; bearer tokens need no credentials mode, so none is allowed.
      if (origin === undefined || !allowed.has(origin)) return {};
      return {
        'Access-Control-Allow-Origin': origin,
        Vary: 'Origin',
        ...(preflightMethod === undefined
          ? {}
          : {
              'Access-Control-Allow-Methods': allow.join(', '),
              'Access-Control-Allow-Headers': 'Authorization, Content-Type',
              'Access-Control-Max-Age': '600',
            }),
      };
    },
    parseBody(raw, contentType) {
      // FIX: only JSON is accepted (415), and a parse error is a plain 400 without internals.
      if (!isJsonContentType(contentType)) throw problems.unsupportedMediaType();
      try {
        return JSON.parse(raw.toString('utf8'));
      } catch {
        throw problems.badRequest('malformed_json', 'The body is not valid JSON.');
      }
    },
    internalError() {
      // FIX: a correlation id instead of internals.
      const incident = randomUUID();
      return {
        status: 500,
        contentType: 'application/problem+json',
        body: {
          type: 'https://bulwark.dev/problems/lab/internal-error',
          title: 'Internal server error',
          status: 500,
          detail: `Something went wrong (incident ${incident}).`,
          code: 'internal_error',
        },
      };
    },
    traceEchoes: false,
  };
}
