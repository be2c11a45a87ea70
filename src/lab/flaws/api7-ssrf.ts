// OWASP API7:2023 Server Side Request Forgery (CWE-918).
// Vulnerable: POST /documents/import fetches whatever URL it is given, with redirects followed and
// no timeout or size cap: loopback services, the private network and cloud metadata
// (169.254.169.254) are all one request away. Secure: https only (http with --allow-http-import),
// no credentials in the URL, every address the host resolves to must be public (checked after DNS,
// IPv4-mapped and other embedded forms included), the connection is pinned to the checked
// addresses, redirects are not followed, and the fetch has a deadline and a byte cap.
import { isBulwarkError } from '../../core/errors.js';
import { assertSafeUrl, pinnedLookup } from '../../core/net/address.js';
import type { LookupFunction } from 'node:net';
import type { HttpProblem } from '../http/problem.js';
import { problems } from '../http/problem.js';
import { boundedRequest, OutboundError } from '../outbound.js';
import type { LabLimits, LabOptions } from '../types.js';

export interface ImportPolicy {
  /** Fetches `url` and returns its text, or throws an HttpProblem. */
  fetchText(url: string): Promise<string>;
}

export const vulnerableImport: ImportPolicy = {
  async fetchText(url) {
    // FLAW: any URL, any address, redirects followed, no deadline, the whole body read.
    const response = await fetch(url, { redirect: 'follow' });
    return response.text();
  },
};

const TEXT_TYPES = /^(text\/[a-z0-9.+-]+|application\/(json|xml|[a-z0-9.+-]+\+(json|xml)))$/;
// Control characters other than tab and line breaks are refused, as in DocumentInput.content.
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/; // eslint-disable-line no-control-regex

export function secureImport(limits: LabLimits, options: LabOptions): ImportPolicy {
  return {
    async fetchText(url) {
      let checked;
      try {
        // FIX: scheme, credentials and every resolved address are checked BEFORE any request.
        checked = await assertSafeUrl(url, {
          allowHttp: options.allowHttpImport === true,
          ...(options.importAllowClasses ? { allowClasses: options.importAllowClasses } : {}),
          ...(options.importLookup ? { lookup: options.importLookup } : {}),
        });
      } catch (error) {
        if (isBulwarkError(error) && error.code === 'BULWARK_ERR_URL_REFUSED') {
          throw problems.badRequest('url_refused', `The URL was refused: ${error.message}.`, [
            { pointer: '/url', detail: error.message },
          ]);
        }
        throw error;
      }
      let response;
      try {
        response = await boundedRequest({
          url: checked.url,
          method: 'GET',
          headers: { accept: 'text/plain, text/*;q=0.9, application/json;q=0.8' },
          timeoutMs: limits.importTimeoutMs,
          maxBytes: limits.importMaxBytes,
          // FIX: connect only to the addresses that were checked (no DNS rebinding).
          lookup: pinnedLookup(checked.addresses) as unknown as LookupFunction,
        });
      } catch (error) {
        if (error instanceof OutboundError) throw importFailed(error.reason);
        throw error;
      }
      // FIX: a redirect is an answer, not an instruction (it could point inside the network).
      if (response.status < 200 || response.status > 299) throw importFailed(`status`);
      const type = (response.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (!type || !TEXT_TYPES.test(type)) throw importFailed('type');
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(response.body);
      } catch {
        throw importFailed('encoding');
      }
      if (CONTROL.test(text)) throw importFailed('encoding');
      return text;
    },
  };
}

const IMPORT_REASONS: Readonly<Record<string, string>> = {
  timeout: 'The URL did not answer in time.',
  too_large: 'The document at the URL is too large.',
  network: 'The URL could not be fetched.',
  status: 'The URL did not answer with a document (redirects are not followed).',
  type: 'The URL did not answer with text.',
  encoding: 'The URL answered with text that is not clean UTF-8.',
};

function importFailed(reason: string): HttpProblem {
  return problems.badGateway(
    'import_failed',
    IMPORT_REASONS[reason] ?? 'The URL could not be fetched.',
  );
}
