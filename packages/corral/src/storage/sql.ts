// What every repository is built on: the Kysely handle and which database it speaks to. Repositories are the only
// code that builds SQL; the layers above call their methods (`app.store.users.findByUsername(…)`).
//
// Writes that can race are one conditional statement, or one short transaction that first locks the row it reads
// (`lockedRow`): `SELECT … FOR UPDATE` on PostgreSQL; on SQLite every write transaction starts with
// `BEGIN IMMEDIATE` (storage/db.ts), which takes the database's write lock before the first read. Nothing inside a
// transaction awaits anything but the database: no trigger, no mail, no network.
import type { Compilable, CompiledQuery, QueryResult, SelectQueryBuilder } from 'kysely';
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

/** A stand-in for the i-th argument while a query is compiled once (see `compiledOnce`). */
class Slot {
  constructor(readonly index: number) {}
}

/**
 * A query built and compiled once, then run with new arguments: Kysely builds and compiles a query afresh on every
 * call, which was a good part of a small query's cost on the sign-in path. `build` receives stand-ins for its
 * arguments (use them only as values, never in JavaScript logic); the compiled SQL is kept and each call fills in
 * the parameters. The result is Kysely's (rows, numAffectedRows).
 *
 *   const bySub = compiledOnce(db, (poolId: string, sub: string) => db.selectFrom('users').selectAll().where(…));
 *   const { rows } = await bySub(poolId, sub);
 */
export function compiledOnce<A extends unknown[], O>(db: Db, build: (...args: A) => Compilable<O>): (...args: A) => Promise<QueryResult<O>> {
  let compiled: CompiledQuery<O> | undefined;
  let slots: (number | undefined)[] = [];
  return (...args: A) => {
    if (!compiled) {
      compiled = build(...(args.map((_, i) => new Slot(i)) as A)).compile();
      slots = compiled.parameters.map((p) => (p instanceof Slot ? p.index : undefined));
    }
    const c = compiled;
    const parameters = c.parameters.map((p, i) => (slots[i] === undefined ? p : args[slots[i]!]));
    return db.executeQuery<O>({ ...c, parameters });
  };
}
