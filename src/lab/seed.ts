// The seed: three accounts with the passwords the issue documents, and three documents each for
// Alice and Bob. Reseeded at every start.
import type { LabStore } from './db/store.js';
import type { ObjectAccess } from './flaws/api1-bola.js';
import { dummyHash, hashPassword } from './password.js';

export const SEED_USERS = [
  {
    email: 'alice@lab.test',
    password: 'alice-password-1',
    name: 'Alice',
    role: 'user',
    internal_notes: 'VIP customer; card ending 4242; prefers phone contact.',
  },
  {
    email: 'bob@lab.test',
    password: 'bob-password-1',
    name: 'Bob',
    role: 'user',
    internal_notes: 'Flagged for a chargeback in March; do not offer credit.',
  },
  {
    email: 'admin@lab.test',
    password: 'admin-password-1',
    name: 'Admin',
    role: 'admin',
    internal_notes: 'Break-glass account; MFA device in the office safe.',
  },
] as const;

const SEED_DOCUMENTS: Readonly<Record<string, ReadonlyArray<readonly [string, string]>>> = {
  'alice@lab.test': [
    ['Alice: Q3 salary review', 'Confidential: proposed raises for the platform team.'],
    ['Alice: trip notes', 'Flights booked for the Lisbon offsite.'],
    ['Alice: recipe', 'Pasta e fagioli, serves four.'],
  ],
  'bob@lab.test': [
    ['Bob: merger memo', 'Confidential: draft terms for the acquisition of Initech.'],
    ['Bob: shopping list', 'Milk, coffee, batteries.'],
    ['Bob: internal wiki export', 'Internal: on-call rota and escalation numbers.'],
  ],
};

export async function seed(store: LabStore, objects: ObjectAccess): Promise<void> {
  const hashes = await Promise.all(SEED_USERS.map((u) => hashPassword(u.password)));
  // Ready before the first login, so even the first unknown email costs exactly one scrypt.
  await dummyHash();
  store.db.transaction(() => {
    SEED_USERS.forEach((u, i) => {
      const user = store.insertUser({
        id: objects.newId('users'),
        email: u.email,
        name: u.name,
        role: u.role,
        password_hash: hashes[i] as string,
        internal_notes: u.internal_notes,
      });
      for (const [title, content] of SEED_DOCUMENTS[u.email] ?? []) {
        store.insertDocument({ id: objects.newId('documents'), owner_id: user.id, title, content });
      }
    });
  })();
}
