// OWASP API6:2023 Unrestricted Access to Sensitive Business Flows (CWE-799, CWE-837).
// Vulnerable: POST /invitations sends as many emails as a script asks for (spam through our
// domain). Secure: at most `invitationsPerDay` invitations per user in any rolling 24 hours,
// counted in the database (so the quota is exact and survives nothing but a reseed), then 429.
import type { LabStore, UserRow } from '../db/store.js';
import { problems } from '../http/problem.js';
import type { LabLimits } from '../types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface FlowPolicy {
  /** Throws 429 when the caller has used up the invitation quota. */
  checkInvitationQuota(store: LabStore, caller: UserRow, now: number): void;
}

export const vulnerableFlows: FlowPolicy = {
  checkInvitationQuota: () => {}, // FLAW: no quota
};

export function secureFlows(limits: LabLimits): FlowPolicy {
  return {
    checkInvitationQuota(store, caller, now) {
      // FIX: count this user's invitations in the last 24 h; the oldest one says when to retry.
      const { n, oldest } = store.invitationsSince(caller.id, now - DAY_MS);
      if (n >= limits.invitationsPerDay) {
        const retryMs = (oldest ?? now) + DAY_MS - now;
        throw problems.tooManyRequests(
          'invitation_quota',
          retryMs / 1000,
          'The daily invitation quota is used up.',
        );
      }
    },
  };
}
