// API7:2023 / CWE-918: server-side request forgery. Every URL-like input (`format: uri`, or names such
// as url, webhook, callback, image) is pointed at the scanner's own loopback listener, in several
// spellings of loopback, through a redirect, and with a file: URL. Proof: the listener receives the
// request carrying the unguessable token (or the answer carries /etc/passwd). Nothing else counts.
import { location, urlInputs } from '../engine/classify.js';
import type { BuiltRequest, CheckContext, ScanCheck, ScanResponse } from '../types.js';

const WAIT_MS = 2_000;

export const ssrf: ScanCheck = {
  id: 'scan:api7:ssrf',
  owasp: 'API7:2023',
  cwe: 'CWE-918',
  severity: 'high',
  confidence: 'certain',
  title: 'Server-side request forgery: the server fetches URLs it is given',
  remediation:
    'Allow only https URLs to an allow-list of hosts; resolve the name and refuse loopback, private, link-local, ULA and metadata addresses (including IPv4-mapped and numeric spellings); pin the resolved address for the connection; do not follow redirects; cap time and size.',
  intrusive: true,
  async run(ctx) {
    const identity = ctx.identities.all.find((i) => !i.admin) ?? ctx.identities.all[0];
    for (const op of ctx.model.operations) {
      for (const input of urlInputs(op)) {
        const request = ctx.builder.build(
          op,
          identity ? { identity: identity.name, owner: identity.name } : {},
        );
        if (!request) continue;
        const sent: { variant: Variant; response: ScanResponse | undefined }[] = [];
        for (const variant of variants(ctx)) {
          const response = await ctx.http
            .send(inject(request, input, variant.url))
            .catch(() => undefined);
          if (response && op.method === 'post')
            ctx.objects.harvest(op, identity?.name, response, true);
          sent.push({ variant, response });
        }
        // One shared wait: a target that fetches asynchronously gets the same grace for every variant.
        const fetched = await Promise.all(
          sent.map((s) =>
            s.variant.token
              ? ctx.callbacks.waitFor(s.variant.token, WAIT_MS)
              : Promise.resolve(false),
          ),
        );
        const landed: { variant: string; response: ScanResponse }[] = [];
        sent.forEach((s, i) => {
          const fileRead =
            s.variant.file === true &&
            s.response !== undefined &&
            /root:.*:0:0:/.test(s.response.text);
          if (s.response && (fetched[i] || fileRead))
            landed.push({ variant: s.variant.name, response: s.response });
        });
        const proof = landed[0];
        if (!proof) continue;
        ctx.report({
          location: location(op, proof.response.exchange.request.url),
          cause: `${input.in}.${input.name}`,
          message: `${op.key} fetched a URL given in ${input.in} '${input.name}': ${landed.map((l) => l.variant).join(', ')}.`,
          exchanges: landed.map((l) => l.response),
          detail: `The scanner's loopback listener received the target's request for each of: ${landed.map((l) => l.variant).join('; ')}.`,
        });
      }
    }
  },
};

interface Variant {
  readonly name: string;
  readonly url: string;
  readonly token?: string;
  readonly file?: boolean;
}

function variants(ctx: CheckContext): Variant[] {
  const out: Variant[] = [];
  const spell = (name: string, host: string): void => {
    const { token, port } = ctx.callbacks.mint(name);
    out.push({ name, url: `http://${host}:${port}/cb/${token}`, token });
  };
  spell('loopback 127.0.0.1', '127.0.0.1');
  spell('localhost', 'localhost');
  spell('decimal 2130706433', '2130706433');
  spell('hex 0x7f000001', '0x7f000001');
  spell('short 127.1', '127.1');
  spell('IPv4-mapped [::ffff:127.0.0.1]', '[::ffff:127.0.0.1]');
  const redirect = ctx.callbacks.mint('redirect');
  out.push({
    name: 'redirect to loopback',
    url: ctx.callbacks.redirectUrl(redirect.token),
    token: `${redirect.token}-via-redirect`,
  });
  out.push({ name: 'file:///etc/passwd', url: 'file:///etc/passwd', file: true });
  return out;
}

function inject(
  request: BuiltRequest,
  input: { in: 'body' | 'query'; name: string },
  url: string,
): BuiltRequest {
  if (input.in === 'query') return { ...request, query: { ...request.query, [input.name]: url } };
  const body = typeof request.json === 'object' && request.json !== null ? request.json : {};
  return { ...request, json: { ...body, [input.name]: url } };
}
