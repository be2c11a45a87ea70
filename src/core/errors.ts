// Errors are classes with stable codes (BULWARK_ERR_*), documented one by one in docs/errors.md;
// test/core/errors.test.ts keeps this table and the docs in step in both directions.
// Error messages never carry secrets or configured limits (fail closed, CWE-209).

/** Every stable error code, with the CLI exit code it maps to. Codes are never reused or renamed. */
export const ERROR_CODES = {
  // Usage and CLI
  BULWARK_ERR_USAGE: { exit: 2, summary: 'Bad command line: unknown command, flag or value.' },
  BULWARK_ERR_NOT_IMPLEMENTED: { exit: 2, summary: 'The command exists but is not built yet.' },
  BULWARK_ERR_IO: { exit: 2, summary: 'A file could not be read or written.' },
  BULWARK_ERR_INTERNAL: { exit: 2, summary: 'An unexpected internal failure (a bug).' },
  // Spec loading
  BULWARK_ERR_SPEC_READ: { exit: 2, summary: 'The API description could not be read or fetched.' },
  BULWARK_ERR_SPEC_EMPTY: { exit: 2, summary: 'The API description is empty.' },
  BULWARK_ERR_SPEC_BINARY: { exit: 2, summary: 'The API description is not text.' },
  BULWARK_ERR_SPEC_TOO_LARGE: { exit: 2, summary: 'The API description exceeds the size cap.' },
  BULWARK_ERR_SPEC_PARSE: { exit: 2, summary: 'The API description is not valid YAML or JSON.' },
  BULWARK_ERR_SPEC_NOT_API: { exit: 2, summary: 'The document is not an API description.' },
  BULWARK_ERR_SPEC_VERSION: { exit: 2, summary: 'The API description has an unknown version.' },
  BULWARK_ERR_SPEC_INVALID: {
    exit: 2,
    summary: 'The API description breaks the structure its version requires.',
  },
  BULWARK_ERR_REF_UNRESOLVED: { exit: 2, summary: 'A $ref points at nothing.' },
  BULWARK_ERR_REF_CYCLE: { exit: 2, summary: 'A $ref resolves only to itself, through a cycle.' },
  // Config
  BULWARK_ERR_CONFIG_READ: { exit: 2, summary: 'The config file could not be read or parsed.' },
  BULWARK_ERR_CONFIG_INVALID: { exit: 2, summary: 'The config breaks schema/bulwark.schema.json.' },
  BULWARK_ERR_CONFIG_ENV: {
    exit: 2,
    summary: 'The config names an environment variable that is unset.',
  },
  BULWARK_ERR_CONFIG_UNSAFE: {
    exit: 2,
    summary: 'The config is valid but insecure, for example a CORS wildcard with credentials.',
  },
  // Outbound requests
  BULWARK_ERR_URL_REFUSED: {
    exit: 2,
    summary:
      'An outbound URL was refused: bad scheme, credentials, host not allowed, or internal address.',
  },
  // Scan
  BULWARK_ERR_SCAN_IDENTITY: {
    exit: 2,
    summary: 'A scan identity could not get credentials (login, OAuth2 or header failed).',
  },
  BULWARK_ERR_SCAN_SCOPE: {
    exit: 2,
    summary: 'The scanner refused to contact a host out of scope.',
  },
  BULWARK_ERR_SCAN_REQUEST: { exit: 2, summary: 'A scan request failed or timed out.' },
  BULWARK_ERR_SCAN_TARGET: {
    exit: 2,
    summary: 'The scan target is not a usable http(s) URL or does not answer.',
  },
  BULWARK_ERR_SCAN_LISTENER: {
    exit: 2,
    summary: "The scanner's callback or hostile-upstream listener could not start.",
  },
  // Lab
  BULWARK_ERR_LAB_DB: {
    exit: 2,
    summary: 'The lab database file cannot be used (not a lab database, or unreadable).',
  },
  BULWARK_ERR_LAB_LISTEN: { exit: 2, summary: 'The lab cannot listen on the host and port.' },
  // Reports
  BULWARK_ERR_REPORT_FORMAT: {
    exit: 2,
    summary: 'The report format is not known for this command.',
  },
  // Audit
  BULWARK_ERR_BASELINE_INVALID: {
    exit: 2,
    summary: 'The audit baseline file is not JSON or not in the baseline format.',
  },
  // Demo
  BULWARK_ERR_DEMO_STEP: {
    exit: 2,
    summary: 'A step of `bulwark demo` failed; everything it started was stopped.',
  },
  // GraphQL (protect)
  BULWARK_ERR_GRAPHQL_SCHEMA: {
    exit: 2,
    summary: 'The GraphQL schema could not be fetched by introspection, or does not build.',
  },
  // Rate limiting (protect)
  BULWARK_ERR_RATELIMIT_STORE: {
    exit: 2,
    summary: 'The shared rate-limit store (Redis) failed or timed out; the fail mode decided.',
  },
} as const satisfies Record<string, { exit: number; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Where in a source file an error was found (1-based line and column). */
export interface ErrorLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly pointer?: string;
}

export interface BulwarkErrorOptions {
  readonly cause?: unknown;
  readonly location?: ErrorLocation;
  /** A hint shown after the message, e.g. "did you mean 'upstream'?". */
  readonly hint?: string;
}

export class BulwarkError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation | undefined;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: BulwarkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BulwarkError';
    this.code = code;
    this.location = options.location;
    this.hint = options.hint;
  }

  /** The CLI exit code for this error (docs/cli.md). */
  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }

  /** One line: `file:line:col: CODE: message (hint)`, the form compilers use so editors can jump to it. */
  toLine(): string {
    const where = formatLocation(this.location);
    const hint = this.hint ? ` (${this.hint})` : '';
    return `${where ? `${where}: ` : ''}${this.code}: ${this.message}${hint}`;
  }
}

export function formatLocation(location: ErrorLocation | undefined): string {
  if (!location) return '';
  let out = location.file;
  if (location.line !== undefined) {
    out += `:${location.line}`;
    if (location.column !== undefined) out += `:${location.column}`;
  }
  return out;
}

export function isBulwarkError(value: unknown): value is BulwarkError {
  return value instanceof BulwarkError;
}

/** Wraps anything thrown into a BulwarkError, keeping the original as `cause`. */
export function toBulwarkError(
  value: unknown,
  code: ErrorCode = 'BULWARK_ERR_INTERNAL',
): BulwarkError {
  if (value instanceof BulwarkError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new BulwarkError(code, message, { cause: value });
}
