// One-time codes (and the temporary-password validity row, which shares the table): one live code per
// (pool, user, purpose), stored as a keyed hash.
//
// Tries are taken before the comparison, with one conditional UPDATE … SET tries = tries + 1 WHERE tries < max
// RETURNING: however many requests race on however many instances, no more than `max` of them get the hash to compare
// with. The right code is spent by a DELETE conditional on its hash: of two concurrent right answers one deletes it.
import type { Sql } from './sql.js';
import { count } from './sql.js';

export interface CodeKey {
  poolId: string;
  /** The user's sub (users.id). */
  userId: string;
  purpose: string;
}

export interface StoredCode {
  codeHash: string;
  /** Epoch ms after which the code is refused. */
  expiresAt: number;
}

/** What taking a try found: the code to compare with, or why there is none to compare. */
export type CodeTry = ({ taken: true } & StoredCode) | { taken: false; reason: 'exhausted' | 'none' };

export function codesRepository({ db }: Sql) {
  return {
    /** Stores the code of `key`, replacing any live one and resetting its tries. */
    async replace(key: CodeKey, code: StoredCode & { createdAt: number }): Promise<void> {
      const row = { code_hash: code.codeHash, expires_at: code.expiresAt, tries: 0, created_at: code.createdAt };
      await db
        .insertInto('codes')
        .values({ pool_id: key.poolId, user_id: key.userId, purpose: key.purpose, ...row })
        .onConflict((oc) => oc.columns(['pool_id', 'user_id', 'purpose']).doUpdateSet(row))
        .execute();
    },

    /**
     * Takes one try of the code of `key` atomically, if fewer than `maxTries` were taken: → the stored hash and expiry
     * to compare with; else whether the code is there with its tries spent ('exhausted') or not there at all.
     */
    async takeTry(key: CodeKey, maxTries: number): Promise<CodeTry> {
      const taken = await db
        .updateTable('codes')
        .set((eb) => ({ tries: eb('tries', '+', 1) }))
        .where('pool_id', '=', key.poolId)
        .where('user_id', '=', key.userId)
        .where('purpose', '=', key.purpose)
        .where('tries', '<', maxTries)
        .returning(['code_hash', 'expires_at'])
        .executeTakeFirst();
      if (taken) return { taken: true, codeHash: taken.code_hash, expiresAt: Number(taken.expires_at) };
      const exists = await db
        .selectFrom('codes')
        .select('tries')
        .where('pool_id', '=', key.poolId)
        .where('user_id', '=', key.userId)
        .where('purpose', '=', key.purpose)
        .executeTakeFirst();
      return { taken: false, reason: exists ? 'exhausted' : 'none' };
    },

    /** Spends the code of `key` if it is still the one with `codeHash` (one DELETE): true for exactly one caller. */
    async spend(key: CodeKey, codeHash: string): Promise<boolean> {
      const r = await db
        .deleteFrom('codes')
        .where('pool_id', '=', key.poolId)
        .where('user_id', '=', key.userId)
        .where('purpose', '=', key.purpose)
        .where('code_hash', '=', codeHash)
        .executeTakeFirst();
      return count(r.numDeletedRows) === 1;
    },

    /** Puts a spent code back (tries reset) unless another code was issued since: one INSERT … ON CONFLICT DO NOTHING. */
    async restore(key: CodeKey, code: StoredCode & { createdAt: number }): Promise<void> {
      await db
        .insertInto('codes')
        .values({
          pool_id: key.poolId,
          user_id: key.userId,
          purpose: key.purpose,
          code_hash: code.codeHash,
          expires_at: code.expiresAt,
          tries: 0,
          created_at: code.createdAt,
        })
        .onConflict((oc) => oc.columns(['pool_id', 'user_id', 'purpose']).doNothing())
        .execute();
    },

    /** Drops the code of `key`, if any. */
    async discard(key: CodeKey): Promise<void> {
      await db.deleteFrom('codes').where('pool_id', '=', key.poolId).where('user_id', '=', key.userId).where('purpose', '=', key.purpose).execute();
    },

    /** The code of `key` without taking a try (the temporary password's validity), or undefined. */
    async find(key: CodeKey): Promise<(StoredCode & { tries: number; createdAt: number }) | undefined> {
      const row = await db
        .selectFrom('codes')
        .select(['code_hash', 'expires_at', 'tries', 'created_at'])
        .where('pool_id', '=', key.poolId)
        .where('user_id', '=', key.userId)
        .where('purpose', '=', key.purpose)
        .executeTakeFirst();
      return row && { codeHash: row.code_hash, expiresAt: Number(row.expires_at), tries: Number(row.tries), createdAt: Number(row.created_at) };
    },
  };
}

export type CodesRepository = ReturnType<typeof codesRepository>;
