// API2:2023 / CWE-307: one GraphQL request carrying many login attempts (aliases, or a batch array)
// slips past per-request throttling: ten guesses cost one request. The probe uses an account the
// scanner invents, so no real account is locked. Proof: every attempt in the one request answered.
import { getNamedType, isObjectType, type GraphQLField } from 'graphql';
import { graphqlOperations, introspect, scalarSelection, send } from '../graphql/client.js';
import { location } from '../engine/classify.js';
import type { ScanCheck } from '../types.js';

const ATTEMPTS = 10;

function loginField(fields: readonly GraphQLField<unknown, unknown>[]) {
  for (const f of fields) {
    if (!/log_?in|sign_?in|authenticate/i.test(f.name)) continue;
    const pass = f.args.find((a) => /pass/i.test(a.name));
    const user = f.args.find((a) => /email|user|login|name|account/i.test(a.name) && a !== pass);
    if (pass && user && f.args.filter((a) => String(a.type).endsWith('!')).length <= 2)
      return { f, pass, user };
  }
  return undefined;
}

export const graphqlBatchLogin: ScanCheck = {
  id: 'scan:api2:graphql-batch-login',
  owasp: 'API2:2023',
  cwe: 'CWE-307',
  severity: 'high',
  confidence: 'certain',
  title: 'GraphQL aliases or batches multiply login attempts',
  remediation:
    'Count each aliased or batched login as an attempt, cap aliases and batch length for the whole request (bulwark protect), and throttle per account.',
  intrusive: true,
  async run(ctx) {
    for (const op of graphqlOperations(ctx.model)) {
      const schema = await introspect(ctx, op);
      const mutation = schema?.getMutationType();
      const login = mutation ? loginField(Object.values(mutation.getFields())) : undefined;
      if (!login) {
        ctx.note(`${op.key}: no login mutation found (introspection off or none)`);
        continue;
      }
      const type = getNamedType(login.f.type);
      const sel = isObjectType(type) ? ` { ${scalarSelection(type)} }` : '';
      const account = `bulwark-scan-${Date.now().toString(36)}@example.invalid`;
      const calls = Array.from(
        { length: ATTEMPTS },
        (_, i) =>
          `a${i}: ${login.f.name}(${login.user.name}: "${account}", ${login.pass.name}: "wrong-${i}")${sel}`,
      );
      const a = await send(ctx, op, { query: `mutation { ${calls.join(' ')} }` }, null);
      const answered = Object.keys(a.data ?? {}).length;
      const throttled = /too many|rate|throttl|429/i.test(JSON.stringify(a.errors));
      if (a.response.status === 200 && !throttled && answered === ATTEMPTS) {
        ctx.report({
          location: location(op, a.response.exchange.request.url),
          message: `${ATTEMPTS} login attempts in one request (aliases of ${login.f.name}) were all evaluated.`,
          exchanges: [a.response],
        });
      }
    }
  },
};
