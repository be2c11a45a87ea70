// OWASP API1:2023 Broken Object Level Authorization (CWE-639, CWE-284).
// Vulnerable: a document is looked up by id alone, and ids are sequential, so any caller can read,
// replace or delete any document by counting. Secure: every lookup is scoped to the caller, ids are
// random UUIDs, and an object the caller does not own is "not found" (404), so existence never leaks.
import { randomUUID } from 'node:crypto';
import type { DocumentRow, LabStore, UserRow } from '../db/store.js';

export type IdTable = 'users' | 'documents' | 'invitations';

export interface ObjectAccess {
  /** A fresh id for a new row of `table`. */
  newId(table: IdTable): string;
  /** The document `id` as seen by `caller`, or undefined (the handler answers 404). */
  findDocument(store: LabStore, caller: UserRow, id: string): DocumentRow | undefined;
}

export function vulnerableObjectAccess(): ObjectAccess {
  const next: Record<IdTable, number> = { users: 1, documents: 1, invitations: 1 };
  return {
    newId: (table) => String(next[table]++), // FLAW: guessable, enumerable ids (1, 2, 3, ...)
    findDocument: (store, _caller, id) => store.documentById(id), // FLAW: no owner check
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function secureObjectAccess(): ObjectAccess {
  return {
    newId: () => randomUUID(),
    // FIX: the owner is part of the query, and a malformed id is simply not found.
    findDocument: (store, caller, id) =>
      UUID.test(id) ? store.documentByIdForOwner(id, caller.id) : undefined,
  };
}
