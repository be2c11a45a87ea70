// Reading request bodies. The secure variant passes a byte cap (OWASP API4, CWE-770): a declared
// Content-Length over the cap is refused before reading, and a chunked body is cut off as soon as it
// crosses the cap, so memory per request stays bounded. The vulnerable variant passes no cap.
import type { IncomingMessage } from 'node:http';
import { problems } from './problem.js';

export async function readBody(
  req: IncomingMessage,
  capBytes: number | undefined,
): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (capBytes !== undefined && declared !== undefined && Number(declared) > capBytes) {
    throw problems.tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (capBytes !== undefined && size > capBytes) throw problems.tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** True when the request declares a JSON media type (application/json or a +json suffix). */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const type = (header.split(';')[0] ?? '').trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(type);
}
