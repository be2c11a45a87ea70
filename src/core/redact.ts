// Redaction of secrets in evidence and logs. A report is often pasted into tickets and CI logs, so a
// credential that reaches it is a leak (CWE-532, CWE-200). Redaction keeps the shape (header and
// parameter names, auth scheme, cookie attributes, JSON structure) because the shape is the evidence;
// it removes only the secret values.
import type { HttpExchange } from './finding.js';

export const REDACTED = '[REDACTED]';

/** Header values as Node gives them: repeated headers may arrive as arrays. */
export type HeaderValue = string | readonly string[] | undefined;
export type HeaderBag = Readonly<Record<string, HeaderValue>>;

// Names that carry a secret wherever they appear (header, query, JSON key, form field).
const SECRET_WORDS = [
  'token',
  'secret',
  'passw',
  'passphrase',
  'apikey',
  'api-key',
  'api_key',
  'credential',
  'session',
  'signature',
  'private-key',
  'private_key',
  'privatekey',
  'cookie',
  'jwt',
  'authorization',
  'bearer',
];
// Short names that are secrets only as a whole word (`key`, but not `keyboard` or `monkey`).
const SECRET_WHOLE_WORDS =
  /(^|[-_.])(key|pass|passwd|pwd|pin|otp|sid|auth|sig|csrf|xsrf|cvv|ssn)($|[-_.])/i;
// Query parameters that are secrets in URLs though harmless as JSON keys: OAuth `code` (RFC 6749
// section 4.1.2), signed-URL parts (AWS SigV4 `X-Amz-*`).
const SECRET_URL_PARAMS = new Set(['code', 'x-amz-credential', 'state_token', 'ticket', 'hash']);
// Headers that are not named like secrets but carry them.
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);
// Headers whose value is a URL that may carry a secret in its query (OAuth redirects, Referer leaks).
const URL_HEADERS = new Set([
  'location',
  'content-location',
  'referer',
  'origin',
  'link',
  'refresh',
]);

// Value patterns of well-known credentials, redacted wherever they appear (CWE-798).
const SECRET_VALUE_PATTERNS: readonly RegExp[] = [
  // JWT / JWS compact form (RFC 7515 section 7.1); the signature part may be empty (`alg: none`).
  /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g,
  // Stripe secret and restricted keys.
  /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{8,}/g,
  // AWS access key ids.
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g,
  // GitHub tokens (classic prefixes and fine-grained PATs).
  /\bgh[pousr]_[A-Za-z0-9]{30,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{30,}/g,
  // Slack tokens.
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  // Google API keys.
  /\bAIza[0-9A-Za-z_-]{35}/g,
  // PEM private keys, whole block.
  /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|$)/g,
];

/** True when a header, parameter or JSON key name suggests its value is a secret. */
export function isSecretName(name: string): boolean {
  // camelCase counts as word breaks: `accessKey` -> `access_key`, while `monkeyName` stays clean.
  const lower = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  return SECRET_WORDS.some((word) => lower.includes(word)) || SECRET_WHOLE_WORDS.test(lower);
}

/** Replaces well-known credential shapes (JWT, cloud keys, PEM blocks) inside any text. */
export function redactSecretValues(text: string): string {
  let out = text;
  for (const pattern of SECRET_VALUE_PATTERNS) out = out.replace(pattern, REDACTED);
  return out;
}

// `Bearer abc` keeps `Bearer`: the scheme is evidence (API2 checks report Basic over HTTP), the
// credential is not. A value without a scheme is masked whole.
function redactAuthorization(value: string): string {
  const match = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s+\S/.exec(value);
  return match ? `${match[1]} ${REDACTED}` : REDACTED;
}

// `a=1; b=2` -> `a=[REDACTED]; b=[REDACTED]` (RFC 6265 section 4.2).
function redactCookie(value: string): string {
  return value
    .split(';')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? pair : `${pair.slice(0, eq)}=${REDACTED}`;
    })
    .join(';');
}

// Only the first pair of Set-Cookie is the cookie; the attributes after it (Secure, HttpOnly,
// SameSite) are what cookie checks report on, so they stay (RFC 6265 section 4.1).
function redactOneSetCookie(cookie: string): string {
  const semi = cookie.indexOf(';');
  const first = semi < 0 ? cookie : cookie.slice(0, semi);
  const eq = first.indexOf('=');
  const masked = eq < 0 ? REDACTED : `${first.slice(0, eq)}=${REDACTED}`;
  return semi < 0 ? masked : masked + cookie.slice(semi);
}

