// The upstream answer as response stages see it. Headers are a plain lower-case object so stages can
// delete and set without allocation; `body` is either the upstream stream (passed through untouched)
// or a buffer once a stage asked for it; `json` is set when the buffered body is JSON.
import type { Readable } from 'node:stream';

export type HeaderMap = Record<string, string | string[] | undefined>;

export class UpstreamReply {
  status: number;
  headers: HeaderMap;
  stream: Readable | undefined;
  body: Buffer | undefined = undefined;
  /** Parsed JSON body (after buffering). Stages replace it to rewrite the answer. */
  json: unknown = undefined;
  hasJson = false;
  /** Set when a stage changed `json`, so the engine re-serialises it. */
  jsonChanged = false;
  /** The media type without parameters, lower-case ('' when absent). */
  mediaType: string;

  constructor(status: number, headers: HeaderMap, stream: Readable | undefined) {
    this.status = status;
    this.headers = headers;
    this.stream = stream;
    const ct = headers['content-type'];
    const value = typeof ct === 'string' ? ct : '';
    const semi = value.indexOf(';');
    this.mediaType = (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
  }
}

export function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}
