// POST and GET /api/v2/invitations
import { callerOf, type RouteDef } from '../types.js';

export const createInvitation: RouteDef = {
  auth: true,
  body: true,
  handle(ctx, req) {
    const caller = callerOf(req);
    const body = ctx.flaws.properties.input('InvitationRequest', req.body);
    const email = String(body['email'] ?? '');
    const now = Date.now();
    // Check and insert run without an await between them, so concurrent requests cannot both pass
    // a quota check for the last slot.
    ctx.flaws.flows.checkInvitationQuota(ctx.store, caller, now);
    const id = ctx.flaws.objects.newId('invitations');
    ctx.store.insertInvitation(
      { id, inviter_id: caller.id, email, created_ms: now },
      {
        subject: `${caller.name} invited you to the Bulwark lab`,
        body: `${caller.name} <${caller.email}> invited you. Register at /api/v2/users.`,
      },
    );
    return { status: 202, body: { id } };
  },
};

export const listInvitations: RouteDef = {
  auth: true,
  body: false,
  handle(ctx, req) {
    const rows = ctx.store.invitationsFor(callerOf(req).id);
    return {
      status: 200,
      body: { items: rows.map((r) => ({ id: r.id, email: r.email, created_at: r.created_at })) },
    };
  },
};
