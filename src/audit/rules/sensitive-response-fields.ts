import type { Severity } from '../../core/finding.js';
import type { AuditRule } from '../types.js';
import { snake } from '../util/names.js';
import { hasType } from '../util/schema.js';

interface SensitiveKind {
  readonly label: string;
  readonly pattern: RegExp;
  readonly severity: Severity;
  readonly confidence: 'firm' | 'tentative';
}

// Matched against snake_case names. Tokens are tentative: login and token endpoints return them
// by design, and pagination tokens are excluded.
const KINDS: readonly SensitiveKind[] = [
  {
    label: 'password',
    pattern: /(^|_)(password|passwd|pwd|passphrase)(_hash)?$/,
    severity: 'high',
    confidence: 'firm',
  },
  {
    label: 'secret',
    pattern: /(^|_)(secret|client_secret|secret_key|private_key)$/,
    severity: 'high',
    confidence: 'firm',
  },
  {
    label: 'card security code',
    pattern: /(^|_)(cvv|cvc|cvv2|cvc2|card_code|card_security_code)$/,
    severity: 'high',
    confidence: 'firm',
  },
  {
    label: 'card number',
    pattern: /(^|_)(card_number|card_no|pan|primary_account_number)$/,
    severity: 'medium',
    confidence: 'firm',
  },
  {
    label: 'social security number',
    pattern: /(^|_)(ssn|social_security_number|social_security_no)$/,
    severity: 'medium',
    confidence: 'firm',
  },
  {
    label: 'token',
    pattern: /^(token|(access|refresh|id|auth|api|bearer|session)_token)$/,
    severity: 'low',
    confidence: 'tentative',
  },
];

export const sensitiveResponseFields: AuditRule = {
  id: 'owasp:api3:sensitive-response-fields',
  owasp: 'API3:2023',
  cwe: 'CWE-213',
  severity: 'medium',
  title: 'Sensitive field in a response',
  rationale:
    'Returning passwords, secrets, full card numbers or SSNs exposes them to every client that can call the operation (OWASP API3:2023 excessive data exposure, CWE-213). `writeOnly` properties are not returned and are not reported.',
  remediation:
    'Remove the field from the response schema, mark it `writeOnly`, or return a masked form (last four digits).',
  run(ctx) {
    for (const site of ctx.schemas.sites) {
      if (!site.response || site.propertyName === undefined) continue;
      const name = snake(site.propertyName);
      const kind = KINDS.find((k) => k.pattern.test(name));
      if (!kind) continue;
      // A boolean `has_password` or a date `password_changed_at` holds no secret.
      const node = site.node;
      if (hasType(node, 'boolean') || hasType(node, 'integer') || hasType(node, 'number')) continue;
      const format = node['format'];
      if (format === 'date' || format === 'date-time') continue;
      ctx.report({
        message: `Response property '${site.propertyName}' looks like a ${kind.label}.`,
        node,
        operations: ctx.schemas.operationsOf(node, 'response'),
        severity: kind.severity,
        confidence: kind.confidence,
      });
    }
  },
};
