// Outbound HTTP for the secure variant (OWASP API7 and API10): one request, never a redirect, a
// total deadline and a byte cap on the answer. `lookup` pins the connection to addresses that were
// already checked, so DNS cannot answer differently between the check and the connect (rebinding).
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

export interface BoundedRequest {
  readonly url: URL;
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly lookup?: LookupFunction;
}

export interface BoundedResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export type OutboundFailure = 'timeout' | 'too_large' | 'network';

export class OutboundError extends Error {
  constructor(
    readonly reason: OutboundFailure,
    options?: { cause?: unknown },
  ) {
    super(`outbound request failed: ${reason}`, options);
    this.name = 'OutboundError';
  }
}

/** Sends one request and reads the whole answer, failing on timeout, oversize or network error. */
export function boundedRequest(spec: BoundedRequest): Promise<BoundedResponse> {
  const send = spec.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const options: RequestOptions = {
    method: spec.method,
    headers: { ...spec.headers, 'user-agent': 'bulwark-lab', connection: 'close' },
    // The deadline covers connect, headers and body together (not an idle timeout).
    signal: AbortSignal.timeout(spec.timeoutMs),
    agent: false,
    ...(spec.lookup ? { lookup: spec.lookup } : {}),
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (reason: OutboundFailure, cause?: unknown) => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(new OutboundError(reason, { cause }));
    };
    const req = send(spec.url, options, (res) => {
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > spec.maxBytes) return fail('too_large');
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > spec.maxBytes) fail('too_large');
        else chunks.push(chunk);
      });
      res.on('error', (error) => fail(isAbort(error) ? 'timeout' : 'network', error));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', (error) => fail(isAbort(error) ? 'timeout' : 'network', error));
    req.end(spec.body);
  });
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}