// Several Set-Cookie headers may arrive joined by newlines or, as fetch's Headers.get() does, by
// ", ". A comma starts a new cookie only when `name=` follows; the comma inside
// `Expires=Wed, 21 Oct 2026 07:28:00 GMT` is followed by a date, not by `name=`.
function redactSetCookie(value: string): string {
  return value
    .split(/\r?\n/)
    .map((line) =>
      line
        .split(/,\s*(?=[^;,=\s]+=)/)
        .map(redactOneSetCookie)
        .join(', '),
    )
    .join('\n');
}

function redactHeaderValue(name: string, value: string): string {
  const lower = name.trim().toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    return redactAuthorization(value);
  }
  if (lower === 'cookie') return redactCookie(value);
  if (lower === 'set-cookie') return redactSetCookie(value);
  if (SECRET_HEADERS.has(lower) || isSecretName(lower)) return REDACTED;
  if (URL_HEADERS.has(lower)) return redactSecretValues(redactUrlsIn(value));
  return redactSecretValues(value);
}

/** A copy of `headers` with every secret value masked; names, order and repetitions are kept. */
export function redactHeaders<T extends HeaderBag>(headers: T): { [K in keyof T]: T[K] } {
  const out: Record<string, HeaderValue> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) out[name] = undefined;
    else if (typeof value === 'string') out[name] = redactHeaderValue(name, value);
    else out[name] = value.map((item) => redactHeaderValue(name, item));
  }
  return out as { [K in keyof T]: T[K] };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function isSecretParam(name: string): boolean {
  const decoded = safeDecode(name).toLowerCase();
  return SECRET_URL_PARAMS.has(decoded) || decoded.startsWith('x-amz-') || isSecretName(decoded);
}

/**
 * Masks secret values in an `a=1&b=2` string without re-encoding the rest, so the evidence stays
 * byte-for-byte what was sent (URLSearchParams would rewrite `%20` as `+`).
 */
export function redactFormEncoded(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = pair.slice(0, eq);
      return isSecretParam(name)
        ? `${name}=${REDACTED}`
        : `${name}=${redactSecretValues(pair.slice(eq + 1))}`;
    })
    .join('&');
}

/**
 * Masks the userinfo password, secret query and fragment parameters (OAuth implicit flow puts
 * `access_token` in the fragment, RFC 6749 section 4.2.2) and credential-shaped path segments.
 * Works on absolute and relative URLs, and never throws: evidence may hold malformed URLs.
 */
export function redactUrl(url: string): string {
  let rest = url;
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = '#' + redactFormEncoded(rest.slice(hash + 1));
    rest = rest.slice(0, hash);
  }
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = '?' + redactFormEncoded(rest.slice(q + 1));
    rest = rest.slice(0, q);
  }
  // scheme://user:password@host -> scheme://user:[REDACTED]@host (RFC 3986 section 3.2.1 deprecates
  // passwords in userinfo; they still appear in configs).
  rest = rest.replace(
    /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/@]*)@/,
    (_all, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':');
      const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
      return colon < 0 ? `${scheme}${user}@` : `${scheme}${user}:${REDACTED}@`;
    },
  );
  // Matrix parameters in the path (`/cart;jsessionid=ABC`, RFC 3986 section 3.3) carry sessions too.
  rest = rest.replace(/;([^;/=]+)=([^;/]*)/g, (all, name: string) =>
    isSecretParam(name) ? `;${name}=${REDACTED}` : all,
  );
  return redactSecretValues(rest) + query + fragment;
}

// URLs embedded in header values (Link: <...>; rel=next, Refresh: 0; url=...).
function redactUrlsIn(value: string): string {
  return value.replace(
    /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s<>"',;]+|\/[^\s<>"',;]*\?[^\s<>"',;]*/g,
    (m) => redactUrl(m),
  );
}

/**
 * Masks secrets in a request or response body. JSON is redacted in place by key name (formatting and
 * big numbers survive), form bodies by field name, and every body by credential value patterns.
 */
