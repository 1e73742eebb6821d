// What every repository is built on: the Kysely handle and which database it speaks to. Repositories are the only
// code that builds SQL; the layers above call their methods (`app.store.users.findByUsername(…)`).
//
// Writes that can race are one conditional statement, or one short transaction that first locks the row it reads
// (`lockedRow`): `SELECT … FOR UPDATE` on PostgreSQL; on SQLite every write transaction starts with
// `BEGIN IMMEDIATE` (storage/db.ts), which takes the database's write lock before the first read. Nothing inside a
// transaction awaits anything but the database: no trigger, no mail, no network.
import type { SelectQueryBuilder } from 'kysely';
import type { Db } from './db.js';
import type { DB } from './schema.js';

export interface Sql {
  db: Db;
  postgres: boolean;
}

/** The query with `FOR UPDATE` on PostgreSQL (SQLite's write transaction already holds the lock). */
export function forUpdate<T extends keyof DB, O>(sql: Sql, q: SelectQueryBuilder<DB, T, O>): SelectQueryBuilder<DB, T, O> {
  return sql.postgres ? q.forUpdate() : q;
}

/** Kysely's numUpdatedRows / numDeletedRows as a number. */
export function count(n: bigint | number | undefined): number {
  return Number(n ?? 0);
}
