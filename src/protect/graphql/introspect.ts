// The upstream's schema by introspection, fetched once at gateway startup (issue 10: "the schema from
// SDL or introspection at startup"). Stage compile is synchronous, so startProtect resolves every
// introspected schema first (resolveIntrospectedSchemas) and hands the stage SDL text, as if the
// operator had written it. Fail closed: an upstream that is down, slow, answers something other than
// a GraphQL introspection result, answers too much, or whose schema does not build stops the gateway
// at startup with BULWARK_ERR_GRAPHQL_SCHEMA. A gate without a schema cannot check fields, so it
// must never start without one (CWE-636, not failing securely).
import {
  buildClientSchema,
  getIntrospectionQuery,
  printSchema,
  type IntrospectionQuery,
} from 'graphql';
import { BulwarkError } from '../../core/errors.js';

export interface IntrospectionSettings {
  /** Absolute URL; default: the upstream's base URL joined with the operation's path. */
  readonly url: string | undefined;
  readonly timeoutMs: number;
  /** Cap on the answer's bytes: a hostile or broken upstream cannot fill the gateway's heap. */
  readonly maxBytes: number;
  readonly headers: Readonly<Record<string, string>>;
}

export const DEFAULT_INTROSPECTION: IntrospectionSettings = Object.freeze({
  url: undefined,
  timeoutMs: 5000,
  maxBytes: 5 * 1024 * 1024,
  headers: Object.freeze({}),
});

function fail(where: string, message: string, cause?: unknown, hint?: string): BulwarkError {
  return new BulwarkError('BULWARK_ERR_GRAPHQL_SCHEMA', `${where}: ${message}`, {
    ...(cause !== undefined ? { cause } : {}),
    hint:
      hint ??
      'the gateway does not start without the GraphQL schema; give sdl or schemaFile, or let the upstream answer introspection from the gateway',
  });
}

/** Reads at most `max` bytes of the body; more is an error, not a truncation. */
async function readCapped(res: Response, max: number, where: string): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel();
    throw fail(where, `the introspection answer is larger than ${max} bytes`);
  }
  const reader = res.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw fail(where, `the introspection answer is larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** POSTs the standard introspection query and returns the schema as SDL. */
export async function introspectSdl(
  url: string,
  settings: IntrospectionSettings,
  where: string,
): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        ...settings.headers,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({ query: getIntrospectionQuery({ inputValueDeprecation: true }) }),
      redirect: 'error', // a redirect could point the gateway anywhere (CWE-601)
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
  } catch (cause) {
    const timedOut = (cause as Error).name === 'TimeoutError';
    throw fail(
      where,
      timedOut
        ? `introspection of ${url} timed out after ${settings.timeoutMs} ms`
        : `introspection of ${url} failed: ${(cause as Error).message}`,
      cause,
    );
  }
  const text = await readCapped(res, settings.maxBytes, where);
  if (res.status !== 200) throw fail(where, `introspection of ${url} answered ${res.status}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (cause) {
    throw fail(where, `introspection of ${url} did not answer JSON`, cause);
  }
  const data = (body as { data?: unknown } | null)?.data as IntrospectionQuery | null | undefined;
  if (data === null || typeof data !== 'object' || typeof data.__schema !== 'object') {
    throw fail(
      where,
      `${url} refused introspection or answered no __schema`,
      undefined,
      'allow introspection from the gateway (for example with a header in schemaIntrospection.headers), or give sdl or schemaFile',
    );
  }
  try {
    return printSchema(buildClientSchema(data));
  } catch (cause) {
    throw fail(where, `the introspected schema does not build: ${(cause as Error).message}`, cause);
  }
}

/** The introspection settings in a merged option object, or undefined when it asks for none. */
export function introspectionSettings(raw: unknown): IntrospectionSettings | undefined {
  if (raw === true) return DEFAULT_INTROSPECTION;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  const num = (v: unknown, d: number) => (typeof v === 'number' && v > 0 ? v : d);
  const headers = r['headers'];
  return Object.freeze({
    url: typeof r['url'] === 'string' ? r['url'] : undefined,
    timeoutMs: num(r['timeoutMs'], DEFAULT_INTROSPECTION.timeoutMs),
    maxBytes: num(r['maxBytes'], DEFAULT_INTROSPECTION.maxBytes),
    headers:
      headers !== null && typeof headers === 'object' && !Array.isArray(headers)
        ? Object.fromEntries(
            Object.entries(headers).filter((e): e is [string, string] => typeof e[1] === 'string'),
          )
        : {},
  });
}
