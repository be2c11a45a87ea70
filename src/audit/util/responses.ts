// Readers of operation responses shared by the response-documentation rules.
import type { Operation, Response } from '../../core/openapi/model.js';

export function findResponse(op: Operation, ...statuses: string[]): Response | undefined {
  const wanted = statuses.map((s) => s.toUpperCase());
  return op.responses.find((r) => wanted.includes(r.status.toUpperCase()));
}

export function hasHeader(response: Response, name: string): boolean {
  const lower = name.toLowerCase();
  return response.headers.some((h) => h.name.toLowerCase() === lower);
}

/** Where an operation's `responses` object is, for findings about a missing response. */
export function responsesPointer(op: Operation): string {
  return `${op.location.pointer}/responses`;
}
