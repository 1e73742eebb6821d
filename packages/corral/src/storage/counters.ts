// Request counters shared by the instances on one database (rate limits: wire/throttle.ts). A counter is one row
// per window, keyed by a string naming the counter and its window; adding to it is one atomic upsert that answers
// the new total, so instances counting at once never lose a count. Rows expire with their window.
import { sql as raw } from 'kysely';
import { compiledOnce, count, type Sql } from './sql.js';

export function countersRepository({ db, postgres }: Sql) {
  const add = compiledOnce(db, (key: string, by: number, expiresAt: number) =>
    db
      .insertInto('counters')
      .values({ key, n: by, expires_at: expiresAt })
      .onConflict((oc) => oc.column('key').doUpdateSet({ n: raw<number>`counters.n + excluded.n` }))
      .returning('n'),
  );
  const read = compiledOnce(db, (key: string) => db.selectFrom('counters').select('n').where('key', '=', key));
  return {
    /** Which database holds the counters: on SQLite one instance owns the file, so callers may count in memory. */
    backend: (postgres ? 'postgres' : 'sqlite') as 'postgres' | 'sqlite',

    /** Adds `by` (may be negative) to the counter `key`, created for a window ending at `expiresAt`; → the new total. */
    async add(key: string, by: number, expiresAt: number): Promise<number> {
      const { rows } = await add(key, by, expiresAt);
      return Number(rows[0]?.n ?? by);
    },

    /** The counter's total (0 when it has no row). */
    async read(key: string): Promise<number> {
      const { rows } = await read(key);
      return Number(rows[0]?.n ?? 0);
    },

    /** Drops the counters of windows that ended before `now`; → how many. */
    async deleteExpired(now: number): Promise<number> {
      const r = await db.deleteFrom('counters').where('expires_at', '<', now).executeTakeFirst();
      return count(r.numDeletedRows);
    },
  };
}

export type CountersRepository = ReturnType<typeof countersRepository>;