export function redactBody(text: string, contentType = ''): string {
  const type = contentType.toLowerCase();
  const trimmed = text.trimStart();
  if (type.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const json = redactJsonText(text);
    if (json !== undefined) return redactSecretValues(json);
  }
  if (type.includes('x-www-form-urlencoded')) return redactFormEncoded(text);
  if (type.includes('multipart/')) return redactSecretValues(redactMultipart(text));
  return redactSecretValues(redactKeyValueText(text));
}

// multipart/form-data (RFC 7578): a part whose `name="..."` is secret-looking loses its content; the
// part headers and boundaries stay. Split on boundary lines first so the work stays linear in the
// body size, whatever the input (a single regex over headers backtracks quadratically).
function redactMultipart(text: string): string {
  return text
    .split(/(^--[^\r\n]*|\r?\n--[^\r\n]*)/)
    .map((chunk, index) => (index % 2 === 1 ? chunk : redactPart(chunk)))
    .join('');
}

function redactPart(part: string): string {
  const match = /\r?\n\r?\n/.exec(part);
  if (!match) return part;
  const head = part.slice(0, match.index + match[0].length);
  const name = /^content-disposition:[^\r\n]*?\bname="([^"\r\n]*)"/im.exec(head)?.[1];
  return name !== undefined && isSecretName(name) ? head + REDACTED : part;
}

// `password=hunter2`, `"api_key": "x"`, `secret: x` in text that is not valid JSON (logs, YAML,
// truncated bodies).
function redactKeyValueText(text: string): string {
  return text.replace(
    /(["']?)([A-Za-z0-9_.-]{2,64})\1(\s*[:=]\s*)("(?:[^"\\\n]|\\.)*"?|'[^'\n]*'?|[^\s&,;"'}\]]+)/g,
    (all, quote: string, name: string, sep: string, value: string) => {
      if (!isSecretName(name)) return all;
      const masked =
        value.startsWith('"') || value.startsWith("'")
          ? `${value[0]}${REDACTED}${value[0]}`
          : REDACTED;
      return `${quote}${name}${quote}${sep}${masked}`;
    },
  );
}

/**
 * A small JSON tokenizer that rewrites values under secret keys in place. Returns undefined when the
 * text is not JSON, so the caller falls back to text rules. Values nested under a secret key
 * (`"credentials": {"user": "a", "pass": "b"}`) are all masked. Bounded: one pass over the input.
 */
export function redactJsonText(text: string): string | undefined {
  const out: string[] = [];
  // Stack of containers: for objects, whether the pending value's key is secret.
  const stack: {
    kind: 'object' | 'array';
    secret: boolean;
    expectKey: boolean;
    pendingSecret: boolean;
  }[] = [];
  let i = 0;
  let sawValue = false;
  // A container's `secret` already includes its ancestors' (set from valueIsSecret() on push), so the
  // top of the stack answers for the whole path in O(1), however deep the document.
  const insideSecret = (): boolean => stack[stack.length - 1]?.secret === true;
  const valueIsSecret = (): boolean => {
    const top = stack[stack.length - 1];
    if (!top) return false;
    return insideSecret() || (top.kind === 'object' && top.pendingSecret);
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === ',' || ch === ':') {
      if (ch === ',') {
        const top = stack[stack.length - 1];
        if (!top) return undefined;
        if (top.kind === 'object') top.expectKey = true;
      }
      out.push(ch);
      i++;
      continue;
    }
    if (ch === '{' || ch === '[') {
      const secret = valueIsSecret();
      const top = stack[stack.length - 1];
      if (!top && sawValue) return undefined;
      stack.push({
        kind: ch === '{' ? 'object' : 'array',
        secret,
        expectKey: ch === '{',
        pendingSecret: false,
      });
      sawValue = true;
      out.push(ch);
      i++;
      continue;
    }
    if (ch === '}' || ch === ']') {
      const top = stack.pop();
      if (!top || (top.kind === 'object') !== (ch === '}')) return undefined;
      out.push(ch);
      i++;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) return undefined;
      const token = text.slice(i, j + 1);
      const top = stack[stack.length - 1];
      if (top?.kind === 'object' && top.expectKey) {
        let key: string;
        try {
          key = JSON.parse(token) as string;
        } catch {
          return undefined;
        }
        top.expectKey = false;
        top.pendingSecret = isSecretName(key);
        out.push(token);
      } else {
        if (!top && sawValue) return undefined;
        out.push(valueIsSecret() ? `"${REDACTED}"` : token);
        sawValue = true;
      }
      i = j + 1;
      continue;
    }
    const literal = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(
      text.slice(i, i + 400),
    );
    if (!literal) return undefined;
    if (!stack[stack.length - 1] && sawValue) return undefined;
    // null carries no secret; masking it would hide "the password field is empty" evidence.
    out.push(valueIsSecret() && literal[0] !== 'null' ? `"${REDACTED}"` : literal[0]);
    sawValue = true;
    i += literal[0].length;
  }
  return stack.length === 0 && sawValue ? out.join('') : undefined;
}

