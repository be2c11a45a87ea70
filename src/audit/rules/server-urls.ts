import { classifyAddress, isIpLiteral } from '../../core/net/address.js';
import type { AuditRule } from '../types.js';
import { allServers, serverHost } from '../util/servers.js';

// Host labels that name a non-production or internal environment.
const ENV_LABEL =
  /^(dev|devel|develop|development|staging|stage|stg|qa|uat|test|testing|internal|intranet|corp|preprod|local|localhost)$/;
const INTERNAL_SUFFIX = /(\.local|\.localhost|\.internal|\.intranet|\.corp|\.lan|\.home\.arpa)$/;

function whyInternal(host: string): string | undefined {
  if (host === 'localhost' || INTERNAL_SUFFIX.test(host)) return 'a local or internal host name';
  if (isIpLiteral(host)) {
    const kind = classifyAddress(host);
    return kind === 'public' ? undefined : `a ${kind} address`;
  }
  const label = host.split(/[.-]/).find((part) => ENV_LABEL.test(part));
  return label ? `a '${label}' environment host` : undefined;
}

export const serverUrls: AuditRule = {
  id: 'owasp:api9:server-urls',
  owasp: 'API9:2023',
  cwe: 'CWE-200',
  severity: 'medium',
  title: 'Server URL points at a local, private or non-production host',
  rationale:
    'Published descriptions that list localhost, private or link-local addresses, or dev/staging/internal hosts reveal internal topology and invite attacks on weaker, unmonitored environments (OWASP API9:2023 improper inventory, CWE-200).',
  remediation:
    'Publish only production servers; keep internal and staging servers in a separate, private description.',
  run(ctx) {
    for (const server of allServers(ctx.model)) {
      const host = serverHost(server);
      if (host === undefined) continue;
      const why = whyInternal(host);
      if (!why) continue;
      ctx.report({ message: `Server '${server.url}' is ${why}.`, location: server.location });
    }
  },
};
