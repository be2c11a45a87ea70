// POST /api/v2/auth/login
import { dummyHash, verifyPassword } from '../password.js';
import type { RouteDef } from '../types.js';

export const login: RouteDef = {
  auth: false,
  body: true,
  async handle(ctx, req) {
    const { login: policy, tokens, properties } = ctx.flaws;
    const body = properties.input('LoginRequest', req.body);
    const email = String(body['email'] ?? '');
    const password = String(body['password'] ?? '');
    const now = Date.now();
    policy.before(email, req.ip, now);
    const user = ctx.store.userByEmail(email);
    // The hash is checked even for an unknown email, so both failures take the same time.
    const ok = await verifyPassword(password, user?.password_hash ?? (await dummyHash()));
    if (!user || !ok) {
      policy.failed(email, req.ip, now);
      throw policy.failure(user ? 'wrong_password' : 'unknown_email');
    }
    policy.succeeded(email);
    const { token, expiresIn } = await tokens.issue(user);
    return {
      status: 200,
      body: { access_token: token, token_type: 'Bearer', expires_in: expiresIn },
    };
  },
};
