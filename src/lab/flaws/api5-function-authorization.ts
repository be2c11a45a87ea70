// OWASP API5:2023 Broken Function Level Authorization (CWE-285).
// Vulnerable: the admin routes check only that the caller is logged in. Secure: they require the
// admin role, read from the database (not from the token), and answer 403 otherwise.
import type { UserRow } from '../db/store.js';
import { problems } from '../http/problem.js';

export interface FunctionPolicy {
  requireAdmin(caller: UserRow): void;
}

export const vulnerableFunctions: FunctionPolicy = {
  requireAdmin: () => {}, // FLAW: any authenticated user may call admin functions
};

export const secureFunctions: FunctionPolicy = {
  requireAdmin(caller) {
    // FIX: deny unless the caller's current role is admin.
    if (caller.role !== 'admin')
      throw problems.forbidden('This operation requires the admin role.');
  },
};
