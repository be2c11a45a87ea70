// Audits one API description: load it, run the rule table, and return plain data (so the result
// can cross a worker_threads boundary unchanged).
import { toBulwarkError } from '../core/errors.js';
import type { BulwarkError } from '../core/errors.js';
import type { ErrorLocation } from '../core/errors.js';
import { findingFingerprint, type Finding, type FindingLocation } from '../core/finding.js';
import { loadSpec } from '../core/openapi/load.js';
import type { BulwarkConfig } from '../core/config/types.js';
import { auditModel, type RuleOverride } from './engine/run.js';
import type { IgnoreProblem } from './engine/ignore.js';
import { rules } from './registry.js';

export interface SpecError {
  readonly code: BulwarkError['code'];
  readonly message: string;
  readonly location?: ErrorLocation;
  readonly hint?: string;
  readonly line: string;
}

export interface SpecResult {
  readonly source: string;
  readonly explicit: boolean;
  readonly findings: Finding[];
  readonly ignored: {
    readonly id: string;
    readonly fingerprint: string;
    readonly reason: string;
  }[];
  readonly ignoreProblems: IgnoreProblem[];
  /** Rules that threw on this spec (bugs); the run exits 2 when there are any. */
  readonly failures: { readonly rule: string; readonly message: string }[];
  readonly operations: number;
  readonly error?: SpecError;
  readonly ms: number;
}

export interface AuditOneOptions {
  readonly cwd: string;
  readonly overrides?: Readonly<Record<string, RuleOverride>>;
  readonly config?: BulwarkConfig;
  readonly signal?: AbortSignal;
  readonly allowRemoteRefs?: boolean;
}

export function specError(error: unknown): SpecError {
  const e = toBulwarkError(error);
  return {
    code: e.code,
    message: e.message,
    line: e.toLine(),
    ...(e.location ? { location: e.location } : {}),
    ...(e.hint ? { hint: e.hint } : {}),
  };
}

export async function auditOne(
  source: string,
  explicit: boolean,
  options: AuditOneOptions,
): Promise<SpecResult> {
  const started = performance.now();
  const base = {
    source,
    explicit,
    findings: [],
    ignored: [],
    ignoreProblems: [],
    failures: [],
    operations: 0,
  };
  let model;
  try {
    model = await loadSpec(source, {
      cwd: options.cwd,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.allowRemoteRefs ? { allowRemoteRefs: true } : {}),
    });
  } catch (error) {
    return { ...base, error: specError(error), ms: performance.now() - started };
  }
  const result = auditModel(model, {
    rules,
    ...(options.overrides ? { overrides: options.overrides } : {}),
    ...(options.config ? { config: options.config } : {}),
  });
  const own = ownStrings();
  return {
    ...base,
    findings: result.findings.map((f) => detach(f, own)),
    ignored: result.ignored.map(({ finding, reason }) => ({
      id: finding.id,
      fingerprint: finding.fingerprint ?? '',
      reason,
    })),
    ignoreProblems: result.ignoreProblems,
    failures: result.failures,
    operations: model.operations.length,
    ms: performance.now() - started,
  };
}

/**
 * A finding that keeps nothing of its spec alive. Strings cut from a spec's text (names, paths,
 * examples) are V8 slices that hold the whole text, a few MB per spec: across a corpus run the held
 * findings kept every spec's text in memory (issue 8, peak RSS). Copying the strings that come from
 * the spec releases the text with the model (pointers end in a key of the spec, and fingerprints in
 * a pointer). Operation keys repeat across findings and share one copy.
 */
function detach(finding: Finding, operationKey: (key: string) => string): Finding {
  const detail = finding.evidence?.detail;
  const location = detachLocation(finding.location, operationKey);
  return {
    ...finding,
    message: copy(finding.message),
    location,
    ...(finding.related
      ? { related: finding.related.map((r) => detachLocation(r, operationKey)) }
      : {}),
    ...(detail === undefined ? {} : { evidence: { ...finding.evidence, detail: copy(detail) } }),
    // The same text as before (id and pointer), now sharing the pointer's copy.
    ...(finding.fingerprint === undefined
      ? {}
      : { fingerprint: findingFingerprint({ id: finding.id, location }) }),
  };
}

function detachLocation(
  location: FindingLocation,
  operationKey: (key: string) => string,
): FindingLocation {
  const { spec, operation, url } = location;
  return {
    ...location,
    ...(spec ? { spec: { ...spec, pointer: copy(spec.pointer) } } : {}),
    ...(operation === undefined ? {} : { operation: operationKey(operation) }),
    ...(url === undefined ? {} : { url: copy(url) }),
  };
}

// eslint-disable-next-line no-control-regex -- any character beyond Latin-1
const BEYOND_LATIN1 = /[^\u0000-\u00ff]/;

/**
 * A fresh flat string with the same text. A spec with one character beyond Latin-1 is decoded into a
 * two-byte string, and so is every slice of it; a Latin-1 round trip stores the copy in one byte per
 * character, which halves what the held findings of a corpus run take.
 */
function copy(text: string): string {
  // Shorter strings are never slices in V8 (SlicedString::kMinLength is 13).
  if (text.length < 13) return text;
  if (BEYOND_LATIN1.test(text)) return ` ${text}`.slice(1);
  return Buffer.from(text, 'latin1').toString('latin1');
}

/** A copier that shares the copy of equal strings (within one spec's findings). */
function ownStrings(): (text: string) => string {
  const copies = new Map<string, string>();
  return (text) => {
    let own = copies.get(text);
    if (own === undefined) {
      own = copy(text);
      copies.set(text, own);
    }
    return own;
  };
}
