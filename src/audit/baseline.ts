// Baselines: a JSON file of known findings that CI suppresses, so a team can adopt the audit on an
// existing API and fail only on new problems. Entries are keyed by the spec (as given on the command
// line, made relative to the baseline's folder when it is a file) and the finding fingerprint
// (findingFingerprint: rule id + JSON pointer, independent of message wording).
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { BulwarkError } from '../core/errors.js';
import { findingFingerprint } from '../core/finding.js';
import type { Finding } from '../core/finding.js';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  readonly spec: string;
  readonly fingerprint: string;
  readonly id: string;
}

export interface Baseline {
  readonly version: 1;
  readonly findings: readonly BaselineEntry[];
}

/** How a spec is named inside a baseline: relative to the baseline's folder, with `/`. */
export function baselineSpecKey(spec: string, baselineFile: string): string {
  if (/^https?:\/\//i.test(spec)) return spec;
  const absolute = isAbsolute(spec) ? spec : resolve(spec);
  return relative(dirname(resolve(baselineFile)), absolute)
    .split('\\')
    .join('/');
}

export function buildBaseline(
  results: readonly { spec: string; findings: readonly Finding[] }[],
  baselineFile: string,
): Baseline {
  const findings: BaselineEntry[] = [];
  for (const { spec, findings: list } of results) {
    const key = baselineSpecKey(spec, baselineFile);
    for (const f of list)
      findings.push({ spec: key, fingerprint: f.fingerprint ?? findingFingerprint(f), id: f.id });
  }
  findings.sort(
    (a, b) => a.spec.localeCompare(b.spec) || a.fingerprint.localeCompare(b.fingerprint),
  );
  return { version: BASELINE_VERSION, findings };
}

export async function writeBaseline(file: string, baseline: Baseline): Promise<void> {
  try {
    await mkdir(dirname(resolve(file)), { recursive: true });
    await writeFile(file, `${JSON.stringify(baseline, null, 2)}\n`);
  } catch (cause) {
    throw new BulwarkError('BULWARK_ERR_IO', 'cannot write the baseline file', {
      cause,
      location: { file },
    });
  }
}

export async function readBaseline(file: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new BulwarkError('BULWARK_ERR_IO', 'cannot read the baseline file', {
      cause,
      location: { file },
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new BulwarkError('BULWARK_ERR_BASELINE_INVALID', 'the baseline file is not valid JSON', {
      cause,
      location: { file },
    });
  }
  const v = value as { version?: unknown; findings?: unknown };
  const valid =
    typeof value === 'object' &&
    value !== null &&
    v.version === BASELINE_VERSION &&
    Array.isArray(v.findings) &&
    v.findings.every(
      (e: unknown) =>
        typeof e === 'object' &&
        e !== null &&
        typeof (e as BaselineEntry).spec === 'string' &&
        typeof (e as BaselineEntry).fingerprint === 'string',
    );
  if (!valid) {
    throw new BulwarkError(
      'BULWARK_ERR_BASELINE_INVALID',
      'the baseline file has an unknown shape',
      {
        location: { file },
        hint: `expected { "version": ${BASELINE_VERSION}, "findings": [{ "spec", "fingerprint", "id" }] }, as written by --write-baseline`,
      },
    );
  }
  return value as Baseline;
}

/** A predicate: is this finding of this spec in the baseline? */
export function baselineMatcher(
  baseline: Baseline,
  baselineFile: string,
): (spec: string, f: Finding) => boolean {
  const known = new Set(baseline.findings.map((e) => `${e.spec}\u0000${e.fingerprint}`));
  return (spec, f) =>
    known.has(
      `${baselineSpecKey(spec, baselineFile)}\u0000${f.fingerprint ?? findingFingerprint(f)}`,
    );
}
