// The demo's verdict, computed from this run's findings only: for each OWASP category, the findings
// the scan made against the lab directly, and whether the same attack (same check, same operation,
// same cause: the finding's fingerprint) still succeeded through the gateway.
import {
  findingFingerprint,
  OWASP_CATEGORIES,
  OWASP_TITLES,
  type Finding,
  type OwaspCategory,
} from '../../core/finding.js';
import type { Refusals } from './metrics.js';

export type GatewayVerdict =
  'blocked' | 'partly blocked' | 'open' | 'not re-tested' | 'nothing found directly';

export interface CategoryRow {
  readonly owasp: OwaspCategory;
  readonly title: string;
  /** The audit's 0-100 score for the category, when the audit scored it. */
  readonly auditScore: number | undefined;
  readonly direct: readonly Finding[];
  /** Direct findings whose attack still succeeded through the gateway. */
  readonly stillOpen: readonly Finding[];
  /** Direct findings whose check did not run through the gateway (skipped or interrupted). */
  readonly notRetested: readonly Finding[];
  /** Findings made through the gateway only. */
  readonly onlyThroughGateway: readonly Finding[];
  readonly verdict: GatewayVerdict;
  /** Gateway refusals (code -> count) on the operations this category's direct findings name. */
  readonly refusals: ReadonlyMap<string, number>;
}

export interface CompareInput {
  readonly direct: readonly Finding[];
  readonly gateway: readonly Finding[];
  /** Check ids that ran in the scan through the gateway. */
  readonly gatewayChecksRun: readonly string[];
  readonly auditScores: Readonly<Partial<Record<OwaspCategory, number>>>;
  readonly refusals: Refusals;
  /** Operation keys of the spec (`GET /api/v2/users/me`) and their path templates. */
  readonly operations: readonly { readonly key: string; readonly path: string }[];
}

const fingerprint = (f: Finding): string => f.fingerprint ?? findingFingerprint(f);

export function compareRuns(input: CompareInput): CategoryRow[] {
  const gatewayPrints = new Set(input.gateway.map(fingerprint));
  const ran = new Set(input.gatewayChecksRun);
  const isDocumented = documentedPathMatcher(input.operations);
  return OWASP_CATEGORIES.map((owasp) => {
    const direct = input.direct.filter((f) => f.owasp === owasp);
    const directPrints = new Set(direct.map(fingerprint));
    const stillOpen = direct.filter((f) => gatewayPrints.has(fingerprint(f)));
    const notRetested = direct.filter((f) => !gatewayPrints.has(fingerprint(f)) && !ran.has(f.id));
    const onlyThroughGateway = input.gateway.filter(
      (f) => f.owasp === owasp && !directPrints.has(fingerprint(f)),
    );
    return {
      owasp,
      title: OWASP_TITLES[owasp],
      auditScore: input.auditScores[owasp],
      direct,
      stillOpen,
      notRetested,
      onlyThroughGateway,
      verdict: verdictOf(direct.length, stillOpen.length, notRetested.length),
      refusals: refusalsFor(direct, input.refusals, isDocumented),
    };
  });
}

function verdictOf(direct: number, open: number, untested: number): GatewayVerdict {
  if (direct === 0) return 'nothing found directly';
  if (open === direct) return 'open';
  if (untested === direct) return 'not re-tested';
  if (open === 0 && untested === 0) return 'blocked';
  return 'partly blocked';
}

/**
 * What the gateway refused on the operations the findings name. A finding whose evidence went to a
 * path the spec does not describe (an old `/api/v1` route, a debug endpoint) counts the gateway's
 * `undocumented` refusals too, since that is the label the gateway gives such requests.
 */
function refusalsFor(
  findings: readonly Finding[],
  refusals: Refusals,
  isDocumented: (path: string) => boolean,
): Map<string, number> {
  const operations = new Set<string>();
  for (const f of findings) {
    if (f.location.operation) operations.add(f.location.operation);
    for (const exchange of f.evidence?.exchanges ?? []) {
      const path = pathOf(exchange.request.url);
      if (path !== undefined && !isDocumented(path)) operations.add('undocumented');
    }
  }
  const codes = new Map<string, number>();
  for (const operation of operations) {
    for (const [code, n] of refusals.byOperation.get(operation) ?? []) {
      codes.set(code, (codes.get(code) ?? 0) + n);
    }
  }
  return codes;
}

function pathOf(url: string): string | undefined {
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

function documentedPathMatcher(
  operations: readonly { readonly path: string }[],
): (path: string) => boolean {
  const patterns = [...new Set(operations.map((o) => o.path))].map(
    (template) =>
      new RegExp(
        `^${template
          .split(/\{[^}]*\}/)
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('[^/]+')}$`,
      ),
  );
  return (path) => patterns.some((p) => p.test(path));
}
