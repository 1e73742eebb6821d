// The fingerprint of the server key this database's encrypted values (signing keys, client secrets, SRP verifiers,
// TOTP secrets, the sealed outbox) are encrypted with: one row, written by the first start. A start with another key
// is refused, naming the expected fingerprint (runtime/server-key.ts), instead of serving 500s and failed sign-ins.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('server_key')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