/** A copy of an exchange with headers, URL and bodies redacted. */
export function redactExchange(exchange: HttpExchange): HttpExchange {
  const { request, response } = exchange;
  const req = {
    method: request.method,
    url: redactUrl(request.url),
    headers: redactHeaders(request.headers),
    ...(request.body === undefined
      ? {}
      : { body: redactBody(request.body, headerValue(request.headers, 'content-type')) }),
  };
  if (!response) return { request: req };
  return {
    request: req,
    response: {
      status: response.status,
      headers: redactHeaders(response.headers),
      ...(response.body === undefined
        ? {}
        : { body: redactBody(response.body, headerValue(response.headers, 'content-type')) }),
    },
  };
}

function headerValue(headers: Readonly<Record<string, string>>, name: string): string {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return '';
}

/** POSIX shell single-quoting: the only character that needs care inside '...' is ' itself. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

// Headers curl computes itself; copying them would break the replay when the body is edited.
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const CURL_SKIPPED_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection']);

// A body with NUL or other control bytes cannot be a shell argument. printf's format string with
// octal escapes (POSIX printf, `\ddd`) reproduces any byte sequence, piped to --data-binary @-.
function printfLiteral(body: string): string {
  let format = '';
  for (const byte of Buffer.from(body, 'utf8')) {
    if (byte === 0x25) format += '%%';
    else if (byte === 0x5c) format += '\\\\';
    else if (byte === 0x27) format += "'\\''";
    else if (byte >= 0x20 && byte < 0x7f) format += String.fromCharCode(byte);
    else format += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return `'${format}'`;
}

function hasUnquotableByte(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f)
      return true;
  }
  return false;
}

export interface CurlOptions {
  /** Mask secrets (default true). Turn off only for output the user asked to keep raw. */
  readonly redact?: boolean;
}

/**
 * A copy-paste curl command reproducing the request. Every argument is single-quoted, so no value
 * (method, URL, header, body) can inject shell syntax (CWE-78). `-g` stops curl globbing `[...]` in
 * URLs (the redaction marker contains brackets); `--url` stops a URL starting with `-` from being read
 * as an option.
 */
export function toCurl(exchange: HttpExchange, options: CurlOptions = {}): string {
  const ex = options.redact === false ? exchange : redactExchange(exchange);
  const { method, url, headers, body } = ex.request;
  const upper = method.toUpperCase();
  const parts: string[] = ['curl', '-sS', '-g'];
  if (upper === 'HEAD') parts.push('-I');
  else {
    parts.push('-i');
    if (upper !== 'GET' || body !== undefined) parts.push('-X', shellQuote(method));
  }
  parts.push('--url', shellQuote(url));
  for (const [name, value] of Object.entries(headers)) {
    // A name that is not an RFC 9110 token could not have been sent; `@name` would make curl read a file.
    if (!HEADER_NAME.test(name) || CURL_SKIPPED_HEADERS.has(name.toLowerCase())) continue;
    // `Name;` is curl's syntax for sending a header with an empty value.
    parts.push('-H', shellQuote(value === '' ? `${name};` : `${name}: ${value}`));
  }
  let prefix = '';
  if (body !== undefined) {
    // Tab, LF and CR survive single quotes; any other control byte goes through printf. A body
    // starting with `@` would make curl upload a local file, so it goes through printf too.
    if (body.startsWith('@') || hasUnquotableByte(body)) {
      prefix = `printf ${printfLiteral(body)} | `;
      parts.push('--data-binary', '@-');
    } else {
      parts.push('--data-binary', shellQuote(body));
    }
  }
  return prefix + parts.join(' ');
}
