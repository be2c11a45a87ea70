// Inline suppression: `x-bulwark-ignore` on the node a finding is about, on its operation, or at the
// document root. Every entry must give a reason, so a suppression is a reviewed decision and not a
// silent switch-off; entries without one are not honoured and are reported back to the user.
//
//   x-bulwark-ignore:
//     owasp:api4:string-limit: free-text notes field, bounded by the gateway body limit
//   # or
//   x-bulwark-ignore:
//     - rule: owasp:api4:string-limit
//       reason: free-text notes field, bounded by the gateway body limit
import type { SpecLocation } from '../../core/finding.js';
import type { ApiModel, Extensions } from '../../core/openapi/model.js';

export const IGNORE_KEY = 'x-bulwark-ignore';
const RULE_ID = /^owasp:api([1-9]|10):[a-z0-9]+(-[a-z0-9]+)*$/;

export interface IgnoreProblem {
  readonly message: string;
  readonly location: SpecLocation | undefined;
}

type IgnoreMap = ReadonlyMap<string, string>;

function parseIgnore(
  value: unknown,
  where: SpecLocation | undefined,
  problems: IgnoreProblem[],
): IgnoreMap {
  const out = new Map<string, string>();
  const add = (rule: unknown, reason: unknown) => {
    if (typeof rule !== 'string' || !RULE_ID.test(rule)) {
      problems.push({
        message: `${IGNORE_KEY}: '${String(rule)}' is not a rule id`,
        location: where,
      });
    } else if (typeof reason !== 'string' || reason.trim() === '') {
      problems.push({
        message: `${IGNORE_KEY}: '${rule}' has no reason, so it is not honoured`,
        location: where,
      });
    } else out.set(rule, reason.trim());
  };
  if (Array.isArray(value)) {
    for (const entry of value) {
      if (typeof entry === 'object' && entry !== null) {
        const e = entry as Record<string, unknown>;
        add(e['rule'], e['reason']);
      } else add(entry, undefined);
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [rule, reason] of Object.entries(value)) add(rule, reason);
  } else {
    problems.push({ message: `${IGNORE_KEY} must be a map of rule id to reason`, location: where });
  }
  return out;
}

/**
 * Returns a lookup: for a rule and the candidate holders (a schema or other raw node, an
 * operation's extensions), the reason it is ignored, or undefined. The root is always consulted.
 */
export function readIgnores(
  model: ApiModel,
  problems: IgnoreProblem[],
): (rule: string, holders: readonly (object | undefined)[]) => string | undefined {
  const cache = new WeakMap<object, IgnoreMap | null>();
  const mapOf = (holder: object): IgnoreMap | null => {
    const cached = cache.get(holder);
    if (cached !== undefined) return cached;
    const record = holder as Record<string, unknown>;
    const ext = record['extensions'] as Extensions | undefined;
    const raw =
      record[IGNORE_KEY] ?? (typeof ext === 'object' && ext ? ext[IGNORE_KEY] : undefined);
    const parsed =
      raw === undefined ? null : parseIgnore(raw, model.locate(holder) ?? undefined, problems);
    cache.set(holder, parsed);
    return parsed;
  };
  const rootHolder = { [IGNORE_KEY]: model.extensions[IGNORE_KEY] };
  mapOf(rootHolder); // validated up front: a broken root ignore is reported even with no findings
  return (rule, holders) => {
    for (const holder of holders) {
      if (holder === undefined) continue;
      const reason = mapOf(holder)?.get(rule);
      if (reason !== undefined) return reason;
    }
    return mapOf(rootHolder)?.get(rule);
  };
}
