// What a trigger function printed (issue 12): `invocations.logs`, its stdout and stderr of that invocation, at most
// 4 KiB (storage/invocations.ts). Logs are kept on the newest 100 invocations of each function only (older rows keep
// everything else); the partial index (function_name, id) over the rows that still have logs makes that pruning read
// only them.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('invocations').addColumn('logs', 'text').execute();
  await db.schema.createIndex('invocations_with_logs').on('invocations').columns(['function_name', 'id']).where(sql.ref('logs'), 'is not', null).execute();
}
