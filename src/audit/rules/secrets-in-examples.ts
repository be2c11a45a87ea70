import type { SpecLocation } from '../../core/finding.js';
import type { AuditRule, RuleContext } from '../types.js';
import { detectSecret } from '../util/secrets.js';

const MAX_DEPTH = 12;
const MAX_VALUES = 5_000;

function escapePointer(token: string): string {
  if (!token.includes('~') && !token.includes('/')) return token;
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Walks one example value, reporting each secret-looking string once, at its own line. The pointer
 * tokens are kept on a stack and joined only for a hit: examples are large and hits rare.
 */
function scanValue(
  ctx: RuleContext,
  value: unknown,
  base: SpecLocation,
  suffix: string,
  holder: object | undefined,
): void {
  let budget = MAX_VALUES;
  const tokens: string[] = [];
  const visit = (v: unknown, key: string | undefined, depth: number): void => {
    if (budget-- <= 0 || depth > MAX_DEPTH) return;
    if (typeof v === 'string') {
      const hit = detectSecret(v, key);
      if (!hit) return;
      const path = tokens.map((t) => `/${t}`).join('');
      const pointer = `${base.pointer}${suffix}${path}`;
      ctx.report({
        message: `Example value${key ? ` of '${key}'` : ''} looks like a real secret (${hit.kind}).`,
        location: ctx.model.locatePointer(pointer, base.file) ?? { ...base, pointer },
        confidence: hit.confidence,
        ...(holder ? { node: holder } : {}),
      });
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        tokens.push(String(i));
        visit(v[i], key, depth + 1);
        tokens.pop();
      }
    } else if (typeof v === 'object' && v !== null) {
      for (const k of Object.keys(v)) {
        tokens.push(escapePointer(k));
        visit((v as Record<string, unknown>)[k], k, depth + 1);
        tokens.pop();
      }
    }
  };
  visit(value, undefined, 0);
}

export const secretsInExamples: AuditRule = {
  id: 'owasp:api2:secrets-in-examples',
  owasp: 'API2:2023',
  cwe: 'CWE-798',
  severity: 'high',
  title: 'Secret or token in an example',
  rationale:
    'Published API descriptions are read by everyone; a real key pasted into an `example` is a leaked credential (CWE-798). Known key formats are matched exactly; other values under credential-like names must also look random (Shannon entropy).',
  remediation: 'Revoke the credential, and replace the example with an obvious placeholder.',
  run(ctx) {
    const seen = new Set<unknown>();
    const scanHolder = (
      holder: Record<string, unknown>,
      base: SpecLocation | undefined,
      node?: object,
    ) => {
      if (!base || seen.has(holder)) return;
      seen.add(holder);
      if (holder['example'] !== undefined)
        scanValue(ctx, holder['example'], base, '/example', node);
      const examples = holder['examples'];
      if (examples && typeof examples === 'object') {
        for (const [name, ex] of Object.entries(examples as Record<string, unknown>)) {
          // OpenAPI 3 Example Objects hold the value under `value`; 3.1 schemas use a plain array.
          const isExampleObject = typeof ex === 'object' && ex !== null && 'value' in ex;
          const value = isExampleObject ? (ex as { value: unknown }).value : ex;
          const suffix = `/examples/${escapePointer(name)}${isExampleObject ? '/value' : ''}`;
          scanValue(ctx, value, base, suffix, node);
        }
      }
    };
    for (const op of ctx.model.operations) {
      for (const param of op.parameters) scanHolder(param as never, param.location, param);
      for (const media of op.requestBody?.content ?? []) scanHolder(media as never, media.location);
      for (const response of op.responses)
        for (const media of response.content) scanHolder(media as never, media.location);
    }
    for (const site of ctx.schemas.sites) {
      const where = ctx.model.locate(site.node);
      if (where) scanHolder(site.node as Record<string, unknown>, where, site.node);
    }
  },
};
