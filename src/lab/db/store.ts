// Every query the lab runs, as prepared statements with bound parameters (CWE-89: no SQL is ever
// built from request data). Ownership is a parameter of the queries that need it, so the secure
// handlers cannot forget it: they call the `...ForOwner` statements.
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { BulwarkError, isBulwarkError } from '../../core/errors.js';
import { resetSchema } from './schema.js';

function openDatabase(file: string): Db {
  try {
    return new Database(file);
  } catch (cause) {
    throw new BulwarkError('BULWARK_ERR_LAB_DB', 'the database file cannot be opened', {
      cause,
      location: { file },
      hint: 'check that its directory exists and is writable',
    });
  }
}

export interface UserRow {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: string;
  readonly password_hash: string;
  readonly internal_notes: string;
  readonly created_at: string;
}

export interface DocumentRow {
  readonly seq: number;
  readonly id: string;
  readonly owner_id: string;
  readonly title: string;
  readonly content: string;
  readonly classification: string | null;
  readonly created_at: string;
}

export interface InvitationRow {
  readonly id: string;
  readonly inviter_id: string;
  readonly email: string;
  readonly created_at: string;
  readonly created_ms: number;
}

export interface NewUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: string;
  readonly password_hash: string;
  readonly internal_notes: string;
}

/** Columns of `users` the vulnerable PATCH binds from the body (the mass-assignment flaw, API3). */
export const USER_COLUMNS = ['email', 'name', 'role', 'internal_notes'] as const;
export type UserColumn = (typeof USER_COLUMNS)[number];

function prepareUserUpdates(db: Db): Record<UserColumn, Statement> {
  // One fixed statement per column: even the deliberately unsafe update never concatenates SQL.
  return {
    email: db.prepare('UPDATE users SET email = ? WHERE id = ?'),
    name: db.prepare('UPDATE users SET name = ? WHERE id = ?'),
    role: db.prepare('UPDATE users SET role = ? WHERE id = ?'),
    internal_notes: db.prepare('UPDATE users SET internal_notes = ? WHERE id = ?'),
  };
}

export class LabStore {
  readonly db: Db;
  readonly file: string;
  readonly #s;
  readonly #userUpdates: Record<UserColumn, Statement>;

