// Reading an API description from a file or an http(s) URL, bounded in size and time, and turning the
// bytes into text: empty, binary and oversized inputs are refused before any parser sees them.
// Error messages never name the configured cap (CWE-209) nor the credentials of a URL.

import { open } from 'node:fs/promises';
import { isAbsolute, relative, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BulwarkError } from '../errors.js';
import { errorAt } from './document.js';

export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 30_000;

export type FetchLike = (
  url: string,
  init: { signal: AbortSignal; redirect: 'follow' | 'error'; headers: Record<string, string> },
) => Promise<{
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> | null;
}>;

export interface ReadOptions {
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly fetch: FetchLike | undefined;
  readonly signal: AbortSignal | undefined;
}

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** The name shown to users: paths relative to cwd when inside it, URLs without user info or query. */
export function displayName(uri: string, cwd: string): string {
  if (isUrl(uri)) {
    try {
      const url = new URL(uri);
      url.username = '';
      url.password = '';
      if (url.search) url.search = '?…';
      url.hash = '';
      return url.toString();
    } catch {
      return uri;
    }
  }
  const rel = relative(cwd, uri);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : uri;
}

export function absoluteSource(source: string, cwd: string): string {
  try {
    if (isUrl(source)) return new URL(source).toString();
    if (source.startsWith('file://')) return fileURLToPath(source);
  } catch (error) {
    throw new BulwarkError(
      'BULWARK_ERR_SPEC_READ',
      'cannot read the API description: invalid URL',
      {
        location: { file: source.replace(/\/\/[^/@]*@/, '//') },
        cause: error,
      },
    );
  }
  return resolvePath(cwd, source);
}

function tooLarge(file: string): BulwarkError {
  return new BulwarkError('BULWARK_ERR_SPEC_TOO_LARGE', 'the API description is too large', {
    location: { file },
    hint: 'raise the size limit (maxBytes) if this file is trusted',
  });
}

function readError(file: string, message: string, cause?: unknown): BulwarkError {
  return new BulwarkError('BULWARK_ERR_SPEC_READ', message, {
    location: { file },
    ...(cause === undefined ? {} : { cause }),
  });
}

export async function readSource(
  uri: string,
  file: string,
  options: ReadOptions,
  regularFileOnly = false,
): Promise<Uint8Array> {
  // A referenced document must stay on the origin the policy allowed: no redirect elsewhere (CWE-918).
  if (isUrl(uri)) return fetchSource(uri, file, options, regularFileOnly ? 'error' : 'follow');
  return readFileSource(uri, file, options.maxBytes, regularFileOnly);
}

async function readFileSource(
  path: string,
  file: string,
  maxBytes: number,
  regularFileOnly: boolean,
): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : 'cannot open';
    throw readError(file, `cannot read the API description: ${why}`, error);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory())
      throw readError(file, 'cannot read the API description: it is a directory');
    if (stat.isFile() && stat.size > maxBytes) throw tooLarge(file);
    // The root may be a pipe (`bulwark inspect <(curl ...)`); a referenced file may not, or a $ref to
    // /dev/stdin or a FIFO could block the load forever.
    if (regularFileOnly && !stat.isFile()) {
      throw readError(file, 'cannot read the API description: not a regular file');
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    // Read in chunks even for regular files: a FIFO or a growing file has no trustworthy size. A
    // regular file's first chunk is its size plus one byte, so it is usually read in one piece,
    // without the 1 MB chunks and the copy that joined them (a corpus audit reads 46 MB).
    const regular = stat.isFile();
    let first = regular ? Math.min(stat.size + 1, maxBytes + 1) : 0;
    for (;;) {
      const size = first || Math.min(1 << 20, maxBytes + 1 - total);
      first = 0;
      const buffer = new Uint8Array(size || 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(file);
      chunks.push(buffer.subarray(0, bytesRead));
      // A short read of a regular file is its end (POSIX); pipes return short reads mid-stream.
      if (regular && bytesRead < buffer.length) break;
    }
    return concat(chunks, total);
  } catch (error) {
    if (error instanceof BulwarkError) throw error;
    throw readError(file, 'cannot read the API description', error);
  } finally {
    await handle.close();
  }
}

async function fetchSource(
  url: string,
  file: string,
  options: ReadOptions,
  redirect: 'follow' | 'error',
): Promise<Uint8Array> {
  const doFetch = options.fetch ?? (globalThis.fetch as unknown as FetchLike);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const { target, headers } = splitCredentials(url);
    const response = await doFetch(target, { signal, redirect, headers });
    if (!response.ok) {
      throw readError(file, `cannot fetch the API description: HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > options.maxBytes) throw tooLarge(file);
    const chunks: Uint8Array[] = [];
    let total = 0;
    if (response.body) {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        total += chunk.byteLength;
        if (total > options.maxBytes) throw tooLarge(file);
        chunks.push(chunk);
      }
    }
    return concat(chunks, total);
  } catch (error) {
    if (error instanceof BulwarkError) throw error;
    const why = timeout.aborted
      ? 'timed out'
      : options.signal?.aborted
        ? 'aborted'
        : 'network error';
    throw readError(file, `cannot fetch the API description: ${why}`, error);
  }
}

/** fetch refuses URLs with user info: send it as Basic credentials (RFC 7617) instead. */
function splitCredentials(url: string): { target: string; headers: Record<string, string> } {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return { target: url, headers: {} };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  const token = Buffer.from(`${user}:${password}`).toString('base64');
  return { target: parsed.toString(), headers: { authorization: `Basic ${token}` } };
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Bytes to text: refuses empty and binary input (NUL bytes, invalid UTF-8) with a located error. */
export function decodeText(bytes: Uint8Array, file: string): string {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes);
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be').decode(bytes);
  else {
    const nul = bytes.indexOf(0);
    if (nul !== -1) {
      const prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, nul));
      throw binary(prefix, file, 'it contains NUL bytes');
    }
    try {
      text = UTF8.decode(bytes);
    } catch {
      const lossy = new TextDecoder('utf-8').decode(bytes);
      throw binary(lossy.slice(0, lossy.indexOf('\uFFFD')), file, 'it is not valid UTF-8');
    }
  }
  if (!/\S/.test(text)) {
    throw new BulwarkError('BULWARK_ERR_SPEC_EMPTY', 'the API description is empty', {
      location: { file },
    });
  }
  if (text.includes('\0')) throw binary(text.slice(0, text.indexOf('\0')), file, 'it contains NUL');
  return text;
}

function binary(prefix: string, file: string, why: string): BulwarkError {
  const doc = { file, text: prefix, lineStarts: undefined };
  return errorAt(
    'BULWARK_ERR_SPEC_BINARY',
    `the API description is not text: ${why}`,
    doc,
    prefix.length,
  );
}
