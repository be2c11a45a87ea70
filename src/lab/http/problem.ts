// RFC 9457 problem details. Every refusal the lab makes is one of these, with a stable `code` that
// tests, the scanner and the gateway can match on.

export interface ProblemFieldError {
  readonly pointer: string;
  readonly detail: string;
}

export interface ProblemInit {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly errors?: readonly ProblemFieldError[];
}

/** A refusal thrown from a handler; the server turns it into an application/problem+json answer. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly errors: readonly ProblemFieldError[] | undefined;

  constructor(init: ProblemInit) {
    super(init.detail ?? init.title);
    this.name = 'HttpProblem';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.headers = init.headers ?? {};
    this.errors = init.errors;
  }

  toJSON(): Record<string, unknown> {
    return {
      type: `https://bulwark.dev/problems/lab/${this.code.replaceAll('_', '-')}`,
      title: this.title,
      status: this.status,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      code: this.code,
      ...(this.errors === undefined ? {} : { errors: this.errors }),
    };
  }
}

export const problems = {
  badRequest: (code: string, detail: string, errors?: readonly ProblemFieldError[]) =>
    new HttpProblem({
      status: 400,
      code,
      title: 'Bad request',
      detail,
      ...(errors ? { errors } : {}),
    }),
  unauthorized: (detail = 'A valid bearer token is required.') =>
    new HttpProblem({
      status: 401,
      code: 'unauthorized',
      title: 'Unauthorized',
      detail,
      // RFC 6750 §3: a 401 names the scheme the client should use.
      headers: { 'WWW-Authenticate': 'Bearer realm="bulwark-lab", error="invalid_token"' },
    }),
  forbidden: (detail: string) =>
    new HttpProblem({ status: 403, code: 'forbidden', title: 'Forbidden', detail }),
  notFound: (detail = 'No such resource.') =>
    new HttpProblem({ status: 404, code: 'not_found', title: 'Not found', detail }),
  methodNotAllowed: (allow: readonly string[]) =>
    new HttpProblem({
      status: 405,
      code: 'method_not_allowed',
      title: 'Method not allowed',
      headers: { Allow: allow.join(', ') },
    }),
  tooLarge: () =>
    new HttpProblem({
      status: 413,
      code: 'payload_too_large',
      title: 'Payload too large',
      detail: 'The request body is too large.',
    }),
  unsupportedMediaType: () =>
    new HttpProblem({
      status: 415,
      code: 'unsupported_media_type',
      title: 'Unsupported media type',
      detail: 'Send the body as application/json.',
    }),
  tooManyRequests: (
    code: string,
    retryAfterSeconds: number,
    detail: string,
    headers: Readonly<Record<string, string>> = {},
  ) =>
    new HttpProblem({
      status: 429,
      code,
      title: 'Too many requests',
      detail,
      headers: { ...headers, 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    }),
  badGateway: (code: string, detail: string) =>
    new HttpProblem({ status: 502, code, title: 'Bad gateway', detail }),
} as const;
