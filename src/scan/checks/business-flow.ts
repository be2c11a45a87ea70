// API6:2023 / CWE-799: a sensitive business flow can be repeated without throttle or quota. Flows are
// named in config (scan.sensitiveFlows) or found by words such as invite, signup, purchase, reset and
// transfer. The flow is repeated scan.flowRepeats times as one identity. Proof: every repetition
// succeeded and none was throttled. Heuristic flows are reported low/tentative: only the owner of the
// API knows which flows are sensitive, so config-named flows carry the real severity.
import { isConfiguredFlow, isSensitiveFlow, location } from '../engine/classify.js';
import { ok } from '../engine/compare.js';
import type { ScanCheck, ScanResponse } from '../types.js';

export const businessFlow: ScanCheck = {
  id: 'scan:api6:unthrottled-flow',
  owasp: 'API6:2023',
  cwe: 'CWE-799',
  severity: 'medium',
  confidence: 'firm',
  title: 'A sensitive business flow can be repeated without limit',
  remediation:
    'Put a per-account and per-client quota on the flow (for example 10 invitations per user per day, answering 429 with Retry-After), and add friction (CAPTCHA, verification) where abuse is cheap.',
  intrusive: true,
  async run(ctx) {
    const identity = ctx.identities.all.find((i) => !i.admin);
    for (const op of ctx.model.operations) {
      if (!isSensitiveFlow(op, ctx.settings)) continue;
      const configured = isConfiguredFlow(op, ctx.settings);
      const request = ctx.builder.build(
        op,
        identity ? { identity: identity.name, owner: identity.name } : {},
      );
      if (!request) continue;
      // Throttled earlier in the scan: the flow has a limit already, repeating it proves nothing.
      if (ctx.http.wasThrottled(request)) {
        ctx.note(`unthrottled-flow: ${op.key} was throttled earlier in the scan: it has a limit`);
        continue;
      }
      const answers: ScanResponse[] = [];
      for (let i = 0; i < ctx.settings.flowRepeats && !ctx.signal.aborted; i++) {
        // A fresh body each time (unique emails): a quota, not a duplicate check, must stop us.
        const body = ctx.builder.body(op, false);
        const answer = await ctx.http.send({
          ...request,
          ...(body === undefined ? {} : { json: body }),
          retry429: false,
        });
        answers.push(answer);
        ctx.objects.harvest(op, identity?.name, answer, true);
        if (!ok(answer)) break;
      }
      if (answers.length < ctx.settings.flowRepeats || !answers.every(ok)) continue;
      const last = answers.at(-1) as ScanResponse;
      ctx.report({
        location: location(op, last.exchange.request.url),
        severity: configured ? 'medium' : 'low',
        confidence: configured ? 'firm' : 'tentative',
        message: `${op.key} succeeded ${answers.length} times in a row for '${identity?.name ?? 'anonymous'}' with no throttle or quota.`,
        exchanges: [answers[0] as ScanResponse, last],
        detail: `${configured ? 'Named as a sensitive flow in config' : 'Sensitive by name (heuristic)'}; statuses: ${answers.map((a) => a.status).join(' ')}.`,
      });
    }
  },
};
