// "Could not test (throttled)": a check whose request was throttled (429, or 503 with Retry-After)
// and not waited out learnt nothing about that operation. Reporting it as a clean pass would hide a
// gap, and reading the 429 as a flaw would be a false finding, so the operation is listed apart.
import type { Finding } from '../../core/finding.js';
import type { ApiModel } from '../../core/openapi/model.js';
import type { ScanSettings } from '../settings.js';
import type { HttpClient } from '../types.js';
import { isThrottled } from './compare.js';

export interface UntestedEntry {
  /** The check id, or `discovery` when learning the target's objects was throttled. */
  readonly check: string;
  /** The operation key (`GET /documents/{documentId}`), or `METHOD /path` when no operation matches. */
  readonly operation: string;
  readonly reason: 'throttled';
}

export class Untested {
  private readonly list = new Map<string, UntestedEntry>();
  private readonly routes: { method: string; pattern: RegExp; key: string }[];

  constructor(model: ApiModel, settings: Pick<ScanSettings, 'base'>) {
    const base = settings.base.pathname.replace(/\/+$/, '');
    this.routes = model.operations.map((op) => ({
      method: op.method.toUpperCase(),
      key: op.key,
      pattern: new RegExp(
        `^${escape(base)}${op.path
          .split(/\{[^}]+\}/)
          .map(escape)
          .join('[^/]+')}/?$`,
      ),
    }));
  }

  add(check: string, operation: string, reason: 'throttled'): void {
    this.list.set(`${check} ${operation}`, { check, operation, reason });
  }

  /** A throttled answer to `check`'s request for `url`. */
  seen(check: string, url: URL, method: string): void {
    const route = this.routes.find(
      (r) => r.method === method.toUpperCase() && r.pattern.test(url.pathname),
    );
    this.add(check, route?.key ?? `${method.toUpperCase()} ${url.pathname}`, 'throttled');
  }

  /** The list, without operations the same check still proved a finding on. */
  entries(findings: readonly Finding[]): UntestedEntry[] {
    const found = new Set(findings.map((f) => `${f.id} ${f.location.operation ?? ''}`));
    return [...this.list.values()].filter((e) => !found.has(`${e.check} ${e.operation}`));
  }
}

/**
 * The client a check sees: the scan's client, telling `onThrottled` about every throttled answer that
 * the check did not ask to see raw (checks measuring rate limits send `retry429: false`: for them a
 * 429 is the result, not a gap).
 */
export function watchThrottles(
  http: HttpClient,
  onThrottled: (url: URL, method: string) => void,
): HttpClient {
  return {
    send: async (request) => {
      const response = await http.send(request);
      if (request.retry429 !== false && isThrottled(response)) {
        onThrottled(http.urlFor(request), request.method);
      }
      return response;
    },
    urlFor: (request) => http.urlFor(request),
    wasThrottled: (request) => http.wasThrottled(request),
    get requestCount() {
      return http.requestCount;
    },
    get throttle() {
      return http.throttle;
    },
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
