// Spent sessions: sealed challenge tokens already answered once. The token's hash is the primary key, so spending
// is one INSERT that fails for every caller but the first (on any instance): single use without a read.
import { isUniqueViolation } from './db.js';
import { compiledOnce, count, type Sql } from './sql.js';

export function spentSessionsRepository({ db }: Sql) {
  const insert = compiledOnce(db, (tokenHash: string, expiresAt: number) =>
    db.insertInto('spent_sessions').values({ token_hash: tokenHash, expires_at: expiresAt }),
  );
  const find = compiledOnce(db, (tokenHash: string) => db.selectFrom('spent_sessions').select('token_hash').where('token_hash', '=', tokenHash));
  return {
    /** Whether `tokenHash` was spent (a read: the sign-in that spends its answer with its refresh token checks first). */
    async isSpent(tokenHash: string): Promise<boolean> {
      return (await find(tokenHash)).rows.length > 0;
    },

    /** Records `tokenHash` as spent until `expiresAt` (epoch ms): true for the first caller, false once spent. */
    async spend(tokenHash: string, expiresAt: number): Promise<boolean> {
      try {
        await insert(tokenHash, expiresAt);
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },

    /** Drops the rows of tokens expired before `now` (they can no longer be presented); → how many. */
    async deleteExpired(now: number): Promise<number> {
      const r = await db.deleteFrom('spent_sessions').where('expires_at', '<', now).executeTakeFirst();
      return count(r.numDeletedRows);
    },
  };
}

export type SpentSessionsRepository = ReturnType<typeof spentSessionsRepository>;