  constructor(file: string) {
    this.file = file;
    this.db = openDatabase(file);
    try {
      resetSchema(this.db, file);
    } catch (error) {
      this.db.close();
      if (isBulwarkError(error)) throw error;
      // e.g. SQLITE_NOTADB: the file exists but is not a SQLite database.
      throw new BulwarkError('BULWARK_ERR_LAB_DB', 'the database file cannot be used', {
        cause: error,
        location: { file },
      });
    }
    const db = this.db;
    this.#userUpdates = prepareUserUpdates(db);
    this.#s = {
      insertUser: db.prepare(
        `INSERT INTO users (id, email, name, role, password_hash, internal_notes, created_at)
         VALUES (@id, @email, @name, @role, @password_hash, @internal_notes, @created_at)`,
      ),
      userById: db.prepare('SELECT * FROM users WHERE id = ?'),
      userByEmail: db.prepare('SELECT * FROM users WHERE email = ?'),
      allUsers: db.prepare('SELECT * FROM users ORDER BY created_at, id LIMIT 10000'),
      deleteUser: db.prepare('DELETE FROM users WHERE id = ?'),
      insertDocument: db.prepare(
        `INSERT INTO documents (id, owner_id, title, content, classification, created_at)
         VALUES (@id, @owner_id, @title, @content, NULL, @created_at)`,
      ),
      documentById: db.prepare('SELECT * FROM documents WHERE id = ?'),
      documentByIdForOwner: db.prepare('SELECT * FROM documents WHERE id = ? AND owner_id = ?'),
      documentsForOwner: db.prepare(
        'SELECT * FROM documents WHERE owner_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      updateDocument: db.prepare('UPDATE documents SET title = ?, content = ? WHERE id = ?'),
      classifyDocument: db.prepare('UPDATE documents SET classification = ? WHERE id = ?'),
      deleteDocument: db.prepare('DELETE FROM documents WHERE id = ?'),
      insertInvitation: db.prepare(
        `INSERT INTO invitations (id, inviter_id, email, created_at, created_ms)
         VALUES (@id, @inviter_id, @email, @created_at, @created_ms)`,
      ),
      invitationsFor: db.prepare(
        'SELECT * FROM invitations WHERE inviter_id = ? ORDER BY seq DESC LIMIT 100',
      ),
      invitationsSince: db.prepare(
        `SELECT count(*) AS n, min(created_ms) AS oldest FROM invitations
         WHERE inviter_id = ? AND created_ms > ?`,
      ),
      insertOutbox: db.prepare(
        'INSERT INTO outbox (recipient, subject, body, created_at) VALUES (?, ?, ?, ?)',
      ),
      outboxCount: db.prepare('SELECT count(*) AS n FROM outbox'),
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  insertUser(user: NewUser): UserRow {
    this.#s.insertUser.run({ ...user, created_at: new Date().toISOString() });
    return this.userById(user.id) as UserRow;
  }

  userById(id: string): UserRow | undefined {
    return this.#s.userById.get(id) as UserRow | undefined;
  }

  userByEmail(email: string): UserRow | undefined {
    return this.#s.userByEmail.get(email) as UserRow | undefined;
  }

  allUsers(): UserRow[] {
    return this.#s.allUsers.all() as UserRow[];
  }

  updateUserColumn(id: string, column: UserColumn, value: string): void {
    this.#userUpdates[column].run(value, id);
  }

  /** Applies several column updates atomically. */
  updateUser(id: string, changes: ReadonlyArray<readonly [UserColumn, string]>): void {
    this.db.transaction(() => {
      for (const [column, value] of changes) this.updateUserColumn(id, column, value);
    })();
  }

  deleteUser(id: string): boolean {
    return this.#s.deleteUser.run(id).changes > 0;
  }

  insertDocument(doc: {
    id: string;
    owner_id: string;
    title: string;
    content: string;
  }): DocumentRow {
    this.#s.insertDocument.run({ ...doc, created_at: new Date().toISOString() });
    return this.documentById(doc.id) as DocumentRow;
  }

  documentById(id: string): DocumentRow | undefined {
    return this.#s.documentById.get(id) as DocumentRow | undefined;
  }

  documentByIdForOwner(id: string, ownerId: string): DocumentRow | undefined {
    return this.#s.documentByIdForOwner.get(id, ownerId) as DocumentRow | undefined;
  }

  /** Keyset pagination on the internal sequence: stable under inserts and deletes. */
  documentsForOwner(ownerId: string, afterSeq: number, limit: number): DocumentRow[] {
    return this.#s.documentsForOwner.all(ownerId, afterSeq, limit) as DocumentRow[];
  }

  updateDocument(id: string, title: string, content: string): void {
    this.#s.updateDocument.run(title, content, id);
  }

  classifyDocument(id: string, label: string): void {
    this.#s.classifyDocument.run(label, id);
  }

  deleteDocument(id: string): boolean {
    return this.#s.deleteDocument.run(id).changes > 0;
  }

  insertInvitation(
    inv: Omit<InvitationRow, 'created_at'>,
    mail: { subject: string; body: string },
  ): void {
    const createdAt = new Date(inv.created_ms).toISOString();
    this.db.transaction(() => {
      this.#s.insertInvitation.run({ ...inv, created_at: createdAt });
      this.#s.insertOutbox.run(inv.email, mail.subject, mail.body, createdAt);
    })();
  }

  invitationsFor(inviterId: string): InvitationRow[] {
    return this.#s.invitationsFor.all(inviterId) as InvitationRow[];
  }

  invitationsSince(inviterId: string, sinceMs: number): { n: number; oldest: number | null } {
    return this.#s.invitationsSince.get(inviterId, sinceMs) as { n: number; oldest: number | null };
  }

  outboxCount(): number {
    return (this.#s.outboxCount.get() as { n: number }).n;
  }
}
