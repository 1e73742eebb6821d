// The outbox, sealed: what a message says (recipient, username, subject, body) is encrypted with the server key and
// each row expires with the code it carries. The clear-text table of 0004 is dropped with whatever it held: those
// rows carried codes and temporary passwords in clear, and a migration has no key to encrypt them with.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('outbox').ifExists().execute();
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('medium', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('recipient_hash', 'text', (c) => c.notNull())
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_recipient').on('outbox').columns(['recipient_hash', 'id']).execute();
  await db.schema.createIndex('outbox_pool').on('outbox').columns(['pool_id', 'id']).execute();
  await db.schema.createIndex('outbox_expiry').on('outbox').columns(['expires_at']).execute();
}
