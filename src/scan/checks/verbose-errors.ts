// API8:2023 / CWE-209: malformed input gets a server error or an answer with internals (stack
// frames, file paths, exception names). Sends broken JSON to operations that take JSON. A malformed
// body cannot be parsed, so nothing is created even outside --intrusive. Proof: a 5xx, or a
// stack-trace pattern in the answer, on replay too.
import { location } from '../engine/classify.js';
import { isThrottled } from '../engine/compare.js';
import { jsonMedia } from '../engine/builder.js';
import type { ScanCheck, ScanResponse } from '../types.js';

const LEAKS: readonly [RegExp, string][] = [
  [/\bat [\w$.<>]+ \((?:file:\/\/)?\/?[\w./-]+:\d+:\d+\)/, 'a JavaScript stack frame'],
  [/Traceback \(most recent call last\)/, 'a Python traceback'],
  [/\bat [\w$.]+\([\w]+\.java:\d+\)/, 'a Java stack frame'],
  [/node_modules\//, 'a node_modules path'],
  [/(SyntaxError|TypeError|ReferenceError): /, 'a JavaScript exception'],
  [
    /\/(home|usr|var|opt|srv|app)\/[\w.-]+\/[\w./-]+\.(js|ts|py|rb|php|java|go)\b/,
    'a server file path',
  ],
  [/(SQLITE_ERROR|SQLSTATE|ORA-\d{5}|syntax error at or near)/, 'a database error'],
];

export const verboseErrors: ScanCheck = {
  id: 'scan:api8:verbose-errors',
  owasp: 'API8:2023',
  cwe: 'CWE-209',
  severity: 'medium',
  confidence: 'certain',
  title: 'Malformed input gets a server error or leaks internals',
  remediation:
    'Catch parse errors and answer 400 with an RFC 9457 problem+json body that says what was wrong in the input, never a stack trace; log the details server-side only.',
  intrusive: false,
  async run(ctx) {
    const identity = ctx.identities.all.find((i) => !i.admin) ?? ctx.identities.all[0];
    for (const op of ctx.model.operations) {
      if (!['post', 'put', 'patch'].includes(op.method) || !jsonMedia(op)) continue;
      const request = ctx.builder.build(
        op,
        identity ? { identity: identity.name, owner: identity.name } : {},
      );
      if (!request) continue;
      const probe = {
        ...request,
        json: undefined,
        body: '{"bulwark": "unterminated',
        headers: { ...request.headers, 'content-type': 'application/json' },
      };
      const response = await ctx.http.send(probe);
      const problem = judge(response);
      if (!problem) continue;
      const replay = await ctx.http.send(probe);
      if (!judge(replay)) continue;
      ctx.report({
        location: location(op, response.exchange.request.url),
        cause: problem,
        message: `Malformed JSON to ${op.key} got ${response.status} with ${problem}.`,
        exchanges: [response],
      });
    }
  },
};

function judge(response: ScanResponse): string | undefined {
  const leak = LEAKS.find(([re]) => re.test(response.text));
  if (leak) return leak[1];
  // A 503 with Retry-After is the target shedding load (throttled), not an error it leaked.
  return response.status >= 500 && !isThrottled(response)
    ? `a server error (${response.status})`
    : undefined;
}
