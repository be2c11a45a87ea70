import type { AuditRule } from '../types.js';
import { entries, protectSection } from '../util/policy.js';

const OPEN_VALUES = new Set(['open', 'allow', 'fail-open', 'failopen', 'pass', 'ignore']);

export const policyFailOpen: AuditRule = {
  id: 'owasp:api8:policy-fail-open',
  owasp: 'API8:2023',
  cwe: 'CWE-636',
  severity: 'high',
  policy: true,
  title: 'Policy: a store fails open',
  rationale:
    'If the rate-limit, session or replay store is unreachable and the gateway then lets requests through, an attacker who can slow or flood the store switches the protection off (CWE-636: not failing securely).',
  remediation: 'Fail closed (reject with 503) when a protection store is unavailable.',
  run(ctx) {
    const protect = protectSection(ctx.config);
    if (!protect) return;
    for (const e of entries(protect, ['protect'])) {
      const flag = /^fail_?open$/i.test(e.key) && e.value === true;
      const mode =
        /^(on_?(store_?)?error|on_?failure|failure_?mode|fail_?mode|on_?unavailable)$/i.test(
          e.key,
        ) &&
        typeof e.value === 'string' &&
        OPEN_VALUES.has(e.value.toLowerCase());
      if (!flag && !mode) continue;
      ctx.report({
        message: `${e.path.join('.')} lets requests through when the store fails.`,
        location: ctx.locateConfig(e.path),
      });
    }
  },
};
