// The lab's SQLite schema. The database is rebuilt and reseeded at every start, so a run always
// begins from the same known state. `user_version` marks a file as a lab database: the lab refuses
// to wipe a file that holds anything else.
import type { Database } from 'better-sqlite3';
import { BulwarkError } from '../../core/errors.js';

/** "lab" in ASCII: the marker stored in PRAGMA user_version. */
export const LAB_DB_MARK = 0x6c6162; // 7102818

// Children first, so foreign keys never block the drop.
const DROP = `
DROP TABLE IF EXISTS outbox;
DROP TABLE IF EXISTS invitations;
DROP TABLE IF EXISTS documents;
DROP TABLE IF EXISTS users;
`;

const DDL = `
CREATE TABLE users (
  id TEXT PRIMARY KEY NOT NULL,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  internal_notes TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE TABLE documents (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  content TEXT NOT NULL,
  classification TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX documents_owner ON documents(owner_id, seq);
CREATE TABLE invitations (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  inviter_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_ms INTEGER NOT NULL
);
CREATE INDEX invitations_inviter ON invitations(inviter_id, created_ms);
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`;

/** Drops the lab's tables and creates them again, refusing files that are not lab databases. */
export function resetSchema(db: Database, file: string): void {
  const mark = db.pragma('user_version', { simple: true }) as number;
  const tables = db
    .prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'")
    .get() as { n: number };
  if (mark !== LAB_DB_MARK && tables.n > 0) {
    throw new BulwarkError('BULWARK_ERR_LAB_DB', 'the database file is not a lab database', {
      location: { file },
      hint: 'the lab rebuilds its database at every start; point --db at a new or lab-owned file',
    });
  }
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.transaction(() => {
    db.exec(DROP);
    db.exec(DDL);
    db.pragma('user_version = 7102818'); // LAB_DB_MARK, spelled out: no SQL is built from values
  })();
}
