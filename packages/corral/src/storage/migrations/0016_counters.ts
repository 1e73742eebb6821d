// Request counters shared by every instance on one database (rate limits, wire/throttle.ts): one row per counter and
// window, keyed by a string that names both; counted with one upsert (`INSERT … ON CONFLICT (key) DO UPDATE SET
// n = n + excluded.n RETURNING n`). A row is useless once its window has ended (`expires_at`) and is deleted then.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('counters')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('counters_expiry').on('counters').column('expires_at').execute();
}
