// Turns a check's confirmed draft into a Finding, with the exact (redacted) exchanges and a curl
// command for the request that proves it. One finding per check, operation and cause: repeating the
// same proof on every object would bury the report (the top complaint against peer scanners).
import type { Finding } from '../../core/finding.js';
import { findingFingerprint } from '../../core/finding.js';
import { toCurl } from '../../core/redact.js';
import type { FindingDraft, ScanCheck } from '../types.js';

export class FindingCollector {
  private readonly seen = new Set<string>();
  readonly findings: Finding[] = [];

  constructor(private readonly onFinding?: (finding: Finding) => void) {}

  add(check: ScanCheck, draft: FindingDraft): boolean {
    const where = draft.location.operation ?? draft.location.url ?? '';
    const key = `${check.id}@${where}#${draft.cause ?? ''}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    const exchanges = draft.exchanges.map((r) => r.exchange);
    // The last exchange is the proof by convention; earlier ones are the controls.
    const proof = exchanges.at(-1);
    const base = {
      id: check.id,
      title: check.title,
      owasp: check.owasp,
      cwe: check.cwe,
      severity: draft.severity ?? check.severity,
      confidence: draft.confidence ?? check.confidence,
      message: draft.message,
      location: draft.location,
      remediation: check.remediation,
      evidence: {
        exchanges,
        ...(proof ? { curl: toCurl(proof) } : {}),
        ...(draft.detail === undefined ? {} : { detail: draft.detail }),
      },
    };
    const finding: Finding = {
      ...base,
      fingerprint: `${findingFingerprint(base)}${draft.cause ? `#${draft.cause}` : ''}`,
    };
    this.findings.push(finding);
    this.onFinding?.(finding);
    return true;
  }
}
