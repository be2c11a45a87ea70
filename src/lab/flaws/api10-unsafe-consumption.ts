// OWASP API10:2023 Unsafe Consumption of APIs (CWE-20, CWE-1284, CWE-400).
// Vulnerable: the classifier's reply is trusted whole: any `label` of any type is stored, redirects
// are followed, and there is neither deadline nor size cap, so a compromised or hostile classifier
// can write arbitrary data into documents or hang the request. Secure: the reply must be JSON that
// matches ClassifierReply (label in an enum, 0 <= score <= 1), within 2 s and 64 KiB, without
// redirects; anything else is 502 and the document is left as it was.
import { problems } from '../http/problem.js';
import { boundedRequest, OutboundError } from '../outbound.js';
import type { LabSpec } from '../spec.js';
import type { LabLimits } from '../types.js';

export interface ClassifierPolicy {
  /** Asks the classifier about `text` and returns the label to store. */
  classify(classifierUrl: string, text: string): Promise<string>;
}

export const vulnerableClassifier: ClassifierPolicy = {
  async classify(classifierUrl, text) {
    // FLAW: redirects followed, no deadline, no size cap, no schema: whatever comes back is stored.
    const response = await fetch(classifierUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
      redirect: 'follow',
    });
    const reply = (await response.json()) as { label?: unknown };
    return typeof reply.label === 'string' ? reply.label : JSON.stringify(reply.label ?? null);
  },
};

export function secureClassifier(limits: LabLimits, spec: LabSpec): ClassifierPolicy {
  const validate = spec.validators.ClassifierReply;
  return {
    async classify(classifierUrl, text) {
      let response;
      try {
        response = await boundedRequest({
          url: new URL(classifierUrl),
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ text }),
          timeoutMs: limits.classifierTimeoutMs, // FIX: a deadline
          maxBytes: limits.classifierMaxBytes, // FIX: a size cap
        });
      } catch (error) {
        if (error instanceof OutboundError)
          throw badReply(`the classifier failed (${error.reason})`);
        throw error;
      }
      // FIX: no redirects (boundedRequest never follows them) and only a 200 counts.
      if (response.status !== 200) throw badReply('the classifier answered with an error status');
      let reply: unknown;
      try {
        reply = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(response.body));
      } catch {
        throw badReply('the classifier answer is not JSON');
      }
      // FIX: the reply is validated against its schema before anything is stored.
      if (!validate(reply)) throw badReply('the classifier answer breaks its schema');
      return (reply as { label: string }).label;
    },
  };
}

function badReply(detail: string) {
  return problems.badGateway('classifier_bad_reply', `The document was not changed: ${detail}.`);
}
