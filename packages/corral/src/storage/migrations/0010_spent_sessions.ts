// One-time challenge answers: a sealed SRP secret block (or session) that has been answered cannot be replayed.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('spent_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('spent_sessions_expiry').on('spent_sessions').column('expires_at').execute();
}
