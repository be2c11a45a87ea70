// API3:2023 / CWE-213: answers expose sensitive properties (password hashes, secrets, keys, internal
// notes), found by name and by value shape, or properties the response schema does not declare.
// Proof: the property is in the identity's own answer, and a replay returns it again.
import type { Operation, Schema } from '../../core/openapi/model.js';
import { isLoginLike, location } from '../engine/classify.js';
import { ok, walkJson } from '../engine/compare.js';
import type { ScanCheck, ScanResponse } from '../types.js';

const SENSITIVE_NAME =
  /(passw|passwd|pwd|secret|private_?key|api_?key|access_?key|signing_?key|hash|salt|ssn|social_?security|card_?number|credit_?card|cvv|internal|otp|mfa|totp|recovery_?code|token)/i;
const SENSITIVE_VALUE: readonly [RegExp, string][] = [
  [/^\$2[aby]?\$\d{2}\$[./A-Za-z0-9]{53}$/, 'a bcrypt hash'],
  [/^\$argon2(id|i|d)\$/, 'an Argon2 hash'],
  [/^(pbkdf2|scrypt)[:$]/i, 'a PBKDF2/scrypt hash'],
  [/^-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a PEM private key'],
  [/^(AKIA|ASIA)[A-Z0-9]{16}$/, 'an AWS access key id'],
];

export const sensitiveData: ScanCheck = {
  id: 'scan:api3:sensitive-data',
  owasp: 'API3:2023',
  cwe: 'CWE-213',
  severity: 'high',
  confidence: 'certain',
  title: 'Responses expose sensitive or undeclared properties',
  remediation:
    'Serialise responses through an explicit allow-list (a response DTO or the response schema with additionalProperties: false); never return a database row as is.',
  intrusive: false,
  async run(ctx) {
    for (const [key, baseline] of ctx.baselines) {
      const [identity, ...rest] = key.split(' ');
      const op = ctx.model.operations.find((o) => o.key === rest.join(' '));
      if (!op || identity === '-' || !ok(baseline) || baseline.json === undefined) continue;
      const declared = declaredNames(op, baseline.status);
      const problems = inspect(baseline, declared, isLoginLike(op));
      if (problems.length === 0) continue;
      const replay = await ctx.http.send({
        method: baseline.exchange.request.method,
        url: baseline.exchange.request.url,
        ...(identity === undefined ? {} : { identity }),
      });
      for (const problem of problems) {
        if (!replay.text.includes(`"${problem.key}"`)) continue;
        ctx.report({
          location: location(op, baseline.exchange.request.url),
          cause: `${problem.kind}:${problem.key}`,
          severity: problem.severity,
          message: `${op.key} returns '${problem.key}' (${problem.why}).`,
          exchanges: [replay],
          detail: `Property at ${problem.path}: ${problem.why}. Values are redacted in this report.`,
        });
      }
    }
  },
};

interface Problem {
  readonly key: string;
  readonly path: string;
  readonly kind: string;
  readonly why: string;
  readonly severity: 'high' | 'medium' | 'low';
}

function inspect(
  response: ScanResponse,
  declared: Set<string> | undefined,
  login: boolean,
): Problem[] {
  const out: Problem[] = [];
  walkJson(response.json, (key, value, path) => {
    const undeclared = declared !== undefined && !declared.has(key);
    const shape =
      typeof value === 'string' ? SENSITIVE_VALUE.find(([re]) => re.test(value)) : undefined;
    if (shape) {
      out.push({ key, path, kind: 'value', why: `its value is ${shape[1]}`, severity: 'high' });
    } else if (SENSITIVE_NAME.test(key) && !(login && /token|expires/i.test(key))) {
      out.push({
        key,
        path,
        kind: 'name',
        why: undeclared
          ? 'a sensitive name, not declared in the response schema'
          : 'a sensitive name',
        severity: undeclared ? 'high' : 'medium',
      });
    } else if (undeclared) {
      out.push({
        key,
        path,
        kind: 'undeclared',
        why: 'not declared in the response schema',
        severity: 'low',
      });
    }
  });
  const seen = new Set<string>();
  return out.filter((p) => !seen.has(`${p.kind}:${p.key}`) && seen.add(`${p.kind}:${p.key}`));
}

/** Every property name the response schema declares anywhere; undefined when it allows anything. */
function declaredNames(op: Operation, status: number): Set<string> | undefined {
  const response =
    op.responses.find((r) => r.status === String(status)) ??
    op.responses.find((r) => r.status === `${String(status)[0]}XX`) ??
    op.responses.find((r) => r.status === 'default');
  const schema = response?.content.find((m) => /json/i.test(m.mediaType))?.schema;
  if (schema === undefined || typeof schema !== 'object') return undefined;
  const names = new Set<string>();
  let open = false;
  const seen = new Set<object>();
  const visit = (node: Schema | undefined): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    const properties = node['properties'] as Record<string, Schema> | undefined;
    for (const [k, v] of Object.entries(properties ?? {})) {
      names.add(k);
      visit(v);
    }
    // A bare `type: object` with no properties declares a free-form map: anything goes.
    if (!properties && node['type'] === 'object' && node['additionalProperties'] !== false) {
      open = true;
    }
    if (typeof node['additionalProperties'] === 'object')
      visit(node['additionalProperties'] as Schema);
    visit(node['items'] as Schema | undefined);
    for (const k of ['allOf', 'oneOf', 'anyOf'] as const) {
      for (const part of (node[k] as Schema[] | undefined) ?? []) visit(part);
    }
  };
  visit(schema);
  return open && names.size === 0 ? undefined : names;
}
