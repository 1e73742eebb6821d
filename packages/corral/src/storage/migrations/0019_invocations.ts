// Trigger invocations (the console's Functions page): one row per run of a trigger function — which function, for
// which trigger source and pool, when, how long and how it ended, and the error's message (truncated). Never the
// event, which carries passwords and codes. At most the newest 1,000 rows per function are kept (storage/invocations.ts).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('invocations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('function_name', 'text', (c) => c.notNull())
    .addColumn('trigger_source', 'text', (c) => c.notNull())
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('error_message', 'text')
    .execute();
  await db.schema.createIndex('invocations_function').on('invocations').columns(['function_name', 'id']).execute();
}
