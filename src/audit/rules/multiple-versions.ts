import type { AuditRule } from '../types.js';
import { allServers, expandServerUrl } from '../util/servers.js';

const VERSION_SEGMENT = /\/(v\d+(?:\.\d+)?)(?=\/|$)/i;

export const multipleVersions: AuditRule = {
  id: 'owasp:api9:multiple-versions',
  owasp: 'API9:2023',
  cwe: 'CWE-1059',
  severity: 'low',
  title: 'Several API versions served side by side',
  rationale:
    'Old versions kept next to new ones often miss the fixes and controls of the new version, and attackers use them to bypass it (OWASP API9:2023).',
  remediation:
    'Retire old versions with a sunset date, or describe each version in its own document with its own lifecycle.',
  run(ctx) {
    const byVersion = new Map<string, string[]>();
    for (const op of ctx.model.operations) {
      const version = VERSION_SEGMENT.exec(op.path)?.[1]?.toLowerCase();
      if (version) byVersion.set(version, [...(byVersion.get(version) ?? []), op.key]);
    }
    for (const server of allServers(ctx.model)) {
      const version = VERSION_SEGMENT.exec(expandServerUrl(server))?.[1]?.toLowerCase();
      if (version && !byVersion.has(version)) byVersion.set(version, []);
    }
    if (byVersion.size < 2) return;
    const versions = [...byVersion.keys()].sort((a, b) =>
      a.localeCompare(b, undefined, { numeric: true }),
    );
    const older = versions.slice(0, -1).flatMap((v) => byVersion.get(v) ?? []);
    ctx.report({
      message: `The description serves ${versions.length} versions side by side: ${versions.join(', ')}.`,
      location: ctx.model.locatePointer('/info/version') ?? ctx.locate(undefined),
      operations: older,
    });
  },
};
