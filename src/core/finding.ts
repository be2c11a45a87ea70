// One Finding type serves audit, scan and gateway logs. Findings are data, never exceptions.

export const OWASP_CATEGORIES = [
  'API1:2023',
  'API2:2023',
  'API3:2023',
  'API4:2023',
  'API5:2023',
  'API6:2023',
  'API7:2023',
  'API8:2023',
  'API9:2023',
  'API10:2023',
] as const;
export type OwaspCategory = (typeof OWASP_CATEGORIES)[number];

export const OWASP_TITLES: Readonly<Record<OwaspCategory, string>> = {
  'API1:2023': 'Broken Object Level Authorization',
  'API2:2023': 'Broken Authentication',
  'API3:2023': 'Broken Object Property Level Authorization',
  'API4:2023': 'Unrestricted Resource Consumption',
  'API5:2023': 'Broken Function Level Authorization',
  'API6:2023': 'Unrestricted Access to Sensitive Business Flows',
  'API7:2023': 'Server Side Request Forgery',
  'API8:2023': 'Security Misconfiguration',
  'API9:2023': 'Improper Inventory Management',
  'API10:2023': 'Unsafe Consumption of APIs',
};

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CONFIDENCES = ['tentative', 'firm', 'certain'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

/** A place in a source document: 1-based line and column plus the JSON pointer (RFC 6901). */
export interface SpecLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly pointer: string;
}

export interface FindingLocation {
  readonly spec?: SpecLocation;
  /** e.g. "GET /documents/{documentId}" */
  readonly operation?: string;
  readonly url?: string;
}

export interface HttpExchange {
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: string;
  };
  readonly response?: {
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: string;
  };
}

export interface Evidence {
  /** Request and response, with secrets already redacted (see redact.ts). */
  readonly exchanges?: readonly HttpExchange[];
  /** A shell command that reproduces the finding. */
  readonly curl?: string;
  /** Free-form proof, e.g. the value that matched or the callback that arrived. */
  readonly detail?: string;
}

export interface Finding {
  /** Rule or check id, e.g. `owasp:api2:no-http-basic` or `scan:api1:bola-read`. */
  readonly id: string;
  readonly title: string;
  readonly owasp: OwaspCategory;
  /** e.g. `CWE-639` */
  readonly cwe: string;
  readonly severity: Severity;
  readonly confidence: Confidence;
  readonly message: string;
  readonly location: FindingLocation;
  /** Further places that share the cause, e.g. every operation using one schema component. */
  readonly related?: readonly FindingLocation[];
  readonly evidence?: Evidence;
  readonly remediation: string;
  /** Stable identity for baselines and de-duplication; see findingFingerprint(). */
  readonly fingerprint?: string;
}

/** A stable fingerprint: the id plus where the finding is, independent of message wording. */
export function findingFingerprint(finding: Pick<Finding, 'id' | 'location'>): string {
  const where =
    finding.location.spec?.pointer ?? finding.location.operation ?? finding.location.url ?? '';
  return `${finding.id}@${where}`;
}

// The default collator is what String.prototype.localeCompare uses without arguments (ECMA-402), so
// the order is unchanged; one collator and keys computed once per finding (not per comparison) keep
// sorting 100,000+ findings of a corpus audit cheap. Between findings of one rule id the fingerprints
// (`id@where`) share their prefix, so their places are compared directly: no fingerprint string is
// built and flattened per finding just to be thrown away.
const collator = new Intl.Collator();

export function sortFindings(findings: readonly Finding[]): Finding[] {
  const keyed = findings.map((finding) => ({
    finding,
    severity: severityRank(finding.severity),
    category: OWASP_CATEGORIES.indexOf(finding.owasp),
    where:
      finding.location.spec?.pointer ?? finding.location.operation ?? finding.location.url ?? '',
  }));
  keyed.sort((a, b) => {
    const byRank = b.severity - a.severity || a.category - b.category;
    if (byRank !== 0) return byRank;
    const idA = a.finding.id;
    const idB = b.finding.id;
    if (idA === idB) return a.where === b.where ? 0 : collator.compare(a.where, b.where);
    return (
      collator.compare(idA, idB) ||
      collator.compare(findingFingerprint(a.finding), findingFingerprint(b.finding))
    );
  });
  return keyed.map((k) => k.finding);
}
