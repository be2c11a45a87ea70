// Bounded body reading. The cap is enforced while reading, so an oversized body is refused after at
// most `limit` bytes, whatever Content-Length claimed (API4, CWE-400).
import type { Readable } from 'node:stream';
import type { RequestContext } from './context.js';

export class BodyTooLarge extends Error {
  constructor() {
    super('body over the cap');
    this.name = 'BodyTooLarge';
  }
}

export function readBody(source: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('error', onError);
      source.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        source.pause();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onAborted = (): void => onError(new Error('client aborted'));
    source.on('data', onData);
    source.on('end', onEnd);
    source.on('error', onError);
    source.on('aborted', onAborted);
  });
}

/** An async iterable over `source` that throws BodyTooLarge past the cap: streamed forwarding. */
export async function* capped(source: Readable, limit: number): AsyncGenerator<Buffer> {
  let size = 0;
  for await (const chunk of source) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    yield chunk as Buffer;
  }
}

/** Whether the request carries a body (RFC 9112 §6.3: Transfer-Encoding, or Content-Length > 0). */
export function hasBody(ctx: RequestContext): boolean {
  const h = ctx.headers;
  if (h['transfer-encoding'] !== undefined) return true;
  const cl = h['content-length'];
  return cl !== undefined && cl !== '0';
}
